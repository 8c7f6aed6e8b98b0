import type { AuditLog } from '../audit/index.js'
import type { AuthCredentials } from '../auth/index.js'
import type { ConversationsService } from '../conversations/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import { queueInScope, readTeamScope } from '../teams/index.js'
import { ticketScope, ticketViewerOf } from '../tickets/index.js'
import { createEscalationRules, type EscalationTickets } from './escalation-rules.js'
import { createSlaAlerts, type HistoryWriter, type SlaEventListener } from './sla-alerts.js'
import {
  checkKey,
  createClockEngine,
  SLA_CHECK_JOB,
  slaStateOf,
  targetMs,
  UNFINISHED,
  usedAt,
  type CheckKind,
  type ClockRow,
  type Subject,
} from './sla-clocks.js'
import { createConversationClocks, type ConversationEvent } from './sla-conversation-clocks.js'
import type { ClockView, ReportQuery, SlaMetric, SlaReport, SlaState } from './sla-dto.js'
import { createSlaPolicies } from './sla-policies.js'
import { slaReport } from './sla-report.js'
import { createTicketClocks, type SlaTicketChange } from './sla-ticket-clocks.js'

/** What the SLA needs of the tickets module (TicketsService): its changes, its history, escalation. */
export interface SlaTickets extends EscalationTickets, HistoryWriter {
  onChange(listener: (change: SlaTicketChange) => Promise<void>): unknown
}

export interface SlaDeps {
  db: Db
  infra: Infra
  audit: AuditLog
  logger: Logger
  /** without it only conversations have clocks, and escalation rules cannot act */
  tickets?: SlaTickets | null
  /** who may see a conversation's clocks: the same rule as the conversation itself */
  conversations?: Pick<ConversationsService, 'visible'>
}

/** the conversation events the clocks and the escalation rules follow */
const CONVERSATION_TOPICS = 'conversation.*'

/** After an instance starts: clocks brought in line with what changed while nobody followed (see catchUp). */
export const SLA_CATCH_UP_JOB = 'sla.catch-up'
/** how far back the catch-up looks, and how many tickets, conversations and clocks it takes at most */
const CATCH_UP_WINDOW_MS = 7 * 24 * 3_600_000
const CATCH_UP_LIMIT = 2000

/**
 * SLA: policies (targets in business minutes per priority, category, customer tag, channel),
 * clocks per ticket and conversation that pause while waiting on the customer, warnings and
 * breaches as durable jobs in business time, the escalation rules they (and the customer's words
 * and mood) trigger, live clock state and attainment reports. See docs/sla-and-escalation.md.
 */
export function createSlaService(deps: SlaDeps) {
  const { db, infra, audit, logger } = deps
  const tickets = deps.tickets ?? null
  // the engine and the policies need each other (a deleted policy stops its clocks)
  const policies = createSlaPolicies({
    db,
    audit,
    onRemoved: (id) => engine.stopPolicy(id, infra.clock.now()),
    onUpdated: (before, after) => engine.replanPolicy(before, after, infra.clock.now()),
  })
  const engine = createClockEngine({ db, infra, logger, policies })
  const alerts = createSlaAlerts({ db, infra, logger, policies, history: () => tickets })
  const ticketClocks = createTicketClocks({ db, clock: infra.clock, engine, policies })
  const conversationClocks = createConversationClocks({ db, clock: infra.clock, engine, policies })
  const escalations = createEscalationRules({ db, infra, audit, logger, tickets })

  // a clock's warning or breach is due: claimed once (whatever instance runs the job), then told;
  // a retry after a failed announcement tells again what the first attempt claimed
  infra.scheduler.define(SLA_CHECK_JOB, async (job) => {
    const { clockId, kind } = job.payload as { clockId: string; kind: CheckKind }
    const clock = await db.slaClock.findUnique({ where: { id: clockId } })
    if (!clock) return
    let claimed = await engine.lock(engine.subjectOf(clock), async () => {
      const row = await engine.claim(clockId, kind, infra.clock.now())
      if (row?.ticketId != null) await engine.syncTicket(row.ticketId)
      return row
    })
    if (!claimed && job.attempts > 1 && (kind === 'warn' ? clock.warnedAt : clock.breachedAt)) claimed = clock
    // outside the lock: escalation changes the ticket, whose clocks take the lock again
    if (claimed) await alerts.announce(kind === 'warn' ? 'sla.warning' : 'sla.breached', claimed)
  })

  alerts.onEvent(async (kind, event, clock) => {
    await escalations.onSlaEvent(kind, clock, event.policy?.name ?? null)
  })

  tickets?.onChange(async (change) => {
    const met = await ticketClocks.onChange(change)
    if (met.length) await alerts.recordMet(change.ticket.id, met)
  })

  // every instance sees these events: the clocks' changes are idempotent, escalation acts once
  let unsubscribe: (() => Promise<void>) | null = null
  const subscribed = infra.bus
    .subscribe(CONVERSATION_TOPICS, async (event, topic) => {
      const metOnTickets = await conversationClocks.onEvent(topic, (event ?? {}) as ConversationEvent)
      for (const { ticketId, met } of metOnTickets) await alerts.recordMet(ticketId, met)
      await escalations.onConversationEvent(topic, (event ?? {}) as ConversationEvent)
    })
    .then((stop) => {
      unsubscribe = stop
    })
    .catch((error: unknown) => logger.error({ err: error }, 'SLA: could not subscribe to conversation events'))

  /**
   * The ticket change listener is awaited but its failure is only logged (a lock wait under load,
   * a crash after the commit), and the bus delivers conversation events at most once: clocks can
   * miss a change. When an instance starts, the tickets and conversations changed in the last
   * 7 days (at most 2000 of each) are reconciled with their clocks, and the unfinished clocks whose
   * warning or breach job is missing are armed again (keyed by clock, so nothing doubles).
   */
  async function catchUp(): Promise<{ tickets: number; conversations: number; clocks: number }> {
    const since = new Date(infra.clock.now().getTime() - CATCH_UP_WINDOW_MS)
    let ticketCount = 0
    if (tickets) {
      const changed = await db.ticket.findMany({
        where: { updatedAt: { gte: since } },
        orderBy: { updatedAt: 'desc' },
        select: { id: true },
        take: CATCH_UP_LIMIT,
      })
      for (const { id } of changed) {
        try {
          const met = await ticketClocks.reconcile(id)
          if (met.length) await alerts.recordMet(id, met)
          ticketCount++
        } catch (error) {
          logger.warn({ err: error, ticketId: id }, 'SLA: a ticket’s clocks could not be caught up')
        }
      }
    }
    const conversations = await db.conversation.findMany({
      where: {
        OR: [
          { status: { in: ['queued', 'assigned'] }, updatedAt: { gte: since } },
          { status: 'resolved', resolvedAt: { gte: since } },
        ],
      },
      orderBy: { updatedAt: 'desc' },
      select: { id: true },
      take: CATCH_UP_LIMIT,
    })
    // and those whose clocks still count (their answer or resolution may be what was missed)
    const counting = await db.slaClock.findMany({
      where: { conversationId: { not: null }, status: { in: UNFINISHED } },
      distinct: ['conversationId'],
      select: { conversationId: true },
      take: CATCH_UP_LIMIT,
    })
    const conversationIds = [...new Set([...conversations.map((c) => c.id), ...counting.map((c) => c.conversationId!)])]
    for (const id of conversationIds) {
      try {
        for (const { ticketId, met } of await conversationClocks.reconcile(id)) await alerts.recordMet(ticketId, met)
      } catch (error) {
        logger.warn({ err: error, conversationId: id }, 'SLA: a conversation’s clocks could not be caught up')
      }
    }
    // unfinished clocks whose warning or breach job is missing (lost with a crash): armed again; a
    // clock with its jobs in place is left alone (re-scheduling a job at its due moment races its run)
    const unfinished = await db.slaClock.findMany({
      where: { status: { in: UNFINISHED } },
      orderBy: { dueAt: 'asc' },
      take: CATCH_UP_LIMIT,
    })
    const queued = new Set<string>()
    for (const status of ['pending', 'running'] as const)
      for (const job of await infra.scheduler.list({ type: SLA_CHECK_JOB, status, limit: 4 * CATCH_UP_LIMIT }))
        if (job.key) queued.add(job.key)
    let rearmed = 0
    for (const clock of unfinished) {
      if (expectedJobs(clock).every((key) => queued.has(key))) continue
      await engine
        .lock(engine.subjectOf(clock), async () => {
          const fresh = await db.slaClock.findUnique({ where: { id: clock.id } })
          if (fresh) await engine.arm(fresh)
        })
        .then(() => rearmed++)
        .catch((error: unknown) => logger.warn({ err: error, clockId: clock.id }, 'SLA: a clock could not be re-armed'))
    }
    const result = { tickets: ticketCount, conversations: conversationIds.length, clocks: rearmed }
    logger.info(result, 'SLA caught up with the changes made while its listeners were not there')
    return result
  }
  /** the keys of the jobs an unfinished clock has pending (what arm() schedules for it) */
  function expectedJobs(clock: ClockRow): string[] {
    const counting = clock.status === 'running' || clock.status === 'breached'
    return [
      ...(counting && clock.warnAt && !clock.warnedAt ? [checkKey(clock.id, 'warn')] : []),
      ...(clock.status === 'running' && clock.dueAt && !clock.breachedAt ? [checkKey(clock.id, 'breach')] : []),
    ]
  }
  infra.scheduler.define(SLA_CATCH_UP_JOB, async () => {
    await catchUp()
  })

  /** 404 when it does not exist, 403 when the caller may not see the ticket or conversation */
  async function requireVisible(subject: Subject, credentials: AuthCredentials | null): Promise<void> {
    if (subject.ticketId !== undefined) {
      if (!(await db.ticket.findUnique({ where: { id: subject.ticketId }, select: { id: true } })))
        throw userError(ErrorCode.NOT_FOUND, `No ticket #${subject.ticketId}`, { status: 404 })
      if (!credentials) return
      const scope = await ticketScope(db, ticketViewerOf(credentials))
      if (!(await db.ticket.findFirst({ where: { AND: [{ id: subject.ticketId }, scope] }, select: { id: true } })))
        throw userError(ErrorCode.FORBIDDEN, `Ticket #${subject.ticketId} is not one you can see`, { status: 403 })
      return
    }
    if (!(await db.conversation.findUnique({ where: { id: subject.conversationId }, select: { id: true } })))
      throw userError(ErrorCode.NOT_FOUND, `No conversation ${subject.conversationId}`, { status: 404 })
    if (credentials && deps.conversations)
      await deps.conversations.visible(
        { userId: credentials.user.id, supervisor: credentials.scope.includes('supervisor') },
        subject.conversationId,
      )
  }

  async function listClocks(subject: Subject, credentials: AuthCredentials | null = null): Promise<ClockView[]> {
    await requireVisible(subject, credentials)
    const clocks = await engine.clocksOf(subject)
    const policyOf = engine.policyCache()
    const now = infra.clock.now()
    const views: ClockView[] = []
    for (const clock of clocks) {
      const policy = await policyOf(clock.policyId)
      const unfinished = UNFINISHED.includes(clock.status)
      const used = unfinished ? usedAt(clock, policy?.hours ?? null, now) : clock.usedBusinessMs
      views.push({
        id: clock.id,
        metric: clock.metric as SlaMetric,
        status: clock.status,
        ticketId: clock.ticketId,
        conversationId: clock.conversationId,
        targetMinutes: clock.targetMinutes,
        startedAt: clock.startedAt,
        dueAt: clock.dueAt,
        warnAt: clock.warnAt,
        remainingBusinessMs: unfinished ? targetMs(clock) - used : null,
        usedBusinessMs: used,
        warnedAt: clock.warnedAt,
        breachedAt: clock.breachedAt,
        metAt: clock.metAt,
        policy: policy ? { id: policy.id, name: policy.name } : null,
      })
    }
    return views
  }

  return {
    policies,
    escalationRules: escalations,

    /** A ticket's or a conversation's clocks, with what is left of each in business time. */
    listClocks,

    /** The attainment report; for a supervisor in teams, of the tickets and conversations of their teams (and of none). */
    async report(query: ReportQuery, viewer?: { id: string; role: string }): Promise<SlaReport> {
      const scope = viewer ? await readTeamScope(db, viewer) : ({ kind: 'all' } as const)
      return slaReport(db, query, infra.clock.now(), engine.policyCache(), (teamId) => queueInScope(scope, teamId))
    },

    /** Listens to warnings and breaches as they are announced (the escalation rules do). */
    onEvent(listener: SlaEventListener): () => void {
      return alerts.onEvent(listener)
    },

    /** the SLA badge of inbox rows: each conversation's state, null when no policy applies to it */
    async conversationBadges(conversationIds: string[]) {
      return conversationSlaBadges(db, conversationIds)
    },

    /**
     * Resolves once the conversation events are subscribed (the server awaits it before it
     * listens); then what was missed before is caught up by a job (once, whichever instance runs it).
     */
    async start(): Promise<void> {
      await subscribed
      await infra.scheduler
        .schedule({ type: SLA_CATCH_UP_JOB, key: 'sla:catch-up', runAt: 0 })
        .catch((error: unknown) => {
          if ((error as { code?: string }).code !== ErrorCode.CONFLICT)
            logger.warn({ err: error }, 'SLA could not schedule its catch-up')
        })
    },

    /** The catch-up itself (what the start-up job runs), for tests. */
    catchUp,

    async stop(): Promise<void> {
      await subscribed
      await unsubscribe?.()
      unsubscribe = null
    },
  }
}
export type SlaService = ReturnType<typeof createSlaService>

/** Each conversation's SLA badge ({state, dueAt}), or null where no clock counts for it. */
export async function conversationSlaBadges(
  db: Db,
  conversationIds: string[],
): Promise<Map<string, { state: SlaState; dueAt: Date | null } | null>> {
  const clocks = conversationIds.length
    ? await db.slaClock.findMany({
        where: { conversationId: { in: conversationIds } },
        select: { conversationId: true, status: true, warnedAt: true, breachedAt: true, dueAt: true },
      })
    : []
  const byConversation = new Map<string, typeof clocks>()
  for (const clock of clocks) {
    const list = byConversation.get(clock.conversationId!) ?? []
    list.push(clock)
    byConversation.set(clock.conversationId!, list)
  }
  return new Map(
    conversationIds.map((id) => {
      const list = byConversation.get(id)
      return [id, list ? slaStateOf(list) : null]
    }),
  )
}
