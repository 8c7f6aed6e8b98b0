import type { AgentRoster, RosterEntry } from './agent-roster.js'
import { hasFreeCapacity, hasOverflowed, isStickyWindowOpen, type Membership } from './eligibility.js'
import { meetsRequirements } from './skill-match.js'
import type { MediaKind, QueuedConversation } from './routing-types.js'
import type { WaitingBucket } from './waiting-buckets.js'

/** The changing part of agents as a decision sees it: the roster's own, or a plan's running tally. */
export interface AgentView {
  hasFreeCapacity(entry: RosterEntry, media: MediaKind): boolean
  idleSince(entry: RosterEntry): number
}

/** The agents as the roster holds them. */
export const rosterView: AgentView = {
  hasFreeCapacity: (entry, media) => hasFreeCapacity(entry.agent, media),
  idleSince: (entry) => entry.agent.idleSince,
}

/**
 * How the agent may take a conversation of this bucket, given whether it has overflowed: as a member, as standby,
 * or not at all (not available, no free capacity for its kind, not in the queue, or missing a skill).
 */
export function eligibleAs(
  entry: RosterEntry,
  view: AgentView,
  bucket: WaitingBucket,
  overflowed: boolean,
): Membership {
  if (entry.agent.presence !== 'available' || !view.hasFreeCapacity(entry, bucket.media)) return undefined
  const queueId = bucket.queue.id
  const membership = entry.memberOf.has(queueId)
    ? 'member'
    : overflowed && entry.standbyFor.has(queueId)
      ? 'standby'
      : undefined
  return membership && meetsRequirements(entry.agent, bucket.requirements) ? membership : undefined
}

/** The customer's previous agent, when the queue's sticky window is open and that agent is eligible now. */
export function stickyAgentFor(
  conversation: QueuedConversation,
  bucket: WaitingBucket,
  roster: AgentRoster,
  view: AgentView,
  now: number,
): RosterEntry | undefined {
  if (!isStickyWindowOpen(bucket.queue, conversation, now)) return undefined
  const entry = roster.get(conversation.previousAgentId!)
  if (!entry) return undefined
  return eligibleAs(entry, view, bucket, hasOverflowed(bucket.queue, conversation, now)) ? entry : undefined
}
