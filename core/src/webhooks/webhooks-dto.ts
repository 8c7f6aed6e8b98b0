import { z } from 'zod'
import { isValidEventPattern, PUBLIC_EVENT_TYPES } from './event-types.js'

const url = z.string().trim().min(1).max(2000).describe('where events are POSTed: an http:// or https:// URL')
const eventPattern = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine(isValidEventPattern, {
    message: `not a public event type nor a pattern: use one of ${Object.keys(PUBLIC_EVENT_TYPES).join(', ')}, plugin.<plugin>.<topic>, or a prefix ending in * such as conversation.*`,
  })
const events = z
  .array(eventPattern)
  .min(1)
  .max(50)
  .transform((list) => [...new Set(list)])
  .describe('event types (conversation.created) and patterns (conversation.*, plugin.*); see docs/webhooks.md')
const description = z.string().trim().max(500)

export const createWebhookInput = z.strictObject({
  url,
  events,
  description: description.default(''),
  active: z.boolean().default(true),
})
export type CreateWebhookInput = z.input<typeof createWebhookInput>

export const updateWebhookInput = z
  .strictObject({
    url,
    events,
    description,
    active: z.boolean().describe('true also clears an automatic deactivation'),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
export type UpdateWebhookInput = z.input<typeof updateWebhookInput>

export const webhookDto = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  disabledReason: z.string().nullable().describe('why it was deactivated automatically'),
  failingSince: z.date().nullable().describe('the first failed attempt since the last success'),
  lastSuccessAt: z.date().nullable(),
  secretPrefix: z.string().describe('the first characters of the signing secret, to recognise it'),
  createdAt: z.date(),
  updatedAt: z.date(),
})
export type WebhookView = z.infer<typeof webhookDto>

export const webhookWithSecretDto = webhookDto.extend({
  secret: z.string().describe('the signing secret; shown only in this answer, keep it on the receiving side'),
})
export type WebhookWithSecretView = z.infer<typeof webhookWithSecretDto>

export const deliveryStatus = z.enum(['pending', 'succeeded', 'failed', 'skipped'])
export type DeliveryStatus = z.infer<typeof deliveryStatus>

export const attemptDto = z.object({
  at: z.string().describe('when the attempt was made (ISO 8601)'),
  responseStatus: z.number().int().nullable().describe('null when there was no answer'),
  error: z.string().nullable(),
  durationMs: z.number().int(),
})
export type AttemptView = z.infer<typeof attemptDto>

export const deliveryDto = z.object({
  id: z.string().describe('also the X-Switchboard-Delivery header and the body’s id'),
  webhookId: z.string(),
  type: z.string(),
  status: deliveryStatus,
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable().describe('of the last attempt'),
  lastError: z.string().nullable(),
  nextAttemptAt: z.date().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
  attemptLog: z.array(attemptDto),
})
export type DeliveryView = z.infer<typeof deliveryDto>

export const listDeliveriesQuery = z.strictObject({
  status: deliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuery>

export const eventTypeDto = z.object({ type: z.string(), description: z.string() })
