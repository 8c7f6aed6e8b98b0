import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { agentSkillsRoutes } from './agent-skills-routes.js'
import type { RoutingService } from './routing-service.js'

const tags = ['routing']
const presence = z.enum(['available', 'away', 'busy', 'after-call-work'])
const capacity = z
  .strictObject({
    chat: z.number().int().min(0).max(50).optional(),
    voice: z.number().int().min(0).max(5).optional(),
    email: z.number().int().min(0).max(100).optional(),
  })
  .describe('how many conversations of each kind at once, e.g. 1 call or 5 chats')

const agentDto = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  presence: z.string(),
  reason: z.string().nullable(),
  since: z.date(),
  capacity: z.record(z.string(), z.number()),
  load: z.record(z.string(), z.number()),
  idleSince: z.date(),
})

export function routingRoutes(routing: RoutingService): ServerRoute[] {
  return [
    defineRoute({
      method: 'PUT',
      path: '/api/v1/agents/me/presence',
      access: 'agent',
      tags,
      summary: 'Set your presence (available, away, busy, after-call work) with an optional reason',
      payload: z.strictObject({ presence, reason: z.string().trim().max(100).nullable().optional() }),
      handler: async ({ payload, actor, credentials }) => {
        await routing.setPresence(actor, credentials!.user.id, payload)
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/agents/{id}/presence',
      access: 'supervisor',
      tags,
      summary: "Set an agent's presence (a supervisor moving agents)",
      params: z.strictObject({ id: z.string().min(1).max(64) }),
      payload: z.strictObject({ presence, reason: z.string().trim().max(100).nullable().optional() }),
      handler: async ({ params, payload, actor }) => {
        await routing.setPresence(actor, params.id, payload)
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/agents/{id}/capacity',
      access: 'supervisor',
      tags,
      summary: "Set an agent's capacity per kind of work",
      params: z.strictObject({ id: z.string().min(1).max(64) }),
      payload: capacity,
      handler: async ({ params, payload, actor }) => {
        await routing.setCapacity(actor, params.id, payload)
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/agents/me',
      access: 'agent',
      tags,
      summary: 'Your own presence, capacity and current load',
      response: agentDto.omit({ userId: true, name: true, email: true }),
      handler: async ({ credentials }) => routing.agent(credentials!.user.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/agents',
      access: 'supervisor',
      tags,
      summary: 'Agents with their presence, capacity and current load',
      description:
        'A supervisor who belongs to teams sees the agents who share a team with them; admins, and supervisors in no team, see every agent.',
      response: z.array(agentDto),
      handler: async ({ credentials }) => routing.agents(credentials!.user),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/queues/waiting',
      access: 'agent',
      tags,
      summary: 'Waiting conversations: position in their queue and estimated wait',
      description: 'Of the queues the caller sees (as in GET /api/v1/queues).',
      response: z.array(
        z.object({
          conversationId: z.string(),
          queueId: z.string(),
          media: z.string(),
          position: z.number(),
          estimatedWaitMs: z.number().nullable(),
        }),
      ),
      handler: async ({ credentials }) => routing.waiting(credentials!.user),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/conversations/{id}/transfer',
      access: 'agent',
      tags,
      summary: 'Transfer a conversation to a queue (back in line) or to an agent',
      params: z.strictObject({ id: z.string().min(1).max(64) }),
      payload: z
        .strictObject({ queueId: z.string().max(64).optional(), agentId: z.string().max(64).optional() })
        .refine((t) => t.queueId || t.agentId, 'give queueId or agentId'),
      handler: async ({ params, payload, actor }) => {
        await routing.transfer(actor, params.id, payload)
      },
    }),
    ...agentSkillsRoutes(routing.skills),
  ]
}
