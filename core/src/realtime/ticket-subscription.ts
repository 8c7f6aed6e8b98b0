import type { Server } from '@hapi/hapi'
import type { AuthCredentials, Role } from '../auth/index.js'
import type { EventBus } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import { ticketVisibleTo } from '../tickets/index.js'
import type { SocketSessions } from './socket-sessions.js'
import { createSupervisorScope } from './supervisor-scope.js'

/** Changes of the tickets a person may see: lists and boards follow it instead of polling. */
export const TICKETS_PATH = '/tickets'

/** What a subscriber of /tickets receives: which ticket changed and how (the list reads it again). */
export interface TicketRealtimeEvent {
  type: 'ticket'
  topic: string
  ticketId: number
  version: number
  status: string
  teamId: string | null
  assigneeId: string | null
}

interface TicketBusEvent {
  ticketId?: unknown
  version?: unknown
  status?: unknown
  teamId?: unknown
  assigneeId?: unknown
  previousTeamId?: unknown
  previousAssigneeId?: unknown
}

const idOrNull = (value: unknown) => (typeof value === 'string' ? value : null)

/**
 * The `/tickets` path: every signed-in user subscribes and receives the ticket events (`ticket.*`
 * on the bus) of the tickets they may see now or saw before the change (one escalated away leaves
 * their list), by the rule of ticket-access.ts. Registers its own start and stop with the server.
 */
export function relayTickets(
  server: Server,
  deps: { bus: EventBus; db: Db; logger: Logger; sessions: SocketSessions },
): void {
  const { bus, db, sessions, logger } = deps
  let unsubscribe: (() => Promise<void>) | null = null
  let unfollow: (() => Promise<void>) | null = null
  const scopes = createSupervisorScope(db)

  server.subscription(TICKETS_PATH, {
    auth: { mode: 'required' },
    onSubscribe: async (socket) => {
      await sessions.verify(socket)
    },
    filter: async (_path, message, { credentials }) => {
      const event = message as TicketRealtimeEvent & {
        previousTeamId?: string | null
        previousAssigneeId?: string | null
      }
      const user = (credentials as unknown as AuthCredentials).user
      const viewer = { userId: user.id, role: user.role as Role }
      const scope = await scopes.scopeOf(user)
      if (ticketVisibleTo(event, viewer, scope)) return true
      if (event.previousTeamId === undefined) return false
      return ticketVisibleTo(
        { teamId: event.previousTeamId ?? null, assigneeId: event.previousAssigneeId ?? null },
        viewer,
        scope,
      )
    },
  })

  server.ext('onPreStart', async () => {
    unfollow = await scopes.follow(bus)
    unsubscribe = await bus.subscribe('ticket.*', async (raw, topic) => {
      const event = (raw ?? {}) as TicketBusEvent
      if (typeof event.ticketId !== 'number') return
      try {
        await server.publish(TICKETS_PATH, {
          type: 'ticket',
          topic,
          ticketId: event.ticketId,
          version: typeof event.version === 'number' ? event.version : 0,
          status: typeof event.status === 'string' ? event.status : '',
          teamId: idOrNull(event.teamId),
          assigneeId: idOrNull(event.assigneeId),
          ...('previousTeamId' in event
            ? { previousTeamId: idOrNull(event.previousTeamId), previousAssigneeId: idOrNull(event.previousAssigneeId) }
            : {}),
        })
      } catch (error) {
        logger.warn({ err: error }, 'could not relay a ticket event to the sockets')
      }
    })
  })
  server.ext('onPostStop', async () => {
    await unsubscribe?.()
    unsubscribe = null
    await unfollow?.()
    unfollow = null
  })
}
