import { waitedMs } from './effective-priority.js'
import { meetsRequirements, requiredSkillsFor } from './skill-match.js'
import type { MediaKind, QueuedConversation, RoutingAgent, RoutingQueue } from './routing-types.js'

/** How an agent relates to a conversation's queue: a member, a standby agent the conversation has overflowed to, or neither. */
export type Membership = 'member' | 'standby' | undefined

/** Whether the agent holds fewer conversations of this kind than their capacity for it. */
export function hasFreeCapacity(agent: RoutingAgent, media: MediaKind): boolean {
  return (agent.load[media] ?? 0) < (agent.capacity[media] ?? 0)
}

/** Whether the conversation has waited at least the queue's `overflowAfterMs`, so standby agents may take it. */
export function hasOverflowed(queue: RoutingQueue, conversation: QueuedConversation, now: number): boolean {
  return queue.overflowAfterMs !== undefined && waitedMs(conversation, now) >= queue.overflowAfterMs
}

/**
 * Whether the customer's previous agent is still within the queue's sticky window: the conversation names a previous
 * agent and when they last served the customer, and that was at most `stickyWindowMs` before `now`.
 */
export function isStickyWindowOpen(queue: RoutingQueue, conversation: QueuedConversation, now: number): boolean {
  return (
    queue.stickyWindowMs !== undefined &&
    conversation.previousAgentId !== undefined &&
    conversation.lastHandledAt !== undefined &&
    now - conversation.lastHandledAt <= queue.stickyWindowMs
  )
}

/** A member of the queue; otherwise a standby agent once the conversation has overflowed; otherwise neither. */
export function membershipOf(
  agent: RoutingAgent,
  queue: RoutingQueue,
  conversation: QueuedConversation,
  now: number,
): Membership {
  if (agent.queueIds.includes(queue.id)) return 'member'
  if (agent.standbyQueueIds?.includes(queue.id) && hasOverflowed(queue, conversation, now)) return 'standby'
  return undefined
}

/**
 * Whether the agent may be given the conversation now: available, with free capacity for its kind, a member of its
 * queue (or standby after overflow), and meeting every required skill at its least level.
 */
export function isEligible(
  agent: RoutingAgent,
  queue: RoutingQueue,
  conversation: QueuedConversation,
  now: number,
): boolean {
  return (
    agent.presence === 'available' &&
    hasFreeCapacity(agent, conversation.media) &&
    membershipOf(agent, queue, conversation, now) !== undefined &&
    meetsRequirements(agent, requiredSkillsFor(queue, conversation))
  )
}
