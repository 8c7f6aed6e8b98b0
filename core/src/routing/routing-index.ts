import { unexpectedError, ErrorCode } from '../errors/index.js'
import { agentForConversation } from './agent-for-conversation.js'
import { AgentRoster } from './agent-roster.js'
import { conversationForAgent } from './conversation-for-agent.js'
import { runPlan } from './plan-run.js'
import { queueLookup } from './queue-lookup.js'
import { overflowTimeIn, positionIn } from './bucket-queries.js'
import type {
  Assignment,
  QueuedConversation,
  RoutingAgent,
  RoutingInput,
  RoutingPlan,
  RoutingQueue,
} from './routing-types.js'
import { WaitingBuckets } from './waiting-buckets.js'

/**
 * The routing state kept in memory between decisions, indexed by queue, kind of work, skills and priority, so that
 * the decisions made at runtime cost little: which conversation an agent who just became free takes, which agent a
 * conversation that just arrived goes to. Decisions read the index and never change it; the caller records what it
 * made happen (an assignment it persisted, an agent's new presence or load, a conversation that arrived or left).
 *
 * Every decision is the one {@link planAssignments} would make on the same state. The single-agent and
 * single-conversation questions answer for the state the index is in after each plan has been recorded — no waiting
 * conversation has an eligible agent — and one change since: then the plan's first decision is theirs.
 * The index keeps copies of what it is given. When a queue's configuration changes, build a new index.
 */
export interface RoutingIndex {
  /** Adds an agent or replaces the one with the same id (new presence, load, skills, queues…). */
  upsertAgent(agent: RoutingAgent): void
  /** Takes an agent out (signed out, deleted); returns false when it was not there. */
  removeAgent(agentId: string): boolean
  /** A conversation entered its queue; throws when one with the same id is already waiting. */
  addConversation(conversation: QueuedConversation): void
  /** A conversation left the queue (abandoned, transferred, assigned elsewhere); returns false when it was not waiting. */
  removeConversation(conversationId: string): boolean
  /**
   * An assignment took effect at `now`: the conversation leaves the queue, the agent holds one more of its kind and
   * counts as idle since `now`. Throws when the conversation is not waiting or the agent is unknown.
   */
  recordAssignment(assignment: Assignment, now: number): void
  /** An agent became free or available: the conversation they take now, if any. */
  conversationForAgent(agentId: string, now: number): Assignment | undefined
  /** A conversation arrived (or overflowed): the agent it goes to now, if any. */
  agentForConversation(conversationId: string, now: number): Assignment | undefined
  /** The whole plan at `now`, as {@link planAssignments} makes it. */
  plan(now: number): RoutingPlan
  /** A waiting conversation's place in line (1 = next) among its queue's conversations of the same kind, by serving order. */
  positionOf(conversationId: string, now: number): number | undefined
  /** The next moment after `now` when a waiting conversation overflows to standby agents: plan again then. */
  nextOverflowAt(now: number): number | undefined
  /** The state the index holds, as plain data (copies). */
  snapshot(now: number): RoutingInput
}

/**
 * Builds a {@link RoutingIndex}. Agent ids and conversation ids must be unique (throws otherwise).
 *
 * @example
 * const index = createRoutingIndex({ agents, queues, queued })
 * const decision = index.conversationForAgent('agent-7', Date.now())
 * if (decision && (await persist(decision))) index.recordAssignment(decision, Date.now())
 */
export function createRoutingIndex(state: Omit<RoutingInput, 'now'>): RoutingIndex {
  const queues: RoutingQueue[] = state.queues.map((q) => ({ ...q, requiredSkills: [...q.requiredSkills] }))
  const roster = new AgentRoster()
  roster.addAll(state.agents)
  const buckets = new WaitingBuckets(queueLookup(queues))
  buckets.addAll(state.queued)

  return {
    upsertAgent: (agent) => roster.upsert(agent),
    removeAgent: (agentId) => roster.remove(agentId),
    addConversation: (conversation) => buckets.add(conversation),
    removeConversation: (conversationId) => buckets.remove(conversationId) !== undefined,
    recordAssignment({ conversationId, agentId }, now) {
      const entry = roster.get(agentId)
      if (!entry) throw unexpectedError(ErrorCode.INTERNAL, `cannot record an assignment to unknown agent ${agentId}`)
      const conversation = buckets.remove(conversationId)
      if (!conversation)
        throw unexpectedError(ErrorCode.INTERNAL, `cannot record an assignment of ${conversationId}: it is not waiting`)
      roster.recordWork(entry, conversation.media, now)
    },
    conversationForAgent(agentId, now) {
      const entry = roster.get(agentId)
      return entry && conversationForAgent(entry, buckets, now)
    },
    agentForConversation(conversationId, now) {
      const conversation = buckets.get(conversationId)
      const bucket = buckets.bucketOf(conversationId)
      return conversation && bucket && agentForConversation(conversation, bucket, roster, now)
    },
    plan: (now) => runPlan(roster, buckets, now),
    positionOf(conversationId, now) {
      const conversation = buckets.get(conversationId)
      const bucket = buckets.bucketOf(conversationId)
      if (!conversation || !bucket) return undefined
      let ahead = 0
      for (const other of buckets.ofQueue(bucket.queue.id))
        if (other.media === bucket.media) ahead += positionIn(other, conversation, bucket.queue, now)
      return ahead + 1
    },
    nextOverflowAt(now) {
      let next: number | undefined
      for (const bucket of buckets.all()) {
        const at = overflowTimeIn(bucket, now)
        if (at !== undefined && (next === undefined || at < next)) next = at
      }
      return next
    },
    snapshot: (now) => ({
      agents: [...roster.all()].map(({ agent }) => structuredClone(agent)),
      queues: structuredClone(queues),
      queued: [...buckets.ids()].map((id) => ({ ...buckets.get(id)! })),
      now,
    }),
  }
}
