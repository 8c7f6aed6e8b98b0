import type { QueuedConversation, RoutingQueue } from './routing-types.js'

const minute = 60_000

/**
 * A waiting conversation's priority at `now`: the queue's priority, plus the conversation's own (VIP boost), plus
 * `agingPerMinute` points for every minute it has waited (fractions count; a negative rate counts as 0, a
 * `queuedAt` in the future as no wait). Higher goes first.
 *
 * @example effectivePriority({ priority: 10, agingPerMinute: 1, … }, { priority: 5, queuedAt: now - 120_000, … }, now) // 17
 */
export function effectivePriority(queue: RoutingQueue, conversation: QueuedConversation, now: number): number {
  return queue.priority + conversation.priority + agingRate(queue) * (waitedMs(conversation, now) / minute)
}

/** How long a conversation has waited at `now` (never negative). */
export function waitedMs(conversation: QueuedConversation, now: number): number {
  return Math.max(0, now - conversation.queuedAt)
}

/** The queue's aging rate, never negative. */
export function agingRate(queue: RoutingQueue): number {
  return queue.agingPerMinute > 0 ? queue.agingPerMinute : 0
}

/** A conversation with its effective priority at some moment, for ordering. */
export interface RankedConversation {
  conversation: QueuedConversation
  effectivePriority: number
}

/**
 * The order in which waiting conversations are served: higher effective priority first, then the one queued
 * earlier, then the smaller id (so the order is total and decisions are deterministic).
 */
export function compareRanked(a: RankedConversation, b: RankedConversation): number {
  if (a.effectivePriority !== b.effectivePriority) return a.effectivePriority > b.effectivePriority ? -1 : 1
  return compareArrival(a.conversation, b.conversation)
}

/** Earlier `queuedAt` first, then the smaller id. */
export function compareArrival(a: QueuedConversation, b: QueuedConversation): number {
  if (a.queuedAt !== b.queuedAt) return a.queuedAt < b.queuedAt ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
