import type { QueuedConversation, RoutingAgent, RoutingQueue, SkillRequirement } from './routing-types.js'

/**
 * The skills an agent needs for a conversation: the queue's and the conversation's own, one entry per skill (the
 * higher level when both name it), sorted by skill name.
 */
export function requiredSkillsFor(queue: RoutingQueue, conversation: QueuedConversation): SkillRequirement[] {
  return mergeRequirements(queue.requiredSkills, conversation.requiredSkills ?? [])
}

/** One entry per skill, the highest level asked for, sorted by skill name. */
export function mergeRequirements(...lists: ReadonlyArray<readonly SkillRequirement[]>): SkillRequirement[] {
  const levels = new Map<string, number>()
  for (const list of lists)
    for (const { skill, minLevel } of list) levels.set(skill, Math.max(minLevel, levels.get(skill) ?? minLevel))
  return [...levels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([skill, minLevel]) => ({ skill, minLevel }))
}

/** A stable text key for a list of requirements (as {@link mergeRequirements} returns it). */
export function requirementsKey(requirements: readonly SkillRequirement[]): string {
  return requirements.map((r) => `${r.skill}\u0000${r.minLevel}`).join('\u0001')
}

/** Whether the agent has every required skill at its least level or above. */
export function meetsRequirements(agent: RoutingAgent, requirements: readonly SkillRequirement[]): boolean {
  for (const { skill, minLevel } of requirements) if (skillLevel(agent, skill) < minLevel) return false
  return true
}

/** The agent's level in a skill; 0 when the agent does not have it. */
export function skillLevel(agent: RoutingAgent, skill: string): number {
  // own properties only: a skill called `constructor` must not find Object.prototype's
  const level = Object.hasOwn(agent.skills, skill) ? agent.skills[skill] : undefined
  return typeof level === 'number' ? level : 0
}

/**
 * How well an agent matches the requirements: the sum of the agent's levels in the required skills. Among agents who
 * meet them all, a higher score is a better match (0 for everyone when nothing is required).
 */
export function skillScore(agent: RoutingAgent, requirements: readonly SkillRequirement[]): number {
  let score = 0
  for (const { skill } of requirements) score += skillLevel(agent, skill)
  return score
}
