import { createHash } from 'node:crypto'
import { CronExpressionParser } from 'cron-parser'
import { z } from 'zod'
import type { Actor, AuditLog } from '../../audit/index.js'
import { parseDuration } from '../../config/index.js'
import { ErrorCode, userError } from '../../errors/index.js'
import type { Infra } from '../../infra/index.js'
import type { Db, Prisma } from '../../storage/index.js'
import { parseInput } from '../../validation/parse-input.js'
import type { FlowEngine } from '../runtime/flow-engine.js'

export const TRIGGER_START_JOB = 'flows.trigger-start'
export const CRON_JOB = 'flows.cron'

const duration = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/, 'a duration such as 30s, 15m, 72h'),
])
export const triggerInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('channel-entry'),
    config: z.strictObject({ channel: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/) }),
    enabled: z.boolean().default(true),
  }),
  z.strictObject({
    kind: z.literal('event'),
    config: z.strictObject({
      topic: z.string().min(1).max(200).describe('e.g. conversation.resolved or ticket.created'),
      delay: duration.default(0).describe('start this long after the event, e.g. 72h'),
    }),
    enabled: z.boolean().default(true),
  }),
  z.strictObject({
    kind: z.literal('schedule'),
    config: z.strictObject({
      cron: z.string().min(9).max(100).describe('five fields: minute hour day month weekday, e.g. "0 9 * * 1-5"'),
      timezone: z.string().default('Asia/Shanghai'),
    }),
    enabled: z.boolean().default(true),
  }),
])
export type TriggerInput = z.input<typeof triggerInput>

type TriggerRow = Awaited<ReturnType<Db['flowTrigger']['findFirstOrThrow']>>

/**
 * What starts flows besides the API: a channel's entry flow for new conversations, events on
 * the bus (optionally delayed, e.g. a survey 72 hours after a conversation is resolved) and cron
 * schedules. Delayed and scheduled starts go through the durable scheduler with a key, so a
 * start survives restarts and happens once even when several instances see the same event.
 */
export function createFlowTriggers({
  db,
  infra,
  engine,
  audit,
}: {
  db: Db
  infra: Infra
  engine: FlowEngine
  audit: AuditLog
}) {
  const subscriptions = new Map<string, () => Promise<void>>()

  function nextCronTime(row: { config: unknown }, after: Date): Date {
    const { cron, timezone } = row.config as { cron: string; timezone: string }
    return CronExpressionParser.parse(cron, { tz: timezone, currentDate: after }).next().toDate()
  }

  async function scheduleNextCron(row: TriggerRow, after = new Date()) {
    const at = nextCronTime(row, after)
    // one key per occurrence: the job firing now cannot reschedule its own (running) key, and
    // every instance computing the same next occurrence schedules the same single job
    await infra.scheduler.schedule({
      type: CRON_JOB,
      runAt: at,
      key: `flow-cron:${row.id}:${at.toISOString()}`,
      payload: { triggerId: row.id },
    })
  }

  async function cancelCron(row: TriggerRow) {
    const pending = await infra.scheduler.list({ type: CRON_JOB, status: 'pending', limit: 500 })
    for (const job of pending)
      if ((job.payload as { triggerId?: string }).triggerId === row.id) await infra.scheduler.cancel(job.id)
  }

  async function subscribe(row: TriggerRow) {
    const { topic, delay } = row.config as { topic: string; delay: string | number }
    const unsubscribe = await infra.bus.subscribe(topic, async (event) => {
      // every instance sees the event; the key makes the scheduled start one job
      const eventId = createHash('sha256')
        .update(`${topic}\u0000${JSON.stringify(event)}`)
        .digest('hex')
        .slice(0, 32)
      await infra.scheduler.schedule({
        type: TRIGGER_START_JOB,
        runAt: parseDuration(delay) ?? 0,
        key: `flow-trigger:${row.id}:${eventId}`,
        payload: { triggerId: row.id, topic, event },
      })
    })
    subscriptions.set(row.id, unsubscribe)
  }

  async function activate(row: TriggerRow) {
    if (!row.enabled) return
    if (row.kind === 'event') await subscribe(row)
    if (row.kind === 'schedule') await scheduleNextCron(row)
  }

  async function deactivate(row: TriggerRow) {
    await subscriptions.get(row.id)?.()
    subscriptions.delete(row.id)
    if (row.kind === 'schedule') await cancelCron(row)
  }

  infra.scheduler.define(TRIGGER_START_JOB, async (job) => {
    const { triggerId, topic, event } = job.payload as {
      triggerId: string
      topic: string
      event: Record<string, unknown> | null
    }
    const row = await db.flowTrigger.findUnique({ where: { id: triggerId } })
    if (!row?.enabled) return
    const conversationId = typeof event?.conversationId === 'string' ? event.conversationId : null
    await engine.start({
      flow: row.flowId,
      conversationId,
      variables: { event },
      trigger: { kind: 'event', topic, triggerId },
      eventKey: `trigger:${job.id}`,
    })
  })
  infra.scheduler.define(CRON_JOB, async (job) => {
    const { triggerId } = job.payload as { triggerId: string }
    const row = await db.flowTrigger.findUnique({ where: { id: triggerId } })
    if (!row?.enabled) return
    await engine.start({
      flow: row.flowId,
      trigger: { kind: 'schedule', triggerId, at: job.runAt.toISOString() },
      eventKey: `cron:${triggerId}:${job.runAt.toISOString()}`,
    })
    await scheduleNextCron(row, new Date(Math.max(Date.now(), job.runAt.getTime() + 1000)))
  })

  return {
    /** Subscribes event triggers and makes sure every cron trigger has its next run scheduled. */
    async start() {
      for (const row of await db.flowTrigger.findMany({ where: { enabled: true } })) await activate(row)
    },
    async stop() {
      for (const unsubscribe of subscriptions.values()) await unsubscribe()
      subscriptions.clear()
    },
    async list(flowId: string) {
      return db.flowTrigger.findMany({ where: { flowId }, orderBy: { createdAt: 'asc' } })
    },
    async create(actor: Actor, flowId: string, input: TriggerInput) {
      const data = parseInput(triggerInput, input, 'trigger')
      if (data.kind === 'schedule') {
        try {
          nextCronTime(data, new Date())
        } catch (error) {
          throw userError(
            ErrorCode.VALIDATION,
            `Invalid trigger: config.cron "${data.config.cron}" is not a cron expression in ${data.config.timezone} (${(error as Error).message})`,
            {
              details: [{ in: 'trigger', path: 'config.cron', message: (error as Error).message }],
            },
          )
        }
      }
      if (data.kind === 'channel-entry') {
        const taken = await db.flowTrigger.findMany({ where: { kind: 'channel-entry', enabled: true } })
        const other = taken.find((t) => (t.config as { channel: string }).channel === data.config.channel)
        if (other)
          throw userError(
            ErrorCode.CONFLICT,
            `Channel ${data.config.channel} already starts flow ${other.flowId}; remove that trigger first`,
            { status: 409 },
          )
      }
      const row = await db.flowTrigger.create({
        data: { flowId, kind: data.kind, config: data.config as Prisma.InputJsonValue, enabled: data.enabled },
      })
      await activate(row)
      await audit.record(actor, {
        action: 'flow.trigger-create',
        targetType: 'flow',
        targetId: flowId,
        details: { kind: row.kind, config: row.config },
      })
      return row
    },
    async remove(actor: Actor, flowId: string, triggerId: string) {
      const row = await db.flowTrigger.findFirst({ where: { id: triggerId, flowId } })
      if (!row) throw userError(ErrorCode.NOT_FOUND, `Flow ${flowId} has no trigger ${triggerId}`, { status: 404 })
      await deactivate(row)
      await db.flowTrigger.delete({ where: { id: row.id } })
      await audit.record(actor, {
        action: 'flow.trigger-delete',
        targetType: 'flow',
        targetId: flowId,
        details: { kind: row.kind },
      })
    },
    /** Starts the channel's entry flow for a new conversation (called by the channels). */
    async startForNewConversation(input: {
      channel: string
      conversationId: string
      text?: string
      digits?: string
      eventKey?: string
      variables?: Record<string, unknown>
    }) {
      const triggers = await db.flowTrigger.findMany({ where: { kind: 'channel-entry', enabled: true } })
      const trigger = triggers.find((t) => (t.config as { channel: string }).channel === input.channel)
      if (!trigger) return null
      return engine.start({
        flow: trigger.flowId,
        conversationId: input.conversationId,
        channel: input.channel === 'voice' || input.channel === 'phone' ? 'voice' : 'text',
        input:
          input.text !== undefined || input.digits !== undefined
            ? { text: input.text, digits: input.digits }
            : undefined,
        variables: input.variables,
        trigger: { kind: 'channel-entry', channelName: input.channel, triggerId: trigger.id },
        eventKey: input.eventKey,
      })
    },
  }
}
export type FlowTriggers = ReturnType<typeof createFlowTriggers>
