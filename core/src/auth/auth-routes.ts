import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import type { AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import { clientIp } from '../http/client-ip.js'
import { defineRoute } from '../http/define-route.js'
import { apiTokenDto, authUserDto, createTokenPayload, idParams, loginPayload, loginResponse } from './auth-dto.js'
import type { AuthService } from './auth-service.js'

const tags = ['auth']

export function authRoutes(auth: AuthService, audit: AuditLog): ServerRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/auth/login',
      access: 'public',
      tags,
      summary: 'Sign in with email and password',
      description: 'Returns a token for `Authorization: Bearer` and sets the `sb_session` cookie used by the web UIs.',
      payload: loginPayload,
      response: loginResponse,
      async handler({ payload, request, h }) {
        const result = await auth.login(payload.email, payload.password, {
          ip: clientIp(request),
          userAgent: String(request.headers['user-agent'] ?? ''),
        })
        request.cookieAuth.set({ token: result.token })
        return h.response(result).code(200)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/auth/logout',
      access: 'authenticated',
      tags,
      summary: 'Sign out: end this login and clear the cookie',
      async handler({ request, credentials }) {
        await auth.logout(credentials!)
        request.cookieAuth.clear()
        return undefined
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/auth/me',
      access: 'authenticated',
      tags,
      summary: 'The signed-in user',
      response: authUserDto,
      async handler({ credentials }) {
        return credentials!.user
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/auth/tokens',
      access: 'authenticated',
      tags,
      summary: "The signed-in user's API tokens",
      response: z.array(apiTokenDto),
      async handler({ credentials }) {
        return auth.listApiTokens(credentials!.user.id)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/auth/tokens',
      access: 'authenticated',
      tags,
      summary: 'Create an API token for scripts',
      description: 'The token carries the role of the user who creates it. It is shown once, in this response.',
      payload: createTokenPayload,
      response: apiTokenDto.extend({ token: z.string() }),
      status: 201,
      async handler({ payload, credentials, actor }) {
        const created = await auth.createApiToken(credentials!.user.id, payload)
        await audit.record(actor, {
          action: 'token.create',
          targetType: 'api-token',
          targetId: created.id,
          details: { name: created.name },
        })
        return created
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/auth/tokens/{id}',
      access: 'authenticated',
      tags,
      summary: 'Revoke one of your API tokens',
      params: idParams,
      async handler({ params, credentials, actor }) {
        if (!(await auth.revokeApiToken(credentials!.user.id, params.id))) {
          throw userError(ErrorCode.NOT_FOUND, `You have no active API token ${params.id}`, { status: 404 })
        }
        await audit.record(actor, { action: 'token.revoke', targetType: 'api-token', targetId: params.id })
        return undefined
      },
    }),
  ]
}
