/**
 * Outbound webhooks: integrators subscribe URLs to the public events; each event is POSTed as
 * signed JSON and retried with backoff. See docs/webhooks.md.
 */
export { createWebhooksService, WEBHOOKS_CHANGED_TOPIC } from './webhooks-service.js'
export type { WebhooksService, WebhooksServiceDeps } from './webhooks-service.js'
export { webhooksRoutes } from './webhooks-routes.js'
export { DELIVER_JOB } from './webhook-deliveries.js'
export type { WebhookSettings } from './webhook-deliveries.js'
export { PUBLIC_EVENT_TYPES, TEST_EVENT_TYPE, isValidEventPattern } from './event-types.js'
export type { PublicEventType } from './event-types.js'
export { signWebhook } from './webhook-signature.js'
export { isPrivateAddress } from './webhook-url.js'
export type {
  CreateWebhookInput,
  DeliveryView,
  UpdateWebhookInput,
  WebhookView,
  WebhookWithSecretView,
} from './webhooks-dto.js'
