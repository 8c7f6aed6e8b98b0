// An independent, deliberately naive statement of the routing rules (docs/routing.md), used as the oracle in
// property tests: every decision scans every agent. It shares no code with the engine.
import type {
  MediaKind,
  QueuedConversation,
  RoutingAgent,
  RoutingInput,
  RoutingPlan,
  RoutingQueue,
} from '../routing-types.js'

export function refQueue(queues: readonly RoutingQueue[], id: string): RoutingQueue {
  return queues.find((q) => q.id === id) ?? { id, priority: 0, requiredSkills: [], agingPerMinute: 0 }
}

export function refLevel(agent: RoutingAgent, skill: string): number {
  const level = Object.hasOwn(agent.skills, skill) ? agent.skills[skill] : 0
  return typeof level === 'number' ? level : 0
}

export function refRequirements(queue: RoutingQueue, conversation: QueuedConversation): Map<string, number> {
  const needs = new Map<string, number>()
  for (const r of [...queue.requiredSkills, ...(conversation.requiredSkills ?? [])])
    needs.set(r.skill, Math.max(r.minLevel, needs.get(r.skill) ?? -Infinity))
  return needs
}

export function refEffectivePriority(queue: RoutingQueue, c: QueuedConversation, now: number): number {
  return queue.priority + c.priority + Math.max(0, queue.agingPerMinute) * (Math.max(0, now - c.queuedAt) / 60_000)
}

/** negative: `a` is served before `b` */
export function refServingOrder(queues: readonly RoutingQueue[], now: number) {
  return (a: QueuedConversation, b: QueuedConversation): number => {
    const pa = refEffectivePriority(refQueue(queues, a.queueId), a, now)
    const pb = refEffectivePriority(refQueue(queues, b.queueId), b, now)
    if (pa !== pb) return pa > pb ? -1 : 1
    if (a.queuedAt !== b.queuedAt) return a.queuedAt < b.queuedAt ? -1 : 1
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  }
}

export function refOverflowed(queue: RoutingQueue, c: QueuedConversation, now: number): boolean {
  return queue.overflowAfterMs !== undefined && Math.max(0, now - c.queuedAt) >= queue.overflowAfterMs
}

export function refStickyOpen(queue: RoutingQueue, c: QueuedConversation, now: number): boolean {
  return (
    queue.stickyWindowMs !== undefined &&
    c.previousAgentId !== undefined &&
    c.lastHandledAt !== undefined &&
    now - c.lastHandledAt <= queue.stickyWindowMs
  )
}

const free = (agent: RoutingAgent, media: MediaKind) => (agent.load[media] ?? 0) < (agent.capacity[media] ?? 0)

/** 'member', 'standby' or undefined (not eligible) */
export function refEligibleAs(agent: RoutingAgent, queue: RoutingQueue, c: QueuedConversation, now: number) {
  if (agent.presence !== 'available' || !free(agent, c.media)) return undefined
  for (const [skill, min] of refRequirements(queue, c)) if (refLevel(agent, skill) < min) return undefined
  if (agent.queueIds.includes(queue.id)) return 'member'
  if ((agent.standbyQueueIds ?? []).includes(queue.id) && refOverflowed(queue, c, now)) return 'standby'
  return undefined
}

export function refScore(agent: RoutingAgent, queue: RoutingQueue, c: QueuedConversation): number {
  let score = 0
  for (const skill of refRequirements(queue, c).keys()) score += refLevel(agent, skill)
  return score
}

/** negative: `a` is preferred to `b` for the conversation (both eligible) */
export function refPreference(queue: RoutingQueue, c: QueuedConversation, now: number) {
  return (a: RoutingAgent, b: RoutingAgent): number => {
    const sa = refEligibleAs(a, queue, c, now) === 'standby'
    const sb = refEligibleAs(b, queue, c, now) === 'standby'
    if (sa !== sb) return sa ? 1 : -1
    const ka = refScore(a, queue, c)
    const kb = refScore(b, queue, c)
    if (ka !== kb) return kb - ka
    if (a.idleSince !== b.idleSince) return a.idleSince - b.idleSince
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  }
}

/** The agent of a decision made now, by the rules, or undefined. */
export function refChoose(agents: readonly RoutingAgent[], queue: RoutingQueue, c: QueuedConversation, now: number) {
  const eligible = agents.filter((a) => refEligibleAs(a, queue, c, now))
  if (eligible.length === 0) return undefined
  const previous = refStickyOpen(queue, c, now) ? eligible.find((a) => a.id === c.previousAgentId) : undefined
  if (previous) return { agent: previous, reason: 'sticky' as const }
  const best = [...eligible].sort(refPreference(queue, c, now))[0]!
  return {
    agent: best,
    reason: refEligibleAs(best, queue, c, now) === 'standby' ? ('overflow' as const) : ('skill' as const),
  }
}

/** The plan, by the rules, one conversation at a time in serving order, every agent looked at each time. */
export function referencePlan(input: RoutingInput): RoutingPlan {
  const { queues, now } = input
  const agents = input.agents.map((a) => ({ ...a, load: { ...a.load } }))
  const assignments: RoutingPlan['assignments'] = []
  for (const c of [...input.queued].sort(refServingOrder(queues, now))) {
    const choice = refChoose(agents, refQueue(queues, c.queueId), c, now)
    if (!choice) continue
    assignments.push({ conversationId: c.id, agentId: choice.agent.id, reason: choice.reason })
    choice.agent.load[c.media] = (choice.agent.load[c.media] ?? 0) + 1
    choice.agent.idleSince = Math.max(choice.agent.idleSince, now)
  }
  const assigned = new Set(assignments.map((a) => a.conversationId))
  return { assignments, waiting: input.queued.filter((c) => !assigned.has(c.id)).map((c) => c.id) }
}
