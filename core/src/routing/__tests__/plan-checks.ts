// The promises a plan keeps, checked by replaying it decision by decision against the naive rules.
import type { RoutingAgent, RoutingInput, RoutingPlan } from '../routing-types.js'
import { refEligibleAs, refPreference, refQueue, refServingOrder, refStickyOpen } from './reference-plan.js'

function fail(message: string): never {
  throw new Error(message)
}

/** Throws, naming the broken promise, when the plan does not keep one. */
export function checkPlan(input: RoutingInput, plan: RoutingPlan): void {
  const { queues, now } = input
  const ids = input.queued.map((c) => c.id)
  const assignedIds = plan.assignments.map((a) => a.conversationId)

  // assigned at most once, nothing lost, waiting in input order
  if (new Set(assignedIds).size !== assignedIds.length) fail('a conversation is assigned twice in one plan')
  const assigned = new Set(assignedIds)
  for (const id of assignedIds) if (!ids.includes(id)) fail(`assigned ${id} was not queued`)
  const expectedWaiting = ids.filter((id) => !assigned.has(id))
  if (JSON.stringify(plan.waiting) !== JSON.stringify(expectedWaiting))
    fail(`waiting ${JSON.stringify(plan.waiting)} is not the unassigned ${JSON.stringify(expectedWaiting)}`)

  const agents = new Map<string, RoutingAgent>(input.agents.map((a) => [a.id, { ...a, load: { ...a.load } }]))
  const byId = new Map(input.queued.map((c) => [c.id, c]))
  const waiting = input.queued.filter((c) => !assigned.has(c.id))
  const servedBefore = refServingOrder(queues, now)

  for (const { conversationId, agentId, reason } of plan.assignments) {
    const c = byId.get(conversationId)!
    const queue = refQueue(queues, c.queueId)
    const agent = agents.get(agentId) ?? fail(`assigned to unknown agent ${agentId}`)
    const as = refEligibleAs(agent, queue, c, now)
    if (!as) fail(`${conversationId} went to ${agentId}, who was not eligible at that moment`)

    const eligible = [...agents.values()].filter((a) => refEligibleAs(a, queue, c, now))
    const previous = eligible.find((a) => a.id === c.previousAgentId)
    if (refStickyOpen(queue, c, now) && previous) {
      if (agentId !== previous.id || reason !== 'sticky') fail(`${conversationId} did not stick to ${previous.id}`)
    } else {
      if (reason === 'sticky')
        fail(`${conversationId} is marked sticky without an eligible previous agent in the window`)
      if (reason !== (as === 'standby' ? 'overflow' : 'skill')) fail(`${conversationId}: reason ${reason} for a ${as}`)
      const better = eligible.find((b) => b !== agent && refPreference(queue, c, now)(b, agent) < 0)
      if (better) fail(`${conversationId} went to ${agentId} though ${better.id} was a better match`)
    }

    // priority: nothing served before it is left waiting with this agent eligible for it
    for (const w of waiting)
      if (servedBefore(w, c) < 0 && refEligibleAs(agent, refQueue(queues, w.queueId), w, now))
        fail(`${w.id} was left waiting though ${agentId}, who took lower-ranked ${conversationId}, was eligible for it`)

    agent.load[c.media] = (agent.load[c.media] ?? 0) + 1
    agent.idleSince = Math.max(agent.idleSince, now)
    if (agent.load[c.media]! > (agent.capacity[c.media] ?? 0)) fail(`${agentId} is over capacity for ${c.media}`)
  }

  // nothing left waiting that someone could take
  for (const w of waiting)
    for (const agent of agents.values())
      if (refEligibleAs(agent, refQueue(queues, w.queueId), w, now))
        fail(`${w.id} was left waiting though ${agent.id} could still take it`)
}
