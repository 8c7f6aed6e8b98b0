import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import {
  createWebhookInput,
  deliveryDto,
  eventTypeDto,
  listDeliveriesQuery,
  updateWebhookInput,
  webhookDto,
  webhookWithSecretDto,
} from './webhooks-dto.js'
import type { WebhooksService } from './webhooks-service.js'

const idParams = z.strictObject({ id: z.string().min(1).max(64) })
const tags = ['webhooks']

/** The admin API of outbound webhooks (`/api/v1/webhooks`). */
export function webhooksRoutes(webhooks: WebhooksService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/webhooks',
      access: 'admin',
      tags,
      summary: 'List webhook subscriptions',
      response: z.array(webhookDto),
      handler: async () => webhooks.list(),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/webhooks',
      access: 'admin',
      tags,
      summary: 'Subscribe a URL to events',
      description:
        'The answer holds the signing secret, shown only this once. Private and loopback hosts are refused unless SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE is on.',
      payload: createWebhookInput,
      response: webhookWithSecretDto,
      status: 201,
      handler: async ({ payload, actor }) => webhooks.create(actor, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/webhooks/event-types',
      access: 'admin',
      tags,
      summary: 'The event types a webhook may subscribe to',
      description: 'Besides these: plugin events (plugin.<plugin>.<topic>) and patterns ending in * (conversation.*).',
      response: z.array(eventTypeDto),
      handler: async () => webhooks.eventTypes(),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/webhooks/{id}',
      access: 'admin',
      tags,
      summary: 'One webhook subscription',
      params: idParams,
      response: webhookDto,
      handler: async ({ params }) => webhooks.get(params.id),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/webhooks/{id}',
      access: 'admin',
      tags,
      summary: 'Change a webhook subscription',
      description: 'Setting `active` to true also turns on a webhook that was deactivated for failing.',
      params: idParams,
      payload: updateWebhookInput,
      response: webhookDto,
      handler: async ({ params, payload, actor }) => webhooks.update(actor, params.id, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/webhooks/{id}',
      access: 'admin',
      tags,
      summary: 'Delete a webhook subscription and its deliveries',
      params: idParams,
      handler: async ({ params, actor }) => webhooks.remove(actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/webhooks/{id}/test',
      access: 'admin',
      tags,
      summary: 'Send a webhook.test event now',
      description:
        'One attempt, made during the request, whether or not the webhook is active; the answer is the delivery with its outcome. Not retried, and not counted towards deactivation.',
      params: idParams,
      response: deliveryDto,
      handler: async ({ params }) => webhooks.test(params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/webhooks/{id}/secret',
      access: 'admin',
      tags,
      summary: 'Replace the signing secret',
      description: 'The answer holds the new secret, shown only this once; the old one stops being used at once.',
      params: idParams,
      response: webhookWithSecretDto,
      handler: async ({ params, actor }) => webhooks.rotateSecret(actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/webhooks/{id}/deliveries',
      access: 'admin',
      tags,
      summary: 'Recent deliveries of a webhook, newest first',
      description: 'Each with its status, attempts (one entry per attempt), the last answer’s status and error.',
      params: idParams,
      query: listDeliveriesQuery,
      response: z.array(deliveryDto),
      handler: async ({ params, query }) => webhooks.deliveries(params.id, query),
    }),
  ]
}
