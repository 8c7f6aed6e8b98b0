/** What an agent is doing: only `available` agents are given new work. */
export type Presence = 'available' | 'away' | 'busy' | 'after-call-work'

/** The kind of work a conversation is; an agent's capacity is counted per kind. */
export type MediaKind = 'chat' | 'voice' | 'email'

/** A skill a conversation needs, and the least level (1 basic … 5 expert) that will do. */
export interface SkillRequirement {
  skill: string
  minLevel: number
}

/** An agent as the router sees them at one moment. */
export interface RoutingAgent {
  id: string
  presence: Presence
  /** skill name → level 1 (basic) … 5 (expert); a skill not listed counts as level 0 */
  skills: Record<string, number>
  /** the queues the agent is a member of */
  queueIds: string[]
  /** the queues the agent helps as standby, once a conversation has waited past the queue's `overflowAfterMs` */
  standbyQueueIds?: string[]
  /** how many conversations of each kind the agent can hold at once (e.g. 1 call or 5 chats); a kind not listed is 0 */
  capacity: Partial<Record<MediaKind, number>>
  /** how many conversations of each kind the agent holds now; a kind not listed is 0 */
  load: Partial<Record<MediaKind, number>>
  /**
   * Epoch ms since when the agent has been waiting for work: the last time they became available, finished a
   * conversation or were given one. Within a plan, an agent given a conversation counts as idle since `now`.
   */
  idleSince: number
}

/** A queue's routing configuration. */
export interface RoutingQueue {
  id: string
  /** added to the priority of every conversation in the queue */
  priority: number
  /** skills every agent taking work from this queue needs */
  requiredSkills: SkillRequirement[]
  /** priority points a conversation gains per minute waited (wait-time aging); negative values count as 0 */
  agingPerMinute: number
  /** after a conversation has waited this long, the queue's standby agents may take it; unset: no overflow */
  overflowAfterMs?: number
  /** a returning customer goes to their previous agent if that agent served them at most this long ago; unset: no sticky routing */
  stickyWindowMs?: number
}

/** A conversation waiting in a queue. */
export interface QueuedConversation {
  id: string
  queueId: string
  media: MediaKind
  /** the conversation's own priority (e.g. the VIP boost from the contact's tags), added to the queue's */
  priority: number
  /** skills this conversation needs on top of the queue's (e.g. a language); the higher level wins when both name a skill */
  requiredSkills?: SkillRequirement[]
  /** epoch ms when it entered the queue */
  queuedAt: number
  /** the agent who served this customer before, for sticky routing */
  previousAgentId?: string
  /** epoch ms when that agent last served the customer */
  lastHandledAt?: number
}

/** Why an agent was chosen. */
export type AssignmentReason = 'sticky' | 'skill' | 'overflow'

/** One decision: this conversation goes to this agent. */
export interface Assignment {
  conversationId: string
  agentId: string
  /** `sticky`: the customer's previous agent; `overflow`: a standby agent; `skill`: a member of the queue */
  reason: AssignmentReason
}

/** Everything a routing decision depends on. */
export interface RoutingInput {
  agents: RoutingAgent[]
  queues: RoutingQueue[]
  queued: QueuedConversation[]
  /** epoch ms; the decision depends on the clock only through this */
  now: number
}

/** The result of a plan: every queued conversation is either assigned or still waiting. */
export interface RoutingPlan {
  /** in the order they were decided: highest effective priority first */
  assignments: Assignment[]
  /** ids of the conversations left waiting, in input order */
  waiting: string[]
}
