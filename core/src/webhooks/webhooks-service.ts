import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { PiiCipher } from '../pii/index.js'
import type { Db, Prisma } from '../storage/index.js'
import { createIndexCache } from '../text/index.js'
import { parseInput } from '../validation/parse-input.js'
import { PUBLIC_EVENT_TYPES } from './event-types.js'
import { createWebhookDeliveries, type WebhookSettings } from './webhook-deliveries.js'
import { createWebhookPoster } from './webhook-poster.js'
import { generateWebhookSecret, SECRET_PREFIX_LENGTH } from './webhook-signature.js'
import { checkWebhookUrl } from './webhook-url.js'
import {
  createWebhookInput,
  updateWebhookInput,
  type CreateWebhookInput,
  type DeliveryView,
  type ListDeliveriesQuery,
  type UpdateWebhookInput,
  type WebhookView,
  type WebhookWithSecretView,
} from './webhooks-dto.js'

/** Bus topic published after webhooks change; every instance then reloads its list of active ones. */
export const WEBHOOKS_CHANGED_TOPIC = 'webhooks.changed'

type WebhookRow = Awaited<ReturnType<Db['webhook']['findFirstOrThrow']>>

function toView(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events as string[],
    active: row.active,
    disabledReason: row.disabledReason,
    failingSince: row.failingSince,
    lastSuccessAt: row.lastSuccessAt,
    secretPrefix: row.secretPrefix,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

export interface WebhooksServiceDeps {
  db: Db
  infra: Infra
  audit: AuditLog
  pii: PiiCipher
  logger: Logger
  settings: WebhookSettings
}

export type WebhooksService = ReturnType<typeof createWebhooksService>

/**
 * Outbound webhooks: integrators' subscriptions to the public events (admin API), and their
 * signed, retried deliveries (webhook-deliveries.ts). Secrets are generated here, shown once,
 * and stored encrypted with the PII cipher.
 */
export function createWebhooksService(deps: WebhooksServiceDeps) {
  const { db, infra, audit, pii, settings } = deps
  const active = createIndexCache({
    bus: infra.bus,
    topic: WEBHOOKS_CHANGED_TOPIC,
    build: async () =>
      (await db.webhook.findMany({ where: { active: true }, select: { id: true, events: true } })).map((w) => ({
        id: w.id,
        events: w.events as string[],
      })),
  })
  const poster = createWebhookPoster({ timeoutMs: settings.timeout, allowPrivate: settings.allowPrivate })
  const deliveries = createWebhookDeliveries({ ...deps, poster, active })

  async function row(id: string): Promise<WebhookRow> {
    const found = await db.webhook.findUnique({ where: { id } })
    if (!found) throw userError(ErrorCode.NOT_FOUND, `No webhook ${id}`, { status: 404 })
    return found
  }

  function secretFields() {
    const secret = generateWebhookSecret()
    return {
      secret,
      data: { secretEnc: pii.encrypt('webhook.secret', secret), secretPrefix: secret.slice(0, SECRET_PREFIX_LENGTH) },
    }
  }

  return {
    start: deliveries.start,
    /** Unsubscribes the bus and closes kept-alive connections. */
    async stop() {
      await deliveries.stop()
      poster.close()
    },

    eventTypes: () => Object.entries(PUBLIC_EVENT_TYPES).map(([type, description]) => ({ type, description })),

    async list(): Promise<WebhookView[]> {
      return (await db.webhook.findMany({ orderBy: { createdAt: 'asc' } })).map(toView)
    },

    async get(id: string): Promise<WebhookView> {
      return toView(await row(id))
    },

    /** Creates a subscription; the answer holds the signing secret, the only time it is shown. */
    async create(actor: Actor, input: CreateWebhookInput): Promise<WebhookWithSecretView> {
      const data = parseInput(createWebhookInput, input)
      await checkWebhookUrl(data.url, settings.allowPrivate)
      const { secret, data: secretData } = secretFields()
      const created = await db.$transaction(async (tx) => {
        const made = await tx.webhook.create({ data: { ...data, ...secretData } })
        await audit.record(
          actor,
          {
            action: 'webhook.create',
            targetType: 'webhook',
            targetId: made.id,
            details: { url: data.url, events: data.events },
          },
          tx as Db,
        )
        return made
      })
      await active.changed()
      return { ...toView(created), secret }
    },

    async update(actor: Actor, id: string, input: UpdateWebhookInput): Promise<WebhookView> {
      const change = parseInput(updateWebhookInput, input)
      await row(id)
      if (change.url !== undefined) await checkWebhookUrl(change.url, settings.allowPrivate)
      // turning a webhook on again starts its failure count afresh
      const revived = change.active === true ? { disabledReason: null, failingSince: null } : {}
      const updated = await db.$transaction(async (tx) => {
        const saved = await tx.webhook.update({
          where: { id },
          data: { ...change, ...revived, events: change.events as Prisma.InputJsonValue | undefined },
        })
        await audit.record(
          actor,
          { action: 'webhook.update', targetType: 'webhook', targetId: id, details: change },
          tx as Db,
        )
        return saved
      })
      await active.changed()
      return toView(updated)
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const found = await row(id)
      await db.$transaction(async (tx) => {
        await tx.webhook.delete({ where: { id } })
        await audit.record(
          actor,
          { action: 'webhook.delete', targetType: 'webhook', targetId: id, details: { url: found.url } },
          tx as Db,
        )
      })
      await active.changed()
    },

    /** Replaces the signing secret; the answer holds the new one, the only time it is shown. */
    async rotateSecret(actor: Actor, id: string): Promise<WebhookWithSecretView> {
      await row(id)
      const { secret, data } = secretFields()
      const updated = await db.$transaction(async (tx) => {
        const saved = await tx.webhook.update({ where: { id }, data })
        await audit.record(actor, { action: 'webhook.secret-rotate', targetType: 'webhook', targetId: id }, tx as Db)
        return saved
      })
      return { ...toView(updated), secret }
    },

    async test(id: string): Promise<DeliveryView> {
      return deliveries.sendTest(await row(id))
    },

    async deliveries(id: string, query: ListDeliveriesQuery): Promise<DeliveryView[]> {
      await row(id)
      return deliveries.list(id, query)
    },
  }
}
