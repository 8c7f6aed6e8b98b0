import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { agentSkillsDto, agentSkillsInput, skillCatalogDto, type AgentSkills } from './agent-skills.js'

const tags = ['routing']
const idParams = z.strictObject({ id: z.string().min(1).max(64) })

export function agentSkillsRoutes(skills: AgentSkills): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/agents/{id}/skills',
      access: 'supervisor',
      tags,
      summary: "An agent's skills and levels (1 basic … 5 expert)",
      params: idParams,
      response: agentSkillsDto,
      handler: async ({ params, credentials }) => skills.skillsOf(credentials!.user, params.id),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/agents/{id}/skills',
      access: 'admin',
      tags,
      summary: "Replace an agent's skills and levels; new skill names are created",
      params: idParams,
      payload: agentSkillsInput,
      response: agentSkillsDto,
      handler: async ({ params, payload, actor }) => skills.setSkills(actor, params.id, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/skills',
      access: 'supervisor',
      tags,
      summary: 'Every skill, with how many agents have it',
      response: skillCatalogDto,
      handler: async () => skills.catalog(),
    }),
  ]
}
