import { z } from 'zod'
import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { EventBus } from '../infra/index.js'
import type { Db } from '../storage/index.js'
import { agentInScope, readTeamScope } from '../teams/index.js'
import { parseInput } from '../validation/parse-input.js'
import type { Viewer } from './queue-visibility.js'
import { skillLevel, skillName } from './skill-input.js'

export const agentSkillsInput = z.strictObject({
  skills: z
    .array(z.strictObject({ skill: skillName, level: skillLevel }))
    .max(100)
    .refine((list) => new Set(list.map((s) => s.skill)).size === list.length, 'names a skill more than once')
    .describe('the agent’s skills with their levels; a skill named for the first time is created'),
})
export type AgentSkillsInput = z.input<typeof agentSkillsInput>

export const agentSkillsDto = z.object({
  userId: z.string(),
  skills: z.array(z.object({ skill: z.string(), level: z.number() })),
})
export type AgentSkillsView = z.infer<typeof agentSkillsDto>

export const skillCatalogDto = z.array(z.object({ name: z.string(), agents: z.number() }))

/**
 * Agents' skills and levels (1 basic … 5 expert). Setting them replaces the list; skills are
 * created by name on first use. Changes are audited and published (`agent.skills`), which makes
 * the router plan again.
 */
export function createAgentSkills(deps: { db: Db; bus: EventBus; audit: AuditLog }) {
  const { db, bus, audit } = deps

  async function read(userId: string): Promise<AgentSkillsView> {
    if (!(await db.user.findUnique({ where: { id: userId }, select: { id: true } })))
      throw userError(ErrorCode.NOT_FOUND, `No user ${userId}`, { status: 404 })
    const rows = await db.agentSkill.findMany({ where: { userId }, include: { skill: { select: { name: true } } } })
    const skills = rows.map((r) => ({ skill: r.skill.name, level: r.level }))
    return { userId, skills: skills.sort((a, b) => a.skill.localeCompare(b.skill)) }
  }

  return {
    /** An agent's skills, for a supervisor of one of their teams (or any, without teams). */
    async skillsOf(viewer: Viewer, userId: string): Promise<AgentSkillsView> {
      const view = await read(userId)
      if (!agentInScope(await readTeamScope(db, viewer), userId))
        throw userError(ErrorCode.FORBIDDEN, `Agent ${userId} is in none of your teams`, { status: 403 })
      return view
    },

    async setSkills(actor: Actor, userId: string, input: AgentSkillsInput): Promise<AgentSkillsView> {
      const { skills } = parseInput(agentSkillsInput, input)
      await read(userId)
      const ids: string[] = []
      for (const { skill } of skills)
        ids.push((await db.skill.upsert({ where: { name: skill }, create: { name: skill }, update: {} })).id)
      await db.$transaction([
        db.agentSkill.deleteMany({ where: { userId } }),
        db.agentSkill.createMany({ data: skills.map((s, i) => ({ userId, skillId: ids[i]!, level: s.level })) }),
      ])
      await audit.record(actor, { action: 'agent.skills', targetType: 'user', targetId: userId, details: { skills } })
      await bus.publish('agent.skills', { userId, skills })
      return read(userId)
    },

    /** Every skill by name, with how many agents have it. */
    async catalog() {
      const rows = await db.skill.findMany({
        orderBy: { name: 'asc' },
        include: { _count: { select: { agents: true } } },
      })
      return rows.map((r) => ({ name: r.name, agents: r._count.agents }))
    },
  }
}
export type AgentSkills = ReturnType<typeof createAgentSkills>
