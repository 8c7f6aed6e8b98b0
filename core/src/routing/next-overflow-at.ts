import { hasOverflowed } from './eligibility.js'
import { queueLookup } from './queue-lookup.js'
import type { RoutingInput } from './routing-types.js'

/**
 * The next moment after `now` when a waiting conversation overflows to its queue's standby agents, or undefined when
 * none will. Overflow is the one way the passing of time alone can make an agent eligible, so a caller that plans on
 * events (an agent freed, a conversation queued) also plans at this moment.
 */
export function nextOverflowAt({ queues, queued, now }: Omit<RoutingInput, 'agents'>): number | undefined {
  const queueOf = queueLookup(queues)
  let next: number | undefined
  for (const conversation of queued) {
    const queue = queueOf(conversation.queueId)
    if (queue.overflowAfterMs === undefined || hasOverflowed(queue, conversation, now)) continue
    const at = conversation.queuedAt + queue.overflowAfterMs
    if (next === undefined || at < next) next = at
  }
  return next
}
