import { createRoutingIndex } from './routing-index.js'
import type { RoutingInput, RoutingPlan } from './routing-types.js'

/**
 * Decides which waiting conversations go to which agents at `now`. Pure: no I/O, the same input gives the same plan,
 * and the input is not changed.
 *
 * Conversations are served in order of effective priority (queue priority + own priority + aging), then arrival.
 * Each goes to the customer's previous agent when the queue's sticky window is open and that agent is eligible;
 * otherwise to the best eligible agent — a member of the queue before a standby agent (standby only once the
 * conversation has overflowed), then the better skill match, then the one idle longest. Eligible means available,
 * below capacity for the conversation's kind, in the queue (or standby after overflow), with every required skill at
 * its least level. Loads and idle times are updated as the plan goes, so no agent goes over capacity; each
 * conversation is assigned at most once, and every one is either assigned or listed as waiting.
 * Throws when two agents or two conversations share an id.
 *
 * @example
 * const { assignments, waiting } = planAssignments({ agents, queues, queued, now: Date.now() })
 */
export function planAssignments(input: RoutingInput): RoutingPlan {
  return createRoutingIndex(input).plan(input.now)
}
