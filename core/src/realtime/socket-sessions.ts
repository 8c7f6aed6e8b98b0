import type { Nes } from '@hapi/nes'
import type { AuthCredentials, AuthService } from '../auth/index.js'
import type { EventBus } from '../infra/index.js'
import type { Logger } from '../logger.js'
import { socketUnauthorized } from './realtime-errors.js'
import { ticketTokenOf } from './socket-tickets.js'

/** Published by the auth service when a login ends, a token is revoked or a user's sessions end. */
const CREDENTIALS_REVOKED = 'auth.credentials-revoked'

type Revoked = { userId?: string; sessionId?: string; tokenId?: string }

/**
 * Keeps every socket's credentials as current as a REST request's: checked again (through the
 * auth service, from the token inside the ticket) when the socket says hello, on every subscribe,
 * and every `verifyEveryMs`; dropped at once when the auth service announces a revocation. A
 * socket whose sign-in has ended is disconnected; its client's reconnection is then refused.
 */
export function createSocketSessions(deps: {
  auth: AuthService
  bus: EventBus
  logger: Logger
  verifyEveryMs: number
}) {
  const { auth, bus, logger } = deps
  const sockets = new Set<Nes.Socket>()
  let timer: NodeJS.Timeout | null = null
  let sweeping = false
  let unsubscribe: (() => Promise<void>) | null = null

  /** The socket's current credentials; throws 401 when its sign-in has ended. */
  async function verify(socket: Nes.Socket): Promise<AuthCredentials> {
    const token = ticketTokenOf(socket.auth.artifacts)
    const credentials = token ? await auth.authenticate(token) : null
    if (!credentials)
      throw socketUnauthorized(
        'The sign-in behind this socket ticket has ended (logged out, expired or revoked): get a new ticket from GET /nes/auth and connect again',
      )
    socket.auth.credentials = credentials as unknown as Nes.Socket['auth']['credentials']
    return credentials
  }

  async function sweep(): Promise<void> {
    if (sweeping) return
    sweeping = true
    try {
      for (const socket of [...sockets]) {
        const alive = await verify(socket).then(
          () => true,
          (error: unknown) => {
            // only an ended sign-in closes the socket; a database hiccup is logged and tried next time
            if ((error as { isBoom?: boolean }).isBoom) return false
            logger.warn({ err: error }, 'could not check a socket’s sign-in; keeping it until the next check')
            return true
          },
        )
        if (!alive) disconnect(socket)
      }
    } finally {
      sweeping = false
    }
  }

  function disconnect(socket: Nes.Socket) {
    sockets.delete(socket)
    void socket.disconnect()
  }

  function onRevoked(event: unknown) {
    const r = (event ?? {}) as Revoked
    for (const socket of [...sockets]) {
      const c = socket.auth.credentials as unknown as AuthCredentials | null
      if (!c) continue
      if (
        (r.userId && c.user.id === r.userId) ||
        (r.sessionId && c.sessionId === r.sessionId) ||
        (r.tokenId && c.tokenId === r.tokenId)
      )
        disconnect(socket)
    }
  }

  return {
    verify,

    /** nes `onConnection`: a socket that said hello with a ticket whose sign-in still holds. */
    async admit(socket: Nes.Socket): Promise<void> {
      try {
        await verify(socket)
      } catch (error) {
        // after the refusal is sent (nes answers the hello first), close the socket
        setTimeout(() => void socket.disconnect(), 0)
        throw error
      }
      sockets.add(socket)
    },

    /** nes `onDisconnection`. */
    release(socket: Nes.Socket): void {
      sockets.delete(socket)
    },

    async start(): Promise<void> {
      unsubscribe ??= await bus.subscribe(CREDENTIALS_REVOKED, onRevoked)
      timer ??= setInterval(() => void sweep(), deps.verifyEveryMs)
      timer.unref()
    },

    async stop(): Promise<void> {
      if (timer) clearInterval(timer)
      timer = null
      await unsubscribe?.()
      unsubscribe = null
      sockets.clear()
    },
  }
}
export type SocketSessions = ReturnType<typeof createSocketSessions>
