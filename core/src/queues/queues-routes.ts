import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { queueDto } from './queue-dto.js'
import { createQueueInput, id, memberInput, replaceMembersInput, updateQueueInput } from './queue-input.js'
import type { QueuesService } from './queues-service.js'

const tags = ['queues']
const idParams = z.strictObject({ id })
const memberParams = z.strictObject({ id, userId: id })

export function queuesRoutes(queues: QueuesService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/queues',
      access: 'agent',
      tags,
      summary: 'Queues with their members, waiting line and whether they are open now',
      description:
        'Admins see every queue. Others see the queues of their teams, the queues without a team and the queues they work in; someone in no team sees every queue.',
      response: z.array(queueDto),
      handler: async ({ credentials }) => queues.list(credentials!.user),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/queues/{id}',
      access: 'agent',
      tags,
      summary: 'One queue',
      params: idParams,
      response: queueDto,
      handler: async ({ params, credentials }) => queues.get(credentials!.user, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/queues',
      access: 'admin',
      tags,
      summary: 'Create a queue',
      payload: createQueueInput,
      response: queueDto,
      status: 201,
      handler: async ({ payload, actor }) => queues.create(actor, payload),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/queues/{id}',
      access: 'admin',
      tags,
      summary: "Change a queue's settings, business hours or team",
      params: idParams,
      payload: updateQueueInput,
      response: queueDto,
      handler: async ({ params, payload, actor }) => queues.update(actor, params.id, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/queues/{id}',
      access: 'admin',
      tags,
      summary: 'Delete a queue nobody waits in (409 while conversations wait)',
      params: idParams,
      handler: async ({ params, actor }) => queues.remove(actor, params.id),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/queues/{id}/members',
      access: 'admin',
      tags,
      summary: "Replace a queue's members and standby members",
      params: idParams,
      payload: replaceMembersInput,
      response: queueDto,
      handler: async ({ params, payload, actor }) => queues.replaceMembers(actor, params.id, payload),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/queues/{id}/members/{userId}',
      access: 'admin',
      tags,
      summary: 'Add a member to a queue, or make them standby or not',
      params: memberParams,
      payload: memberInput,
      response: queueDto,
      handler: async ({ params, payload, actor }) => queues.setMember(actor, params.id, params.userId, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/queues/{id}/members/{userId}',
      access: 'admin',
      tags,
      summary: 'Remove a member from a queue',
      params: memberParams,
      response: queueDto,
      handler: async ({ params, actor }) => queues.removeMember(actor, params.id, params.userId),
    }),
  ]
}
