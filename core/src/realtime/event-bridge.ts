import type { Server } from '@hapi/hapi'
import { LRUCache } from 'lru-cache'
import type { EventBus } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import { countAgentLoad } from './agent-load.js'
import { coalesce } from './coalesce.js'
import type { PlacementMemory } from './conversation-placement.js'
import { countQueueStats } from './queue-stats.js'
import {
  readConversationEvent,
  toAgentRealtimeEvent,
  toConversationRealtimeEvent,
  toTypingRealtimeEvent,
  type BusConversationEvent,
  type ConversationRealtimeEvent,
} from './realtime-events.js'
import { conversationPath, queuePath, realtimePaths } from './realtime-paths.js'
import type { PublishInternals } from './realtime-subscriptions.js'
import type { SubscriptionWatchers } from './subscription-watchers.js'

export interface EventBridgeDeps {
  server: Server
  bus: EventBus
  db: Db
  logger: Logger
  placement: PlacementMemory
  watchers: SubscriptionWatchers
  /** how long queue stats and agent load wait to fold a burst of changes into one count */
  coalesceMs: number
}

/**
 * Bus → sockets. Every instance subscribes the bus once (two disjoint patterns, so no event
 * arrives twice) and publishes to its own sockets only; on Redis every instance receives every
 * event, which is the fan-out. Events are published one after the other, so each socket gets
 * them in the order this instance received them, and an event already published (same type,
 * conversation, version and message) is not published again.
 */
export function createEventBridge(deps: EventBridgeDeps) {
  const { server, bus, db, logger, placement, watchers } = deps
  const published = new LRUCache<string, true>({ max: 20_000 })
  const unsubscribers: Array<() => Promise<void>> = []
  let chain: Promise<void> = Promise.resolve()

  const publish = (path: string, message: unknown, internal?: PublishInternals) =>
    Promise.resolve(server.publish(path, message, internal ? { internal } : undefined) as unknown)

  const queueStats = coalesce<string>(
    deps.coalesceMs,
    async (queueIds) => {
      if (!watchers.any(realtimePaths.queues)) return
      for (const stats of await countQueueStats(db, queueIds)) await publish(realtimePaths.queues, stats)
    },
    (error) => logger.warn({ err: error }, 'could not count queue stats for realtime subscribers'),
  )
  const agentLoad = coalesce<string>(
    deps.coalesceMs,
    async (userIds) => {
      if (!watchers.any(realtimePaths.agents)) return
      for (const load of await countAgentLoad(db, userIds)) await publish(realtimePaths.agents, load)
    },
    (error) => logger.warn({ err: error }, 'could not count agent load for realtime subscribers'),
  )

  /** Runs event handling one at a time, in arrival order; a failure is logged and the next goes on. */
  const inOrder = (work: () => Promise<void>) => {
    chain = chain.then(work).catch((error: unknown) => logger.error({ err: error }, 'a realtime event was not relayed'))
    return chain
  }

  /** The conversation's state for an event that does not carry it (e.g. the bot's hand-off): read now. */
  async function completed(type: string, event: BusConversationEvent): Promise<ConversationRealtimeEvent | null> {
    if (event.version !== undefined && event.status !== undefined)
      return toConversationRealtimeEvent(type, event, {
        version: event.version,
        status: event.status,
        queueId: event.queueId ?? null,
        assigneeId: event.assigneeId ?? null,
      })
    const row = await db.conversation.findUnique({
      where: { id: event.conversationId },
      select: { version: true, status: true, queueId: true, assigneeId: true },
    })
    return row ? toConversationRealtimeEvent(type, event, row) : null
  }

  async function relayConversationEvent(raw: unknown, topic: string): Promise<void> {
    if (topic === 'conversation.typing') return relayTyping(raw)
    const read = readConversationEvent(raw)
    const event = read && (await completed(topic, read))
    if (!event) return
    const key = `${event.type}|${event.conversationId}|${event.version}|${event.messageId ?? ''}`
    if (published.has(key)) return
    published.set(key, true)

    const moved = placement.move(event.conversationId, event)
    await publish(conversationPath(event.conversationId), event)
    await publish(realtimePaths.mine, event, { previousAssigneeId: moved.previousAssigneeId })
    for (const queueId of new Set([event.queueId, moved.previousQueueId]))
      if (queueId) await publish(queuePath(queueId), event)

    if (!event.type.startsWith('conversation.message.')) {
      queueStats.add(event.queueId, moved.previousQueueId)
      agentLoad.add(event.assigneeId, moved.previousAssigneeId)
    }
  }

  /** Typing changes nothing: straight to the thread, without a version, a read or de-duplication. */
  async function relayTyping(raw: unknown): Promise<void> {
    const event = toTypingRealtimeEvent(raw)
    if (event) await publish(conversationPath(event.conversationId), event)
  }

  async function relayAgentEvent(raw: unknown, topic: string): Promise<void> {
    const event = toAgentRealtimeEvent(topic, raw)
    if (event) await publish(realtimePaths.agents, event)
  }

  return {
    async start(): Promise<void> {
      if (unsubscribers.length > 0) return
      unsubscribers.push(
        await bus.subscribe('conversation.*', (event, topic) => inOrder(() => relayConversationEvent(event, topic))),
        await bus.subscribe('agent.*', (event, topic) => inOrder(() => relayAgentEvent(event, topic))),
      )
    },
    async stop(): Promise<void> {
      for (const unsubscribe of unsubscribers.splice(0)) await unsubscribe()
      await chain
      await Promise.all([queueStats.stop(), agentLoad.stop()])
    },
  }
}
export type EventBridge = ReturnType<typeof createEventBridge>
