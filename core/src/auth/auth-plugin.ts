import Boom from '@hapi/boom'
import Cookie from '@hapi/cookie'
import type { Plugin } from '@hapi/hapi'
import type { AuthService } from './auth-service.js'

export const SESSION_COOKIE = 'sb_session'

export interface AuthPluginOptions {
  auth: AuthService
  cookieSecret: string
  cookieSecure: boolean
  sessionTtlMs: number
}

/**
 * Two ways to sign requests, both required by default on every route:
 * - `session`: the sealed `sb_session` cookie set by POST /api/v1/auth/login (web UIs);
 * - `bearer`: `Authorization: Bearer <token>`, a login token or an API token (scripts).
 * Routes narrow access with hapi scopes (see roles.ts); a missing or bad credential is 401,
 * a credential without the needed role 403.
 */
export const authPlugin: Plugin<AuthPluginOptions> = {
  name: 'switchboard-auth',
  dependencies: [],
  async register(server, { auth, cookieSecret, cookieSecure, sessionTtlMs }) {
    await server.register(Cookie)

    server.auth.strategy('session', 'cookie', {
      cookie: {
        name: SESSION_COOKIE,
        password: cookieSecret,
        isSecure: cookieSecure,
        isHttpOnly: true,
        isSameSite: 'Strict',
        path: '/',
        ttl: sessionTtlMs,
        clearInvalid: true,
      },
      validate: async (_request: unknown, session: { token?: string }) => {
        const credentials = session?.token ? await auth.authenticate(session.token) : null
        return credentials ? { isValid: true, credentials } : { isValid: false }
      },
    })

    server.auth.scheme('bearer', () => ({
      authenticate: async (request, h) => {
        const header = request.headers.authorization
        if (!header) throw Boom.unauthorized(null, 'Bearer')
        const match = /^Bearer\s+(\S+)$/i.exec(String(header))
        if (!match) throw Boom.unauthorized('Authorization header must be "Bearer <token>"', 'Bearer')
        const credentials = await auth.authenticate(match[1]!)
        if (!credentials) throw Boom.unauthorized('The token is unknown, expired or revoked', 'Bearer')
        return h.authenticated({ credentials: credentials as never })
      },
    }))
    server.auth.strategy('bearer', 'bearer')
    server.auth.default({ strategies: ['bearer', 'session'], mode: 'required' })
  },
}
