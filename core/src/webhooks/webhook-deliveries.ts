import { randomUUID } from 'node:crypto'
import { systemActor, type AuditLog } from '../audit/index.js'
import { parseDuration } from '../config/index.js'
import { ErrorCode, isSwitchboardError } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { PiiCipher } from '../pii/index.js'
import type { Db, Prisma } from '../storage/index.js'
import type { createIndexCache } from '../text/index.js'
import { version } from '../version.js'
import { BUS_PATTERNS, eventKeyOf, isPublicTopic, matchesEventPattern, TEST_EVENT_TYPE } from './event-types.js'
import type { AttemptResult, WebhookPoster } from './webhook-poster.js'
import { signWebhook } from './webhook-signature.js'
import type { AttemptView, DeliveryStatus, DeliveryView, ListDeliveriesQuery } from './webhooks-dto.js'

/** The scheduler job that makes one attempt of one delivery. */
export const DELIVER_JOB = 'webhooks.deliver'
/** The same event (same type and payload) reaching the same webhook again within this window is one delivery. */
const DEDUP_WINDOW_MS = 3_600_000
/** Finished deliveries are deleted after this long (their payloads too). */
const KEEP_DELIVERIES_MS = 30 * 86_400_000

type WebhookRow = Awaited<ReturnType<Db['webhook']['findFirstOrThrow']>>
type DeliveryRow = Awaited<ReturnType<Db['webhookDelivery']['findFirstOrThrow']>>
/** What the bus side needs of each active webhook, kept in memory and rebuilt when webhooks change. */
export type ActiveWebhooks = ReturnType<typeof createIndexCache<Array<{ id: string; events: string[] }>>>

export interface WebhookSettings {
  allowPrivate: boolean
  retryDelays: string
  timeout: number
  disableAfter: number
}

export interface WebhookDeliveriesDeps {
  db: Db
  infra: Infra
  audit: AuditLog
  pii: PiiCipher
  logger: Logger
  settings: WebhookSettings
  poster: WebhookPoster
  active: ActiveWebhooks
}

export function toDeliveryView(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    webhookId: row.webhookId,
    type: row.type,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    attemptLog: row.attemptLog as AttemptView[],
  }
}

/**
 * The delivery side of webhooks. Every instance subscribes the public topics on the bus; for
 * each event and matching active webhook, the instance that first takes a lock on
 * `(webhook, event key)` records a WebhookDelivery and schedules its first attempt, so a bus
 * event seen by several instances is delivered once. Each attempt is a durable scheduler job;
 * a failed attempt records itself and schedules the next after the configured wait, until the
 * attempts run out. A webhook failing without a success for `disableAfter` is deactivated.
 */
export function createWebhookDeliveries(deps: WebhookDeliveriesDeps) {
  const { db, infra, audit, pii, logger, settings, poster, active } = deps
  const retryDelays = settings.retryDelays.split(',').map((part) => parseDuration(part.trim()) ?? 0)
  const maxAttempts = retryDelays.length + 1
  const unsubscribes: Array<() => Promise<void>> = []
  let lastPrune = 0

  async function onBusEvent(event: unknown, topic: string): Promise<void> {
    if (!isPublicTopic(topic)) return
    const hooks = (await active.get()).filter((h) => h.events.some((p) => matchesEventPattern(p, topic)))
    if (hooks.length === 0) return
    const eventKey = eventKeyOf(topic, event)
    for (const hook of hooks)
      await enqueue(hook.id, topic, eventKey, event).catch((error: unknown) =>
        logger.error({ err: error, webhookId: hook.id, topic }, 'a webhook delivery could not be recorded'),
      )
  }

  async function enqueue(webhookId: string, type: string, eventKey: string, data: unknown): Promise<void> {
    try {
      await infra.locks.withLock(`webhook-event:${webhookId}:${eventKey}`, { ttlMs: 30_000, waitMs: 10_000 }, () =>
        enqueueOnce(webhookId, type, eventKey, data),
      )
    } catch (error) {
      // another instance holds the lock for this very event: it records the delivery
      if (isSwitchboardError(error) && error.code === ErrorCode.CONFLICT) return
      throw error
    }
  }

  async function enqueueOnce(webhookId: string, type: string, eventKey: string, data: unknown): Promise<void> {
    const since = new Date(Date.now() - DEDUP_WINDOW_MS)
    const seen = await db.webhookDelivery.findFirst({
      where: { webhookId, eventKey, createdAt: { gte: since } },
      select: { id: true },
    })
    if (seen) return
    const row = await db.webhookDelivery.create({
      data: { webhookId, type, eventKey, dataEnc: encryptData(data), nextAttemptAt: new Date() },
    })
    await scheduleAttempt(row, 1, 0)
  }

  const encryptData = (data: unknown) => pii.encrypt('webhook.payload', JSON.stringify(data ?? null))

  async function scheduleAttempt(row: DeliveryRow, attempt: number, delayMs: number): Promise<void> {
    try {
      await infra.scheduler.schedule({
        type: DELIVER_JOB,
        runAt: delayMs,
        // the first attempt's key is the event's: a second scheduling of the same event is the same job
        key: `webhook:${row.webhookId}:${row.eventKey}${attempt > 1 ? `:${attempt}` : ''}`,
        payload: { deliveryId: row.id, attempt },
        maxAttempts: 3,
      })
    } catch (error) {
      await finish(row.id, 'failed', `the attempt could not be scheduled: ${(error as Error).message}`)
      throw error
    }
  }

  async function finish(id: string, status: DeliveryStatus, lastError: string | null) {
    await db.webhookDelivery.updateMany({
      where: { id, status: 'pending' },
      data: { status, lastError, nextAttemptAt: null, finishedAt: new Date() },
    })
  }

  /** POSTs the delivery once, signed with the webhook's secret. */
  async function send(webhook: WebhookRow, row: DeliveryRow): Promise<AttemptResult> {
    const secret = pii.decrypt('webhook.secret', webhook.secretEnc)
    const data: unknown = JSON.parse(pii.decrypt('webhook.payload', row.dataEnc))
    const body = JSON.stringify({ id: row.id, type: row.type, createdAt: row.createdAt.toISOString(), data })
    const timestamp = Math.floor(Date.now() / 1000)
    return poster.post(webhook.url, body, {
      'content-type': 'application/json',
      'user-agent': `Switchboard-Webhooks/${version}`,
      'x-switchboard-event': row.type,
      'x-switchboard-delivery': row.id,
      'x-switchboard-timestamp': String(timestamp),
      'x-switchboard-signature': signWebhook(secret, timestamp, body),
    })
  }

  /**
   * Records attempt number `attempt` of a delivery; false when another run recorded it first.
   * A failure with attempts left stays pending with the time of the next attempt.
   */
  async function record(row: DeliveryRow, attempt: number, result: AttemptResult, retryInMs: number | null) {
    const entry: AttemptView = {
      at: new Date().toISOString(),
      responseStatus: result.responseStatus,
      error: result.error,
      durationMs: result.durationMs,
    }
    const finished = result.error === null || retryInMs === null
    const status: DeliveryStatus = result.error === null ? 'succeeded' : retryInMs === null ? 'failed' : 'pending'
    const updated = await db.webhookDelivery.updateMany({
      where: { id: row.id, status: 'pending', attempts: attempt - 1 },
      data: {
        status,
        attempts: attempt,
        responseStatus: result.responseStatus,
        lastError: result.error,
        attemptLog: [...(row.attemptLog as AttemptView[]), entry] as Prisma.InputJsonValue,
        nextAttemptAt: finished ? null : new Date(Date.now() + retryInMs),
        finishedAt: finished ? new Date() : null,
      },
    })
    return updated.count === 1
  }

  async function markSucceeded(webhookId: string) {
    await db.webhook.updateMany({ where: { id: webhookId }, data: { failingSince: null, lastSuccessAt: new Date() } })
  }

  /** Notes the failure; deactivates the webhook when it has failed without a success for `disableAfter`. */
  async function markFailed(webhookId: string, error: string) {
    const now = new Date()
    await db.webhook.updateMany({ where: { id: webhookId, failingSince: null }, data: { failingSince: now } })
    const webhook = await db.webhook.findUnique({ where: { id: webhookId } })
    if (!webhook?.active || !webhook.failingSince) return
    if (now.getTime() - webhook.failingSince.getTime() < settings.disableAfter) return
    const reason = `every delivery attempt failed from ${webhook.failingSince.toISOString()} to ${now.toISOString()}; the last one: ${error}`
    const turnedOff = await db.webhook.updateMany({
      where: { id: webhookId, active: true },
      data: { active: false, disabledReason: reason.slice(0, 1000) },
    })
    if (turnedOff.count !== 1) return
    await audit.record(systemActor('webhooks'), {
      action: 'webhook.deactivated',
      targetType: 'webhook',
      targetId: webhookId,
      details: { url: webhook.url, failingSince: webhook.failingSince.toISOString(), lastError: error },
    })
    logger.warn({ webhookId, url: webhook.url, failingSince: webhook.failingSince }, 'webhook deactivated: failing')
    await active.changed()
  }

  async function prune() {
    if (Date.now() - lastPrune < 3_600_000) return
    lastPrune = Date.now()
    await db.webhookDelivery.deleteMany({
      where: { createdAt: { lt: new Date(Date.now() - KEEP_DELIVERIES_MS) }, status: { not: 'pending' } },
    })
  }

  async function attemptDelivery(deliveryId: string, attempt: number): Promise<void> {
    const row = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { webhook: true } })
    if (!row || row.status !== 'pending' || row.attempts >= attempt) return
    if (!row.webhook.active) return finish(row.id, 'skipped', 'the webhook is not active')
    const result = await send(row.webhook, row)
    const retryInMs = attempt < maxAttempts ? retryDelays[attempt - 1]! : null
    if (!(await record(row, attempt, result, retryInMs))) return
    if (result.error === null) await markSucceeded(row.webhookId)
    else {
      await markFailed(row.webhookId, result.error)
      if (retryInMs !== null) await scheduleAttempt(row, attempt + 1, retryInMs)
    }
    await prune()
  }

  infra.scheduler.define(DELIVER_JOB, async (job) => {
    const { deliveryId, attempt } = job.payload as { deliveryId: string; attempt: number }
    try {
      await attemptDelivery(deliveryId, attempt)
    } catch (error) {
      // a fault of Switchboard's own (database, a missing PII key): the scheduler retries the job;
      // after its last try the delivery must not stay pending for ever
      if (job.attempts >= job.maxAttempts)
        await finish(deliveryId, 'failed', `Switchboard could not send it: ${(error as Error).message}`)
      throw error
    }
  })

  return {
    maxAttempts,
    /** Subscribes the public topics on the bus. */
    async start() {
      if (unsubscribes.length > 0) return
      for (const pattern of BUS_PATTERNS) unsubscribes.push(await infra.bus.subscribe(pattern, onBusEvent))
    },
    async stop() {
      for (const unsubscribe of unsubscribes.splice(0)) await unsubscribe()
    },
    /**
     * Sends a `webhook.test` event now, once, whether or not the webhook is active; it is
     * recorded with the deliveries but neither retried nor counted towards deactivation.
     */
    async sendTest(webhook: WebhookRow): Promise<DeliveryView> {
      const data = {
        webhookId: webhook.id,
        message: 'A test event from Switchboard: this endpoint receives its events.',
      }
      const row = await db.webhookDelivery.create({
        data: {
          webhookId: webhook.id,
          type: TEST_EVENT_TYPE,
          eventKey: `test:${randomUUID()}`,
          dataEnc: encryptData(data),
        },
      })
      await record(row, 1, await send(webhook, row), null)
      return toDeliveryView(await db.webhookDelivery.findUniqueOrThrow({ where: { id: row.id } }))
    },
    async list(webhookId: string, query: ListDeliveriesQuery): Promise<DeliveryView[]> {
      const rows = await db.webhookDelivery.findMany({
        where: { webhookId, status: query.status },
        orderBy: { createdAt: 'desc' },
        take: query.limit,
      })
      return rows.map(toDeliveryView)
    },
  }
}
export type WebhookDeliveries = ReturnType<typeof createWebhookDeliveries>
