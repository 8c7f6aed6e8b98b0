import { z } from 'zod'

/**
 * What the console receives. Every payload names its `type` (the bus topic it comes from, or
 * `agent.load` / `queue.stats`, which the realtime module computes). Conversation events carry
 * the conversation's `version`: it increases with every change, so a client keeps the highest
 * version it has seen per conversation and ignores the state in events with a lower one.
 */
export interface ConversationRealtimeEvent {
  type: string
  conversationId: string
  version: number
  /** bot | queued | assigned | resolved */
  status: string
  queueId: string | null
  assigneeId: string | null
  /** message events: the message, its sequence number in the thread, inbound/outbound/internal */
  messageId?: string
  seq?: number
  direction?: string
  /** who wrote an outbound message: bot or agent */
  by?: string
  /** assignments: why this agent (skill, sticky, overflow, transfer…) */
  reason?: string
  channel?: string
  contactId?: string
  priority?: number
  /** conversation.message.failed: what the channel answered */
  error?: string
}

export interface AgentPresenceRealtimeEvent {
  type: 'agent.presence'
  userId: string
  presence: string
  reason: string | null
  since: string
}

export interface AgentCapacityRealtimeEvent {
  type: 'agent.capacity'
  userId: string
  capacity: Record<string, number>
}

export interface AgentLoadRealtimeEvent {
  type: 'agent.load'
  userId: string
  /** conversations assigned now, per media kind (chat, voice, email) */
  load: Record<string, number>
  /** when it was counted (ISO 8601) */
  at: string
}

export interface QueueStatsRealtimeEvent {
  type: 'queue.stats'
  queueId: string
  /** conversations waiting in the queue */
  waiting: number
  /** when the longest-waiting one was queued (ISO 8601), null when none waits */
  oldestQueuedAt: string | null
  /** how long it had waited when this was counted */
  longestWaitMs: number
  /** when it was counted (ISO 8601) */
  at: string
}

/**
 * Someone is typing in a conversation (`from`: `visitor` or `agent`). Ephemeral: it changes no
 * state, carries no version and only goes to the conversation's thread.
 */
export interface TypingRealtimeEvent {
  type: 'conversation.typing'
  conversationId: string
  from: string
}

export type AgentRealtimeEvent = AgentPresenceRealtimeEvent | AgentCapacityRealtimeEvent | AgentLoadRealtimeEvent

const optionalText = z.string().optional().catch(undefined)

/** A conversation event as modules publish it on the bus; fields other modules may omit are optional. */
const busConversationEvent = z.object({
  conversationId: z.string().min(1),
  version: z.number().int().optional().catch(undefined),
  status: optionalText,
  queueId: z.string().nullable().optional().catch(undefined),
  assigneeId: z.string().nullable().optional().catch(undefined),
  messageId: optionalText,
  seq: z.number().int().optional().catch(undefined),
  direction: optionalText,
  by: optionalText,
  reason: optionalText,
  channel: optionalText,
  contactId: optionalText,
  priority: z.number().optional().catch(undefined),
  error: optionalText,
})
export type BusConversationEvent = z.infer<typeof busConversationEvent>

/** Reads a bus event of a `conversation.*` topic; null when it names no conversation. */
export function readConversationEvent(event: unknown): BusConversationEvent | null {
  const parsed = busConversationEvent.safeParse(event)
  return parsed.success ? parsed.data : null
}

/** The payload sent to sockets: the documented fields only, whatever else the bus event carried. */
export function toConversationRealtimeEvent(
  type: string,
  event: BusConversationEvent,
  state: { version: number; status: string; queueId: string | null; assigneeId: string | null },
): ConversationRealtimeEvent {
  const optional = (
    ['messageId', 'seq', 'direction', 'by', 'reason', 'channel', 'contactId', 'priority', 'error'] as const
  )
    .filter((key) => event[key] !== undefined)
    .map((key) => [key, event[key]])
  return {
    type,
    conversationId: event.conversationId,
    ...state,
    ...(Object.fromEntries(optional) as Partial<ConversationRealtimeEvent>),
  }
}

const busTypingEvent = z.object({ conversationId: z.string().min(1), from: z.string().max(20).catch('visitor') })

/** Reads `conversation.typing` from the bus; null when it names no conversation. */
export function toTypingRealtimeEvent(event: unknown): TypingRealtimeEvent | null {
  const parsed = busTypingEvent.safeParse(event)
  return parsed.success ? { type: 'conversation.typing', ...parsed.data } : null
}

const busAgentEvent = z.object({
  userId: z.string().min(1),
  presence: z.string().optional(),
  reason: z.string().nullable().optional(),
  since: z.union([z.string(), z.date()]).optional(),
  capacity: z.record(z.string(), z.number()).optional(),
})

/** Reads `agent.presence` and `agent.capacity` from the bus; null for anything else. */
export function toAgentRealtimeEvent(topic: string, event: unknown): AgentRealtimeEvent | null {
  const parsed = busAgentEvent.safeParse(event)
  if (!parsed.success) return null
  const { userId, presence, reason, since, capacity } = parsed.data
  if (topic === 'agent.presence' && presence)
    return {
      type: 'agent.presence',
      userId,
      presence,
      reason: reason ?? null,
      since: since instanceof Date ? since.toISOString() : (since ?? new Date().toISOString()),
    }
  if (topic === 'agent.capacity' && capacity) return { type: 'agent.capacity', userId, capacity }
  return null
}
