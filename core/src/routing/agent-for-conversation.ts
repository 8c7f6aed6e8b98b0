import { compareCandidates, type Candidate } from './agent-preference.js'
import type { AgentRoster, RosterEntry } from './agent-roster.js'
import { rosterView, stickyAgentFor } from './agent-view.js'
import { hasOverflowed } from './eligibility.js'
import type { Assignment, QueuedConversation } from './routing-types.js'
import { meetsRequirements, skillScore } from './skill-match.js'
import type { WaitingBucket } from './waiting-buckets.js'

/**
 * The agent a waiting conversation goes to now, or undefined when nobody is eligible: the customer's previous agent
 * when sticky routing applies, else the best of the queue's ready members, else (after overflow) of its ready standby
 * agents. Looks only at agents who could take one more conversation of its kind: O(ready agents of the queue).
 */
export function agentForConversation(
  conversation: QueuedConversation,
  bucket: WaitingBucket,
  roster: AgentRoster,
  now: number,
): Assignment | undefined {
  const sticky = stickyAgentFor(conversation, bucket, roster, rosterView, now)
  if (sticky) return { conversationId: conversation.id, agentId: sticky.agent.id, reason: 'sticky' }
  const member = bestReady(roster.readyMembersOf(bucket.queue.id, bucket.media), bucket, false)
  if (member) return { conversationId: conversation.id, agentId: member.agentId, reason: 'skill' }
  if (!hasOverflowed(bucket.queue, conversation, now)) return undefined
  const standby = bestReady(roster.readyStandbyOf(bucket.queue.id, bucket.media), bucket, true)
  return standby && { conversationId: conversation.id, agentId: standby.agentId, reason: 'overflow' }
}

function bestReady(entries: ReadonlySet<RosterEntry>, bucket: WaitingBucket, standby: boolean): Candidate | undefined {
  let best: Candidate | undefined
  for (const entry of entries) {
    if (!meetsRequirements(entry.agent, bucket.requirements)) continue
    const { id: agentId, idleSince } = entry.agent
    const candidate = { agentId, standby, score: skillScore(entry.agent, bucket.requirements), idleSince }
    if (!best || compareCandidates(candidate, best) < 0) best = candidate
  }
  return best
}
