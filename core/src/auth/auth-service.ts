import { LRUCache } from 'lru-cache'
import type { Cache, EventBus, Scheduler } from '../infra/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Db } from '../storage/index.js'
import { dummyPasswordHash, verifyPassword } from './password.js'
import { roleSchema, scopesOf, type Role } from './roles.js'
import { API_TOKEN_PREFIX, newToken, SESSION_TOKEN_PREFIX, tokenHash } from './tokens.js'

export interface AuthUser {
  id: string
  email: string
  name: string
  role: Role
  locale: string
}

/** What hapi keeps in request.auth.credentials for a signed-in caller. */
export interface AuthCredentials {
  user: AuthUser
  /** the user's role and every role it includes (hapi checks route scopes against it) */
  scope: Role[]
  via: 'session' | 'api-token'
  sessionId?: string
  tokenId?: string
}

export interface ApiTokenView {
  id: string
  name: string
  prefix: string
  createdAt: Date
  lastUsedAt: Date | null
  expiresAt: Date | null
  revokedAt: Date | null
}

export const SESSION_EXPIRED_JOB = 'auth.session-expired'
const FAILED_LOGIN_LIMIT = 10
const FAILED_LOGIN_WINDOW_MS = 15 * 60_000
const LAST_USED_RESOLUTION_MS = 60_000

export interface AuthServiceDeps {
  db: Db
  bus: EventBus
  scheduler: Scheduler
  cache: Cache
  sessionTtlMs: number
  passwordCost: number
}

export type AuthService = ReturnType<typeof createAuthService>

/**
 * Verified credentials are kept per instance for a few seconds, so an API call does not look its
 * token up in the database every time. Logout, revocation and ended sessions remove them at once
 * on every instance (over the event bus); the short lifetime bounds any message lost on the way.
 */
const VERIFIED_TTL_MS = 5_000
const REVOKED_TOPIC = 'auth.credentials-revoked'
type Forget = { userId?: string; sessionId?: string; tokenId?: string }

export function createAuthService({ db, bus, scheduler, cache, sessionTtlMs, passwordCost }: AuthServiceDeps) {
  const verified = new LRUCache<string, { credentials: AuthCredentials; expiresAt: number | null }>({
    max: 10_000,
    ttl: VERIFIED_TTL_MS,
  })
  const forgetHere = (f: Forget) => {
    for (const [key, entry] of verified.entries()) {
      const c = entry.credentials
      if (
        (f.userId && c.user.id === f.userId) ||
        (f.sessionId && c.sessionId === f.sessionId) ||
        (f.tokenId && c.tokenId === f.tokenId)
      )
        verified.delete(key)
    }
  }
  const forget = async (f: Forget) => {
    forgetHere(f)
    await bus.publish(REVOKED_TOPIC, f)
  }
  void bus.subscribe(REVOKED_TOPIC, (event) => forgetHere(event as Forget))

  scheduler.define(SESSION_EXPIRED_JOB, async (job) => {
    const { sessionId } = job.payload as { sessionId: string }
    await db.session.deleteMany({ where: { id: sessionId, expiresAt: { lte: new Date(Date.now() + 1000) } } })
  })

  const toAuthUser = (u: { id: string; email: string; name: string; role: string; locale: string }): AuthUser => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: roleSchema.parse(u.role),
    locale: u.locale,
  })
  const credentialsFor = (user: AuthUser, via: AuthCredentials['via'], id: string): AuthCredentials => ({
    user,
    scope: scopesOf(user.role),
    via,
    ...(via === 'session' ? { sessionId: id } : { tokenId: id }),
  })

  return {
    /** Checks email and password; starts a session whose token works as cookie and as bearer token. */
    async login(email: string, password: string, meta: { ip?: string; userAgent?: string } = {}) {
      const normalized = email.trim().toLowerCase()
      const failKey = `auth:failed-logins:${normalized}`
      // every attempt is counted atomically before the password is checked (and forgiven when it
      // succeeds), so a burst of parallel guesses gets no more tries than a sequence
      const attempts = await cache.increment(failKey, FAILED_LOGIN_WINDOW_MS)
      if (attempts > FAILED_LOGIN_LIMIT) {
        throw userError(
          ErrorCode.INVALID_CREDENTIALS,
          'Too many failed sign-in attempts for this account; wait 15 minutes and try again',
          { status: 429 },
        )
      }
      const user = await db.user.findUnique({ where: { email: normalized } })
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash(passwordCost)))
      if (!user || !ok || !user.active) {
        throw userError(
          ErrorCode.INVALID_CREDENTIALS,
          'The email or the password is wrong (or the account is deactivated)',
          { status: 401 },
        )
      }
      await cache.delete(failKey)
      const token = newToken(SESSION_TOKEN_PREFIX)
      const expiresAt = new Date(Date.now() + sessionTtlMs)
      const session = await db.session.create({
        data: {
          id: tokenHash(token),
          userId: user.id,
          expiresAt,
          ip: meta.ip ?? '',
          userAgent: (meta.userAgent ?? '').slice(0, 300),
        },
      })
      await scheduler.schedule({
        type: SESSION_EXPIRED_JOB,
        runAt: expiresAt,
        payload: { sessionId: session.id },
        key: `session-expired:${session.id}`,
      })
      return { token, expiresAt, user: toAuthUser(user) }
    },

    async logout(credentials: AuthCredentials) {
      if (!credentials.sessionId) return
      await db.session.deleteMany({ where: { id: credentials.sessionId } })
      await forget({ sessionId: credentials.sessionId })
      await scheduler.cancel(`session-expired:${credentials.sessionId}`)
    },

    /** Resolves a session token or API token to credentials; null when unknown, expired or revoked. */
    async authenticate(token: string): Promise<AuthCredentials | null> {
      const hash = tokenHash(token)
      const hit = verified.get(hash)
      if (hit && (hit.expiresAt === null || hit.expiresAt > Date.now())) return hit.credentials
      const credentials = await this.authenticateInDatabase(token)
      if (credentials) verified.set(hash, { credentials, expiresAt: credentials.expiresAt?.getTime() ?? null })
      return credentials
    },

    async authenticateInDatabase(token: string): Promise<(AuthCredentials & { expiresAt?: Date | null }) | null> {
      const now = new Date()
      if (token.startsWith(SESSION_TOKEN_PREFIX)) {
        const session = await db.session.findUnique({ where: { id: tokenHash(token) }, include: { user: true } })
        if (!session || session.expiresAt <= now || !session.user.active) return null
        return { ...credentialsFor(toAuthUser(session.user), 'session', session.id), expiresAt: session.expiresAt }
      }
      if (token.startsWith(API_TOKEN_PREFIX)) {
        const apiToken = await db.apiToken.findUnique({
          where: { tokenHash: tokenHash(token) },
          include: { user: true },
        })
        if (
          !apiToken ||
          apiToken.revokedAt ||
          (apiToken.expiresAt && apiToken.expiresAt <= now) ||
          !apiToken.user.active
        )
          return null
        if (!apiToken.lastUsedAt || now.getTime() - apiToken.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
          await db.apiToken.update({ where: { id: apiToken.id }, data: { lastUsedAt: now } })
        }
        return { ...credentialsFor(toAuthUser(apiToken.user), 'api-token', apiToken.id), expiresAt: apiToken.expiresAt }
      }
      return null
    },

    async createApiToken(userId: string, input: { name: string; expiresInDays?: number }) {
      const token = newToken(API_TOKEN_PREFIX)
      const record = await db.apiToken.create({
        data: {
          userId,
          name: input.name,
          tokenHash: tokenHash(token),
          prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
          expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
        },
      })
      return { token, ...viewOf(record) }
    },

    async listApiTokens(userId: string): Promise<ApiTokenView[]> {
      const rows = await db.apiToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } })
      return rows.map(viewOf)
    },

    /** Revokes one of the user's tokens; false when the user has no such token. */
    async revokeApiToken(userId: string, tokenId: string): Promise<boolean> {
      const result = await db.apiToken.updateMany({
        where: { id: tokenId, userId, revokedAt: null },
        data: { revokedAt: new Date() },
      })
      await forget({ tokenId })
      return result.count === 1
    },

    /** Ends every session of a user (after a password change, role change or deactivation). */
    async endSessionsOf(userId: string, exceptSessionId?: string) {
      const sessions = await db.session.findMany({
        where: { userId, id: exceptSessionId ? { not: exceptSessionId } : undefined },
        select: { id: true },
      })
      await db.session.deleteMany({ where: { id: { in: sessions.map((s) => s.id) } } })
      for (const s of sessions) await scheduler.cancel(`session-expired:${s.id}`)
      // role changes and deactivations end sessions too: cached API-token credentials go as well
      if (exceptSessionId) for (const s of sessions) await forget({ sessionId: s.id })
      else await forget({ userId })
    },
  }
}

function viewOf(t: ApiTokenView): ApiTokenView {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
  }
}
