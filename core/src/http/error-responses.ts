import type { Boom } from '@hapi/boom'
import type { Server } from '@hapi/hapi'
import type { Logger } from 'pino'
import { ErrorCode, isSwitchboardError } from '../errors/index.js'

/** The body of every error answer: stable code, a message that says what is wrong, and the details. */
export interface ErrorBody {
  statusCode: number
  error: string
  code: string
  message: string
  details?: unknown
}

const CODE_FOR_STATUS: Record<number, string> = {
  400: ErrorCode.VALIDATION,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
}

/**
 * Turns every error into one JSON shape. User errors keep their status and message;
 * hapi's own 401/403/404/400 get a code; anything else is a 500 whose details are logged,
 * never sent to the client.
 */
export function registerErrorResponses(server: Server, logger: Logger): void {
  server.ext('onPreResponse', (request, h) => {
    const response = request.response as Boom | { isBoom?: false }
    if (!('isBoom' in response) || !response.isBoom) return h.continue
    const boom = response as Boom
    if (isSwitchboardError(boom) && boom.kind === 'user') {
      const status = boom.status ?? 400
      boom.output.statusCode = status
      boom.reformat()
      boom.output.payload = body(status, boom.code, boom.message, boom.details)
      return h.continue
    }
    const prismaCode = (boom as { code?: unknown }).code
    if (prismaCode === 'P2002') {
      // a unique value was taken between the service's check and its insert (a race)
      const target = (boom as { meta?: { target?: unknown } }).meta?.target
      const fields = Array.isArray(target) ? target.join(', ') : typeof target === 'string' ? target : 'a unique field'
      boom.output.statusCode = 409
      boom.reformat()
      boom.output.payload = body(
        409,
        ErrorCode.CONFLICT,
        `That value is already taken (${fields}); it was created a moment ago by another request`,
        [{ path: fields, message: 'taken' }],
      )
      return h.continue
    }
    if (isSwitchboardError(boom) && boom.kind === 'operational' && boom.status) {
      // an outside service failed (a plugin, its upstream): say which and how, and log it
      logger.warn({ err: boom, method: request.method, path: request.path }, 'an outside service failed')
      boom.output.statusCode = boom.status
      boom.reformat()
      boom.output.payload = body(boom.status, boom.code, boom.message, boom.details)
      return h.continue
    }
    const status = boom.output.statusCode
    if (status >= 500) {
      logger.error({ err: boom, method: request.method, path: request.path }, 'request failed')
      const code = isSwitchboardError(boom) ? boom.code : ErrorCode.INTERNAL
      boom.output.payload = body(status, code, 'Something went wrong on the server; the error is in the server log')
      return h.continue
    }
    let message = boom.output.payload.message
    if (status === 401 && (!boom.message || message === 'Missing authentication'))
      message = 'Sign in first: send the sb_session cookie or an Authorization: Bearer token'
    if (status === 403) message = `Your role may not do this (needs ${neededRole(request.route.settings.auth)})`
    if (status === 404 && message === 'Not Found') message = `No route ${request.method.toUpperCase()} ${request.path}`
    boom.output.payload = body(status, CODE_FOR_STATUS[status] ?? `SB_ERR_HTTP_${status}`, message)
    return h.continue
  })
}

function body(
  statusCode: number,
  code: string,
  message: string,
  details?: unknown,
): ErrorBody & Record<string, unknown> {
  const error =
    {
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      409: 'Conflict',
      429: 'Too Many Requests',
    }[statusCode] ?? (statusCode >= 500 ? 'Internal Server Error' : 'Error')
  return details === undefined ? { statusCode, error, code, message } : { statusCode, error, code, message, details }
}

function neededRole(auth: unknown): string {
  const scope = (auth as { access?: Array<{ scope?: { selection?: string[] } }> } | null)?.access?.[0]?.scope?.selection
  return scope?.length ? `role ${scope.join(' or ')}` : 'another role'
}
