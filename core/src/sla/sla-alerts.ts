import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import { notify } from '../notifications/index.js'
import type { Db } from '../storage/index.js'
import type { ClockRow } from './sla-clocks.js'
import type { SlaMetric } from './sla-dto.js'
import type { SlaPolicies } from './sla-policies.js'

export type SlaEventKind = 'sla.warning' | 'sla.breached'

/** What is published on the bus as `sla.warning` / `sla.breached` (and handed to sla.onEvent listeners). */
export interface SlaEvent {
  clockId: string
  metric: SlaMetric
  ticketId: number | null
  /** the conversation's clock, or the conversation the ticket came from */
  conversationId: string | null
  dueAt: string | null
  policy: { id: string; name: string } | null
  at: string
}

export type SlaEventListener = (kind: SlaEventKind, event: SlaEvent, clock: ClockRow) => Promise<void>

/** What the SLA writes into a ticket's history (TicketsService.addEvent). */
export interface HistoryWriter {
  addEvent(
    ticketId: number,
    event: { kind: string; actorId?: string | null; actorName: string; data?: Record<string, unknown> },
  ): Promise<unknown>
}

const METRIC_TEXT: Record<SlaMetric, { en: string; 'zh-CN': string }> = {
  first_response: { en: 'first response', 'zh-CN': '首次响应' },
  next_response: { en: 'next response', 'zh-CN': '后续响应' },
  resolution: { en: 'resolution', 'zh-CN': '解决' },
}

/**
 * Tells everyone a clock warned or breached: the ticket's history, the bus (flows can start on
 * `sla.warning` / `sla.breached` with an event trigger; webhooks), a notification to the assignee
 * and to the supervisors of the ticket's team (or the conversation's queue's team), then the
 * listeners (escalation rules). Each step is attempted even when an earlier one failed; then, if
 * one did, announce() throws so that the job is retried (at least once: the history entry is not
 * written twice, escalation acts only where it changes something).
 */
export function createSlaAlerts(deps: {
  db: Db
  infra: Infra
  logger: Logger
  policies: SlaPolicies
  history: () => HistoryWriter | null
}) {
  const { db, infra, logger, policies } = deps
  const listeners = new Set<SlaEventListener>()

  async function step(failed: string[], what: string, clock: ClockRow, fn: () => Promise<unknown>) {
    try {
      await fn()
    } catch (error) {
      // a refusal (an escalation rule naming a user who left) will not change on a retry
      if ((error as { kind?: string }).kind !== 'user') failed.push(`${what}: ${(error as Error).message}`)
      logger.error({ err: error, clockId: clock.id }, `SLA alert: ${what} failed`)
    }
  }

  /** whether the ticket's history already has this clock's warning or breach (a retried announcement) */
  async function inHistory(ticketId: number, kind: string, clockId: string): Promise<boolean> {
    const events = await db.ticketEvent.findMany({ where: { ticketId, kind }, select: { data: true } })
    return events.some((e) => (e.data as { clockId?: unknown } | null)?.clockId === clockId)
  }

  return {
    onEvent(listener: SlaEventListener): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    async announce(kind: SlaEventKind, clock: ClockRow): Promise<void> {
      const metric = clock.metric as SlaMetric
      const policy = await policies.load(clock.policyId)
      const ticket =
        clock.ticketId !== null
          ? await db.ticket.findUnique({
              where: { id: clock.ticketId },
              select: { id: true, subject: true, assigneeId: true, teamId: true, conversationId: true },
            })
          : null
      const conversation = clock.conversationId
        ? await db.conversation.findUnique({
            where: { id: clock.conversationId },
            select: { id: true, assigneeId: true, queue: { select: { teamId: true } } },
          })
        : null
      const at = infra.clock.now().toISOString()
      const event: SlaEvent = {
        clockId: clock.id,
        metric,
        ticketId: clock.ticketId,
        conversationId: clock.conversationId ?? ticket?.conversationId ?? null,
        dueAt: clock.dueAt?.toISOString() ?? null,
        policy: policy ? { id: policy.id, name: policy.name } : null,
        at,
      }
      const breached = kind === 'sla.breached'
      const m = METRIC_TEXT[metric]
      const history = deps.history()
      const failed: string[] = []
      if (ticket && history && !(await inHistory(ticket.id, kind, clock.id)))
        await step(failed, 'history', clock, () =>
          history.addEvent(ticket.id, {
            kind,
            actorName: 'SLA',
            data: {
              clockId: clock.id,
              metric,
              dueAt: event.dueAt,
              targetMinutes: clock.targetMinutes,
              policy: event.policy,
            },
          }),
        )
      await step(failed, 'bus event', clock, () => infra.bus.publish(kind, event))
      const what = ticket
        ? { en: `ticket #${ticket.id}`, 'zh-CN': `工单 #${ticket.id}` }
        : { en: 'a conversation', 'zh-CN': '会话' }
      await step(failed, 'notification', clock, () =>
        notify(infra.bus, {
          kind,
          title: breached
            ? { en: `SLA breached: ${m.en} on ${what.en}`, 'zh-CN': `SLA 已超时：${what['zh-CN']}的${m['zh-CN']}` }
            : {
                en: `SLA warning: ${m.en} on ${what.en} is due soon`,
                'zh-CN': `SLA 预警：${what['zh-CN']}的${m['zh-CN']}即将超时`,
              },
          ...(ticket ? { body: { en: ticket.subject, 'zh-CN': ticket.subject } } : {}),
          link: ticket ? `/tickets/${ticket.id}` : `/inbox/${clock.conversationId}`,
          userIds: [ticket?.assigneeId ?? conversation?.assigneeId ?? ''].filter(Boolean),
          supervisors: true,
          teamId: ticket ? ticket.teamId : (conversation?.queue?.teamId ?? null),
          data: { ...event },
          at,
        }),
      )
      for (const listener of listeners) await step(failed, 'listener', clock, () => listener(kind, event, clock))
      if (failed.length) throw new Error(`SLA ${kind} of clock ${clock.id}: ${failed.join('; ')}`)
    },

    /** A met clock in the ticket's history: how long it took, and whether it was late. */
    async recordMet(ticketId: number, clocks: ClockRow[]): Promise<void> {
      const history = deps.history()
      if (!history) return
      for (const clock of clocks) {
        if (clock.status !== 'met') continue
        await step([], 'history', clock, () =>
          history.addEvent(ticketId, {
            kind: 'sla.met',
            actorName: 'SLA',
            data: {
              clockId: clock.id,
              metric: clock.metric,
              businessMinutes: Math.round(clock.usedBusinessMs / 6_000) / 10,
              targetMinutes: clock.targetMinutes,
              late: clock.breachedAt !== null,
            },
          }),
        )
      }
    },
  }
}
export type SlaAlerts = ReturnType<typeof createSlaAlerts>
