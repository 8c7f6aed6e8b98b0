import type { RoutingInput, RoutingPlan } from './routing-types.js'

/**
 * The state after a plan took effect: assigned conversations leave the queue, each agent holds one more conversation
 * of its kind per assignment and counts as idle since `now`. Returns new objects; the input is not changed.
 * For callers that keep the routing state as plain data, and for tests.
 */
export function applyPlan(input: RoutingInput, plan: RoutingPlan): RoutingInput {
  const byId = new Map(input.queued.map((c) => [c.id, c]))
  const given = new Map<string, string[]>()
  for (const { conversationId, agentId } of plan.assignments) {
    const list = given.get(agentId) ?? []
    list.push(conversationId)
    given.set(agentId, list)
  }
  const agents = input.agents.map((agent) => {
    const ids = given.get(agent.id)
    if (!ids) return agent
    const load = { ...agent.load }
    for (const id of ids) {
      const media = byId.get(id)?.media
      if (media) load[media] = (load[media] ?? 0) + 1
    }
    return { ...agent, load, idleSince: Math.max(agent.idleSince, input.now) }
  })
  const assigned = new Set(plan.assignments.map((a) => a.conversationId))
  return { ...input, agents, queued: input.queued.filter((c) => !assigned.has(c.id)) }
}
