import type { Server } from '@hapi/hapi'
import type { Nes } from '@hapi/nes'
import type { AuthCredentials } from '../auth/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import type { PlacementMemory } from './conversation-placement.js'
import { countQueueStats } from './queue-stats.js'
import type { AgentRealtimeEvent, ConversationRealtimeEvent, QueueStatsRealtimeEvent } from './realtime-events.js'
import { realtimePaths, type RealtimePathTemplate } from './realtime-paths.js'
import type { SocketSessions } from './socket-sessions.js'
import type { SubscriptionAccess } from './subscription-access.js'
import type { SubscriptionWatchers } from './subscription-watchers.js'

export interface SubscriptionDeps {
  db: Db
  logger: Logger
  sessions: SocketSessions
  access: SubscriptionAccess
  placement: PlacementMemory
  watchers: SubscriptionWatchers
}

/** What the bridge passes to filters beside the payload (never sent to clients). */
export interface PublishInternals {
  previousAssigneeId: string | null
}

/** How many of an agent's assigned conversations are loaded into the placement memory on subscribe. */
const SEED_LIMIT = 1_000

type Params = Record<string, string>

/**
 * Declares the five subscription paths. Every subscribe checks the socket's sign-in again, then
 * who may follow the path (subscription-access.ts); refusals are 401, 403 or 404 with a message
 * saying why. What a subscriber will be told about is loaded into the placement memory. Every
 * event is filtered per socket by the same rules, so a supervisor gets only their teams' part.
 */
export function declareSubscriptions(server: Server, deps: SubscriptionDeps): void {
  const { db, sessions, access, placement, watchers } = deps
  const auth = { mode: 'required' } as const

  /** Wraps a subscribe check: fresh credentials, the check, then counts the watcher. */
  const guarded =
    (
      template: RealtimePathTemplate,
      check: (c: AuthCredentials, params: Params, socket: Nes.Socket) => Promise<void>,
    ) =>
    async (socket: Nes.Socket, _path: string, params?: unknown) => {
      const credentials = await sessions.verify(socket)
      await check(credentials, (params ?? {}) as Params, socket)
      watchers.add(template)
    }
  const unwatched = (template: RealtimePathTemplate) => () => watchers.remove(template)

  server.subscription(realtimePaths.mine, {
    auth,
    onSubscribe: guarded(realtimePaths.mine, async (credentials) => {
      const rows = await db.conversation.findMany({
        where: { assigneeId: credentials.user.id, status: 'assigned' },
        select: { id: true, version: true, queueId: true, assigneeId: true },
        take: SEED_LIMIT,
      })
      for (const { id, ...row } of rows) placement.seed(id, row)
    }),
    onUnsubscribe: unwatched(realtimePaths.mine),
    filter: (_path, message, { credentials, internal }) => {
      const me = (credentials as unknown as AuthCredentials | undefined)?.user.id
      const event = message as ConversationRealtimeEvent
      return event.assigneeId === me || (internal as PublishInternals | undefined)?.previousAssigneeId === me
    },
  })

  server.subscription(realtimePaths.conversation, {
    auth,
    onSubscribe: guarded(realtimePaths.conversation, async (credentials, { id }) => {
      placement.seed(id!, await access.requireConversation(credentials, id!))
    }),
    onUnsubscribe: unwatched(realtimePaths.conversation),
    filter: async (path, message, { socket, credentials }) => {
      const c = credentials as unknown as AuthCredentials
      // an event without a version (typing) moves nothing: access stands as last checked
      if (!('version' in (message as object))) return true
      if (await access.maySeeConversation(c, message as ConversationRealtimeEvent)) return true
      // the conversation left the subscriber's reach: this change is the last they get, as the revocation
      void socket.revoke(path, message, { ignoreClose: true }).catch(() => undefined)
      return false
    },
  })

  server.subscription(realtimePaths.queue, {
    auth,
    onSubscribe: guarded(realtimePaths.queue, async (credentials, { queueId }) => {
      await access.requireQueue(credentials, queueId!)
      const rows = await db.conversation.findMany({
        where: { queueId, status: { in: ['queued', 'assigned'] } },
        select: { id: true, version: true, queueId: true, assigneeId: true },
        take: SEED_LIMIT,
      })
      for (const { id, ...row } of rows) placement.seed(id, row)
    }),
    onUnsubscribe: unwatched(realtimePaths.queue),
    filter: async (path, message, { socket, credentials, params }) => {
      const { queueId } = params as Params
      if (await access.mayFollowQueue(credentials as unknown as AuthCredentials, queueId!)) return true
      // no longer a member, or the queue moved to another team: this event is the last, as the revocation
      void socket.revoke(path, message, { ignoreClose: true }).catch(() => undefined)
      return false
    },
  })

  server.subscription(realtimePaths.agents, {
    auth,
    onSubscribe: guarded(realtimePaths.agents, async (credentials) =>
      access.requireSupervisor(credentials, realtimePaths.agents),
    ),
    onUnsubscribe: unwatched(realtimePaths.agents),
    filter: (_path, message, { credentials }) =>
      access.mayWatchAgent(credentials as unknown as AuthCredentials, (message as AgentRealtimeEvent).userId),
  })

  server.subscription(realtimePaths.queues, {
    auth,
    onSubscribe: guarded(realtimePaths.queues, async (credentials, _params, socket) => {
      access.requireSupervisor(credentials, realtimePaths.queues)
      // a new subscriber gets the stats of every queue it may see at once
      setImmediate(() => void sendQueueSnapshot(socket, credentials))
    }),
    onUnsubscribe: unwatched(realtimePaths.queues),
    filter: (_path, message, { credentials }) =>
      access.mayFollowQueue(credentials as unknown as AuthCredentials, (message as QueueStatsRealtimeEvent).queueId),
  })

  async function sendQueueSnapshot(socket: Nes.Socket, credentials: AuthCredentials) {
    try {
      for (const stats of await countQueueStats(db))
        if (await access.mayFollowQueue(credentials, stats.queueId)) await socket.publish(realtimePaths.queues, stats)
    } catch (error) {
      if (socket.isOpen()) deps.logger.warn({ err: error }, 'could not send the queue stats to a new subscriber')
    }
  }
}
