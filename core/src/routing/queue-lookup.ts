import type { RoutingQueue } from './routing-types.js'

/**
 * The queues by id. A conversation whose queue is not in the list is routed as if its queue had priority 0, no
 * aging, no required skills, no overflow and no sticky window, so it is never silently dropped.
 */
export type QueueLookup = (queueId: string) => RoutingQueue

/** Builds the lookup of {@link QueueLookup}. */
export function queueLookup(queues: readonly RoutingQueue[]): QueueLookup {
  const byId = new Map<string, RoutingQueue>()
  for (const queue of queues) byId.set(queue.id, queue)
  const defaults = new Map<string, RoutingQueue>()
  return (queueId) => {
    const queue = byId.get(queueId)
    if (queue) return queue
    let fallback = defaults.get(queueId)
    if (!fallback) {
      fallback = { id: queueId, priority: 0, requiredSkills: [], agingPerMinute: 0 }
      defaults.set(queueId, fallback)
    }
    return fallback
  }
}
