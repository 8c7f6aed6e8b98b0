import Boom from '@hapi/boom'
import { ErrorCode } from '../errors/index.js'

/**
 * Errors answered on the socket. nes sends a Boom's payload to the client (`error.statusCode`,
 * `error.data`); the stable Switchboard code is added to it, as in the REST error body.
 */
function withCode(boom: Boom.Boom, code: string): Boom.Boom {
  ;(boom.output.payload as unknown as Record<string, unknown>).code = code
  return boom
}

export function socketUnauthorized(message: string): Boom.Boom {
  return withCode(Boom.unauthorized(message), ErrorCode.UNAUTHENTICATED)
}

export function subscriptionForbidden(message: string): Boom.Boom {
  return withCode(Boom.forbidden(message), ErrorCode.FORBIDDEN)
}

export function subscriptionNotFound(message: string): Boom.Boom {
  return withCode(Boom.notFound(message), ErrorCode.NOT_FOUND)
}
