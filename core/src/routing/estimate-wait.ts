import { averageHandleTimes, type HandleTime } from './handle-times.js'
import { hasFreeCapacity } from './eligibility.js'
import { mediaKinds } from './media-kinds.js'
import { queueLookup } from './queue-lookup.js'
import { queuePositions, type QueuePosition } from './queue-positions.js'
import type { MediaKind, RoutingAgent, RoutingInput } from './routing-types.js'
import { meetsRequirements } from './skill-match.js'

/** What the wait estimate needs besides the routing state. */
export interface WaitEstimateInput extends RoutingInput {
  /** recently finished conversations (e.g. the last hour's), for the average handle time per queue and kind */
  recentHandleTimes: readonly HandleTime[]
  /** handle times to use when nothing recent is known, per kind (else `defaultHandleMs`) */
  defaultHandleMs?: Partial<Record<MediaKind, number>>
}

/** A waiting conversation's position and how long it can expect to wait from `now`. */
export interface WaitEstimate extends QueuePosition {
  /** expected wait from `now` in ms; null when no agent serving the queue is at work (available or in after-call work) */
  estimatedWaitMs: number | null
  /** the average handle time the estimate used */
  averageHandleMs: number
  /** conversations of this kind the queue's agents can hold at once, each agent's capacity shared between the queues they serve with work of this kind waiting */
  servingSlots: number
  /** slots free right now among the queue's available agents */
  freeSlots: number
}

/**
 * Estimated wait of every waiting conversation, in input order (for announcements and callback offers).
 *
 * The model: the queue's serving slots for a kind of work are the capacities of its members who are at work
 * (available or in after-call work) and have the queue's skills; an agent who is a member of several queues with
 * work of that kind waiting shares their capacity equally between them. Each slot finishes a conversation every
 * average handle time, so slots free up at `servingSlots / averageHandleMs`. A conversation with `position - 1`
 * ahead of it, when `freeSlots` are free now, waits for `max(0, position - freeSlots)` slots to free up:
 * `max(0, position - freeSlots) × averageHandleMs / servingSlots`. It leaves out standby agents, conversations that
 * will arrive with a higher priority, and abandons; it is an expectation, not a promise.
 */
export function estimateWait(input: WaitEstimateInput): WaitEstimate[] {
  const handleMs = averageHandleTimes(input.recentHandleTimes, input.defaultHandleMs)
  const queueOf = queueLookup(input.queues)
  const demand = new Set(input.queued.map((c) => lineKey(c.queueId, c.media)))
  const serving = new Map<string, number>()
  const free = new Map<string, number>()
  for (const agent of input.agents) {
    if (agent.presence !== 'available' && agent.presence !== 'after-call-work') continue
    for (const media of mediaKinds) {
      const capacity = agent.capacity[media] ?? 0
      if (capacity <= 0) continue
      const lines = servedLines(agent, media, demand, (id) => meetsRequirements(agent, queueOf(id).requiredSkills))
      for (const key of lines) {
        serving.set(key, (serving.get(key) ?? 0) + capacity / lines.length)
        if (agent.presence === 'available' && hasFreeCapacity(agent, media))
          free.set(key, (free.get(key) ?? 0) + capacity - (agent.load[media] ?? 0))
      }
    }
  }
  const lines = new Map<string, Omit<WaitEstimate, keyof QueuePosition | 'estimatedWaitMs'>>()
  const lineOf = (queueId: string, media: MediaKind) => {
    const key = lineKey(queueId, media)
    let line = lines.get(key)
    if (!line) {
      line = {
        averageHandleMs: handleMs(queueId, media),
        servingSlots: serving.get(key) ?? 0,
        freeSlots: free.get(key) ?? 0,
      }
      lines.set(key, line)
    }
    return line
  }
  return queuePositions(input).map((position) => {
    const line = lineOf(position.queueId, position.media)
    const toWaitFor = Math.max(0, position.position - line.freeSlots)
    const estimatedWaitMs =
      toWaitFor === 0
        ? 0
        : line.servingSlots > 0
          ? Math.round((toWaitFor * line.averageHandleMs) / line.servingSlots)
          : null
    // spelled out: spreading two objects into one costs V8 a slow path, ten times the rest of the work here
    const { conversationId, queueId, media, effectivePriority } = position
    const { averageHandleMs, servingSlots, freeSlots } = line
    return {
      conversationId,
      queueId,
      media,
      position: position.position,
      effectivePriority,
      estimatedWaitMs,
      averageHandleMs,
      servingSlots,
      freeSlots,
    }
  })
}

function lineKey(queueId: string, media: MediaKind): string {
  return `${media}\u0000${queueId}`
}

// the agent's member queues with work of this kind waiting that they have the skills for
function servedLines(
  agent: RoutingAgent,
  media: MediaKind,
  demand: ReadonlySet<string>,
  qualifies: (queueId: string) => boolean,
): string[] {
  const lines = new Set<string>()
  for (const queueId of agent.queueIds) {
    const key = lineKey(queueId, media)
    if (demand.has(key) && qualifies(queueId)) lines.add(key)
  }
  return [...lines]
}
