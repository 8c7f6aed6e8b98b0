import type { RosterEntry } from './agent-roster.js'
import { compareRanked, effectivePriority, type RankedConversation } from './effective-priority.js'
import { hasFreeCapacity, hasOverflowed, isStickyWindowOpen } from './eligibility.js'
import type { Assignment, RoutingAgent } from './routing-types.js'
import { meetsRequirements } from './skill-match.js'
import type { WaitingBucket, WaitingBuckets } from './waiting-buckets.js'

interface Pick extends RankedConversation {
  bucket: WaitingBucket
  standby: boolean
}

/**
 * The waiting conversation an agent should take now, or undefined when there is none they are eligible for: the
 * first in serving order (effective priority, then arrival) among the conversations of the agent's member queues and,
 * once overflowed, of their standby queues, that they have the skills and free capacity for. Only the oldest
 * conversation of each bucket can be first, so this looks at one conversation per bucket of the agent's queues.
 */
export function conversationForAgent(entry: RosterEntry, buckets: WaitingBuckets, now: number): Assignment | undefined {
  const { agent } = entry
  if (agent.presence !== 'available') return undefined
  let best: Pick | undefined
  for (const queueId of entry.memberOf) best = bestHead(buckets.ofQueue(queueId), agent, false, now, best)
  for (const queueId of entry.standbyFor) best = bestHead(buckets.ofQueue(queueId), agent, true, now, best)
  if (!best) return undefined
  const { conversation, bucket, standby } = best
  const sticky = isStickyWindowOpen(bucket.queue, conversation, now) && conversation.previousAgentId === agent.id
  return {
    conversationId: conversation.id,
    agentId: agent.id,
    reason: sticky ? 'sticky' : standby ? 'overflow' : 'skill',
  }
}

// the better of `best` and the first conversation of each bucket the agent may take
function bestHead(
  buckets: Iterable<WaitingBucket>,
  agent: RoutingAgent,
  standby: boolean,
  now: number,
  best: Pick | undefined,
): Pick | undefined {
  for (const bucket of buckets) {
    const head = bucket.conversations[0]
    if (!head || !hasFreeCapacity(agent, bucket.media)) continue
    if (standby && !hasOverflowed(bucket.queue, head, now)) continue
    if (!meetsRequirements(agent, bucket.requirements)) continue
    const ranked = { conversation: head, effectivePriority: effectivePriority(bucket.queue, head, now) }
    if (!best || compareRanked(ranked, best) < 0) best = { ...ranked, bucket, standby }
  }
  return best
}
