import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import type { AuthCredentials } from '../auth/index.js'
import { defineRoute } from '../http/define-route.js'
import {
  callbackDto,
  callbackOfferInput,
  createCallbackInput,
  listCallbacksQuery,
  outcomeInput,
  updateCallbackInput,
} from './callback-dto.js'
import type { CallbacksService } from './callbacks-service.js'

const tags = ['callbacks']
const idParams = z.strictObject({ id: z.string().min(1).max(64) })
const userOf = (credentials: AuthCredentials | null) => ({ ...credentials!.user, via: credentials!.via })

export function callbacksRoutes(callbacks: CallbacksService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/callbacks',
      access: 'agent',
      tags,
      summary: 'Callbacks, the next due first: agents see theirs and the unassigned due ones of their queues',
      description:
        'Supervisors and admins see all. The phone number is given in full to supervisors, the assigned agent and whoever made the callback; masked for other agents.',
      query: listCallbacksQuery,
      response: z.array(callbackDto),
      handler: async ({ query, credentials }) => callbacks.list(userOf(credentials), query),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/callbacks',
      access: 'agent',
      tags,
      summary: 'Promise a callback: due at the window’s start, or the queue’s next opening when it is closed then',
      description:
        'When due it joins its queue as a conversation (channel `voice` for voice callbacks) and the ACD assigns it. The phone defaults to the contact’s.',
      payload: createCallbackInput,
      response: callbackDto,
      status: 201,
      handler: async ({ payload, credentials, actor }) => callbacks.create(userOf(credentials), actor, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/callbacks/{id}',
      access: 'agent',
      tags,
      summary: 'One callback with its attempts',
      params: idParams,
      response: callbackDto,
      handler: async ({ params, credentials }) => callbacks.get(userOf(credentials), params.id),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/callbacks/{id}',
      access: 'agent',
      tags,
      summary:
        'Reschedule (a scheduled callback), change the note, number or attempts, or cancel (`status: cancelled`)',
      params: idParams,
      payload: updateCallbackInput,
      response: callbackDto,
      handler: async ({ params, payload, credentials, actor }) =>
        callbacks.update(userOf(credentials), actor, params.id, payload),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/callbacks/{id}/outcome',
      access: 'agent',
      tags,
      summary: 'Record how an attempt went (the assigned agent, or a supervisor)',
      description:
        '`no-answer`, `busy` and `voicemail` try again later while attempts are left: after `retryMinutes`, then twice as long each time, within the window and the queue’s business hours. `completed` ends it; `wrong-number` and `declined` fail it.',
      params: idParams,
      payload: outcomeInput,
      response: callbackDto,
      handler: async ({ params, payload, credentials, actor }) =>
        callbacks.recordOutcome(userOf(credentials), actor, params.id, payload),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/conversations/{id}/callback-offer',
      access: 'agent',
      tags,
      summary:
        'The customer takes a callback instead of waiting: a queued conversation leaves the line and keeps its place',
      description:
        'A queued conversation is resolved (marked with `attributes.callbackId`) and the callback keeps its `queuedAt` and priority: when due it comes back to that place in line. For a conversation that is not queued (a chat), a callback on it is scheduled.',
      params: idParams,
      payload: callbackOfferInput,
      response: callbackDto,
      status: 201,
      handler: async ({ params, payload, credentials, actor }) =>
        callbacks.offer(userOf(credentials), actor, params.id, payload),
    }),
  ]
}
