import { addBusinessTime, businessTimeBetween, subtractBusinessTime, type BusinessHours } from '../calendar/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import { TARGET_OF, type SlaMetric, type SlaState } from './sla-dto.js'
import type { Policy, SlaPolicies } from './sla-policies.js'

export type ClockRow = Awaited<ReturnType<Db['slaClock']['findFirstOrThrow']>>
export type Subject =
  { ticketId: number; conversationId?: undefined } | { conversationId: string; ticketId?: undefined }

/** The job that fires a clock's warning or breach; keyed `sla:<clockId>:warn` / `sla:<clockId>:breach`. */
export const SLA_CHECK_JOB = 'sla.check'
export type CheckKind = 'warn' | 'breach'
/** Re-arms a clock whose job could not be rescheduled because it was running at that moment. */
export const SLA_REARM_JOB = 'sla.rearm'
export const checkKey = (clockId: string, kind: CheckKind) => `sla:${clockId}:${kind}`

/** still counting: running, paused (waiting on the customer), or breached and not met yet */
export const UNFINISHED = ['running', 'paused', 'breached']
/** counting right now */
const COUNTING = ['running', 'breached']

/** the column is a 32-bit integer on PostgreSQL: about 24 days of business time, plenty for a clock */
const INT_MAX = 2_147_483_647
const asColumn = (ms: number) => Math.max(0, Math.min(INT_MAX, Math.round(ms)))

const MINUTE = 60_000
export const targetMs = (clock: { targetMinutes: number }) => clock.targetMinutes * MINUTE

/**
 * Business time a clock has counted by `at`. A counting clock keeps no start of its current
 * stretch: its due time is where the count reaches the target, so what is used is the target less
 * what lies between `at` and the due time (or the target plus what lies after it, once over).
 */
export function usedAt(clock: ClockRow, hours: BusinessHours | null, at: Date): number {
  if (!COUNTING.includes(clock.status) || !clock.dueAt) return clock.usedBusinessMs
  const target = targetMs(clock)
  if (at <= clock.dueAt) return Math.max(0, target - businessTimeBetween(hours, at, clock.dueAt))
  return target + businessTimeBetween(hours, clock.dueAt, at)
}

/**
 * When a clock that has used `used` of `target` breaches and warns, counting from `now`. Over the
 * target, the due time lies in the past (where the count passed the target), which keeps usedAt()
 * right. No warning when there is none, it has fired, or the target is already missed.
 */
export function plan(
  target: number,
  used: number,
  hours: BusinessHours | null,
  warnBeforeMs: number,
  warned: boolean,
  now: Date,
): { dueAt: Date | null; warnAt: Date | null } {
  const left = target - used
  const dueAt = left >= 0 ? addBusinessTime(hours, now, left) : (subtractBusinessTime(hours, now, -left) ?? now)
  let warnAt: Date | null = null
  if (warnBeforeMs > 0 && !warned && left > 0) {
    const untilWarning = left - warnBeforeMs
    warnAt = untilWarning <= 0 ? now : addBusinessTime(hours, now, untilWarning)
  }
  return { dueAt, warnAt }
}

/** The badge of a set of clocks: the worst of those still counting; once all are done, met or breached. */
export function slaStateOf(clocks: Array<Pick<ClockRow, 'status' | 'warnedAt' | 'breachedAt' | 'dueAt'>>): {
  state: SlaState
  dueAt: Date | null
} {
  const unfinished = clocks.filter((c) => UNFINISHED.includes(c.status))
  const due = unfinished
    .filter((c) => COUNTING.includes(c.status) && c.dueAt)
    .map((c) => c.dueAt!.getTime())
    .sort((a, b) => a - b)
  const dueAt = due.length ? new Date(due[0]!) : null
  if (unfinished.some((c) => c.breachedAt)) return { state: 'breached', dueAt }
  if (unfinished.some((c) => c.warnedAt)) return { state: 'warning', dueAt }
  if (unfinished.length) return { state: 'ok', dueAt }
  if (clocks.some((c) => c.status === 'met' && c.breachedAt)) return { state: 'breached', dueAt: null }
  if (clocks.some((c) => c.status === 'met')) return { state: 'met', dueAt: null }
  return { state: 'none', dueAt: null }
}

/** clock ids are derived from what they measure, so two instances handling one event create one clock */
export function clockId(subject: Subject, metric: SlaMetric, occurrence?: string): string {
  const base = subject.ticketId !== undefined ? `t${subject.ticketId}` : `c${subject.conversationId}`
  return occurrence ? `${base}-${metric}-${occurrence}` : `${base}-${metric}`
}

/**
 * The clocks' bookkeeping: creating, pausing, resuming, finishing and re-planning them in business
 * time, their warning and breach jobs, and the ticket's slaState / slaDueAt. Callers hold the
 * subject's lock (lock()) so that a clock is changed by one hand at a time across instances.
 */
export function createClockEngine(deps: { db: Db; infra: Infra; logger: Logger; policies: SlaPolicies }) {
  const { db, infra, logger, policies } = deps

  async function lock<T>(subject: Subject, fn: () => Promise<T>): Promise<T> {
    const name =
      subject.ticketId !== undefined ? `sla:ticket:${subject.ticketId}` : `sla:conversation:${subject.conversationId}`
    return infra.locks.withLock(name, { ttlMs: 30_000, waitMs: 15_000 }, fn)
  }

  /** Policies by id for one operation (a deleted policy counts around the clock, with no warning). */
  function policyCache() {
    const cache = new Map<string, Promise<Policy | null>>()
    return (id: string | null) => {
      if (!id) return Promise.resolve(null)
      let found = cache.get(id)
      if (!found) cache.set(id, (found = policies.load(id)))
      return found
    }
  }

  async function schedule(clock: ClockRow, kind: CheckKind, runAt: Date) {
    try {
      await infra.scheduler.schedule({
        type: SLA_CHECK_JOB,
        key: checkKey(clock.id, kind),
        runAt,
        payload: { clockId: clock.id, kind },
        maxAttempts: 5,
      })
    } catch (error) {
      if ((error as { code?: string }).code !== 'SB_ERR_CONFLICT') throw error
      // the clock's job is running right now (it may be what changed the clock, through an
      // escalation): arm it again from its stored state once that job is over
      await infra.scheduler.schedule({ type: SLA_REARM_JOB, runAt: 1_000, payload: { clockId: clock.id } })
    }
  }

  infra.scheduler.define(SLA_REARM_JOB, async (job) => {
    const { clockId } = job.payload as { clockId: string }
    const clock = await db.slaClock.findUnique({ where: { id: clockId } })
    if (!clock) return
    await lock(subjectOf(clock), async () => {
      const fresh = await db.slaClock.findUnique({ where: { id: clockId } })
      if (fresh) await arm(fresh)
    })
  })

  /** Schedules or cancels the clock's warning and breach jobs after it changed. */
  async function arm(clock: ClockRow): Promise<void> {
    const counting = COUNTING.includes(clock.status)
    if (counting && clock.warnAt && !clock.warnedAt) await schedule(clock, 'warn', clock.warnAt)
    else await infra.scheduler.cancel(checkKey(clock.id, 'warn'))
    if (clock.status === 'running' && clock.dueAt && !clock.breachedAt) await schedule(clock, 'breach', clock.dueAt)
    else await infra.scheduler.cancel(checkKey(clock.id, 'breach'))
  }

  async function clocksOf(subject: Subject, where: { unfinished?: boolean; metrics?: SlaMetric[] } = {}) {
    return db.slaClock.findMany({
      where: {
        ...(subject.ticketId !== undefined
          ? { ticketId: subject.ticketId }
          : { conversationId: subject.conversationId }),
        ...(where.unfinished ? { status: { in: UNFINISHED } } : {}),
        ...(where.metrics ? { metric: { in: where.metrics } } : {}),
      },
      orderBy: { createdAt: 'asc' },
    })
  }

  /**
   * Writes the ticket's SLA bookkeeping (slaState, slaDueAt, slaPolicyId) without touching its
   * updatedAt: the SLA's state is not an update of the ticket (the customer's "last update", the
   * lists sorted by it). Prisma would stamp @updatedAt, so the value read is written back, on the
   * condition that nobody changed the ticket in between (else read again).
   */
  async function writeTicketQuietly(
    ticketId: number,
    data: { slaState?: string; slaDueAt?: Date | null; slaPolicyId?: string | null },
  ): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await db.ticket.findUnique({ where: { id: ticketId }, select: { updatedAt: true } })
      if (!row) return
      const { count } = await db.ticket.updateMany({
        where: { id: ticketId, updatedAt: row.updatedAt },
        data: { ...data, updatedAt: row.updatedAt },
      })
      if (count === 1) return
    }
    logger.warn({ ticketId }, 'SLA: the ticket kept changing; its SLA fields wait for its next change')
  }

  /** Keeps Ticket.slaState and slaDueAt (lists, badges, sorting) in step with its clocks. */
  async function syncTicket(ticketId: number): Promise<void> {
    const [ticket, clocks] = await Promise.all([
      db.ticket.findUnique({ where: { id: ticketId }, select: { slaState: true, slaDueAt: true } }),
      clocksOf({ ticketId }),
    ])
    if (!ticket) return
    const { state, dueAt } = slaStateOf(clocks)
    if (ticket.slaState === state && (ticket.slaDueAt?.getTime() ?? null) === (dueAt?.getTime() ?? null)) return
    await writeTicketQuietly(ticketId, { slaState: state, slaDueAt: dueAt })
  }

  /**
   * Starts a clock for a metric of the policy (nothing when the policy has no target for it, or
   * when a clock with this id exists: the event was seen before). `used` carries business time
   * already counted; `paused` starts it paused (a ticket waiting on the customer).
   */
  async function start(
    subject: Subject,
    policy: Policy,
    metric: SlaMetric,
    options: { now: Date; occurrence?: string; used?: number; paused?: boolean; startedAt?: Date },
  ): Promise<ClockRow | null> {
    const targetMinutes = policy.targets[TARGET_OF[metric]]
    if (!targetMinutes) return null
    const used = options.used ?? 0
    const { now } = options
    const { dueAt, warnAt } = options.paused
      ? { dueAt: null, warnAt: null }
      : plan(targetMinutes * MINUTE, used, policy.hours, policy.warnBeforeMinutes * MINUTE, false, now)
    try {
      const row = await db.slaClock.create({
        data: {
          id: clockId(subject, metric, options.occurrence),
          policyId: policy.id,
          ticketId: subject.ticketId ?? null,
          conversationId: subject.conversationId ?? null,
          metric,
          targetMinutes,
          status: options.paused ? 'paused' : 'running',
          startedAt: options.startedAt ?? now,
          dueAt,
          warnAt,
          pausedAt: options.paused ? now : null,
          usedBusinessMs: asColumn(used),
          createdAt: now,
        },
      })
      await arm(row)
      return row
    } catch (error) {
      if ((error as { code?: string }).code !== 'P2002') throw error
      // seen before: the clock exists, but the attempt that made it may have failed before arming
      // it (a lock timeout, a crash); arming again is idempotent (the jobs are keyed by clock)
      const existing = await db.slaClock.findUnique({ where: { id: clockId(subject, metric, options.occurrence) } })
      if (existing) await arm(existing)
      return null
    }
  }

  /** Waiting on the customer: counting clocks stop counting, keeping what they used. */
  async function pause(clocks: ClockRow[], now: Date): Promise<void> {
    const policyOf = policyCache()
    for (const clock of clocks) {
      if (!COUNTING.includes(clock.status)) continue
      const policy = await policyOf(clock.policyId)
      const used = usedAt(clock, policy?.hours ?? null, now)
      const row = await db.slaClock.update({
        where: { id: clock.id },
        data: { status: 'paused', pausedAt: now, usedBusinessMs: asColumn(used), dueAt: null, warnAt: null },
      })
      await arm(row)
    }
  }

  /** The customer answered (or the agent took it back): paused clocks count again from now. */
  async function resume(clocks: ClockRow[], now: Date): Promise<void> {
    const policyOf = policyCache()
    for (const clock of clocks) {
      if (clock.status !== 'paused') continue
      const policy = await policyOf(clock.policyId)
      const times = plan(
        targetMs(clock),
        clock.usedBusinessMs,
        policy?.hours ?? null,
        (policy?.warnBeforeMinutes ?? 0) * MINUTE,
        clock.warnedAt !== null,
        now,
      )
      const row = await db.slaClock.update({
        where: { id: clock.id },
        data: { status: clock.breachedAt ? 'breached' : 'running', pausedAt: null, ...times },
      })
      await arm(row)
    }
  }

  /**
   * Ends clocks: `met` (answered, resolved) keeps the business time it took; a clock met over its
   * target counts as breached even when its breach job had not fired yet. `stopped`: what it
   * measured ended otherwise (the ticket was closed unresolved, no policy applies any more).
   */
  async function finish(clocks: ClockRow[], outcome: 'met' | 'stopped', now: Date): Promise<ClockRow[]> {
    const policyOf = policyCache()
    const done: ClockRow[] = []
    for (const clock of clocks) {
      if (!UNFINISHED.includes(clock.status)) continue
      const policy = await policyOf(clock.policyId)
      const used = usedAt(clock, policy?.hours ?? null, now)
      const late = outcome === 'met' && used > targetMs(clock) && !clock.breachedAt
      const row = await db.slaClock.update({
        where: { id: clock.id },
        data: {
          status: outcome,
          usedBusinessMs: asColumn(used),
          warnAt: null,
          pausedAt: null,
          ...(outcome === 'met' ? { metAt: now } : {}),
          ...(late ? { breachedAt: clock.dueAt ?? now } : {}),
        },
      })
      await arm(row)
      done.push(row)
    }
    return done
  }

  /**
   * Puts a clock (back) under a policy, counting again unless `paused`: a met resolution clock when
   * the ticket is reopened, a clock moved to another policy or to its own edited one, a stopped
   * clock whose metric a new policy measures again. The business time used so far is kept,
   * measured in the calendar it was counted in (`from`); the target, warning and calendar become
   * `to`'s. A clock over its new target breaches at once (its breach job is due now).
   */
  async function replan(clock: ClockRow, from: Policy | null, to: Policy, now: Date, paused: boolean) {
    const targetMinutes = to.targets[TARGET_OF[clock.metric as SlaMetric]]
    if (!targetMinutes) return
    const used = usedAt(clock, from?.hours ?? null, now)
    const times = paused
      ? { dueAt: null, warnAt: null }
      : plan(targetMinutes * MINUTE, used, to.hours, to.warnBeforeMinutes * MINUTE, clock.warnedAt !== null, now)
    const row = await db.slaClock.update({
      where: { id: clock.id },
      data: {
        policyId: to.id,
        targetMinutes,
        usedBusinessMs: asColumn(used),
        status: paused ? 'paused' : clock.breachedAt ? 'breached' : 'running',
        pausedAt: paused ? (clock.pausedAt ?? now) : null,
        metAt: null,
        ...times,
      },
    })
    await arm(row)
  }

  /**
   * Claims a due warning or breach for the job that fires it; null when it no longer applies (the
   * clock was met, paused or re-planned since). A breach is dated when the target was passed, even
   * if the job runs later (the server was down).
   */
  async function claim(id: string, kind: CheckKind, now: Date): Promise<ClockRow | null> {
    // a job may run a moment before the clock's time by the instance's own reckoning
    const soon = new Date(now.getTime() + 2_000)
    let claimed: { count: number }
    if (kind === 'warn')
      claimed = await db.slaClock.updateMany({
        where: { id, status: 'running', warnedAt: null, warnAt: { lte: soon } },
        data: { warnedAt: now },
      })
    else {
      const clock = await db.slaClock.findUnique({ where: { id }, select: { dueAt: true } })
      if (!clock?.dueAt || clock.dueAt > soon) return null
      claimed = await db.slaClock.updateMany({
        where: { id, status: 'running', breachedAt: null, dueAt: clock.dueAt },
        data: { status: 'breached', breachedAt: clock.dueAt < now ? clock.dueAt : now },
      })
    }
    if (claimed.count !== 1) return null
    return db.slaClock.findUnique({ where: { id } })
  }

  function subjectOf(clock: Pick<ClockRow, 'ticketId' | 'conversationId'>): Subject {
    return clock.ticketId !== null ? { ticketId: clock.ticketId } : { conversationId: clock.conversationId! }
  }

  return {
    lock,
    arm,
    clocksOf,
    syncTicket,
    writeTicketQuietly,
    policyCache,
    start,
    pause,
    resume,
    finish,
    replan,
    claim,
    subjectOf,

    /** After a policy is edited: its unfinished clocks take its new targets, warning and calendar. */
    async replanPolicy(before: Policy, after: Policy, now: Date): Promise<void> {
      const clocks = await db.slaClock.findMany({ where: { policyId: after.id, status: { in: UNFINISHED } } })
      for (const clock of clocks) {
        await lock(subjectOf(clock), async () => {
          const fresh = await db.slaClock.findUnique({ where: { id: clock.id } })
          if (!fresh || !UNFINISHED.includes(fresh.status)) return
          if (after.targets[TARGET_OF[fresh.metric as SlaMetric]])
            await replan(fresh, before, after, now, fresh.status === 'paused')
          else await finish([fresh], 'stopped', now)
          if (fresh.ticketId !== null) await syncTicket(fresh.ticketId)
        })
      }
      logger.debug({ policyId: after.id, clocks: clocks.length }, 'SLA clocks re-planned after a policy change')
    },

    /** Before a policy is deleted: its unfinished clocks stop (they keep their history for reports). */
    async stopPolicy(policyId: string, now: Date): Promise<void> {
      const clocks = await db.slaClock.findMany({ where: { policyId, status: { in: UNFINISHED } } })
      for (const clock of clocks) {
        await lock(subjectOf(clock), async () => {
          const fresh = await db.slaClock.findUnique({ where: { id: clock.id } })
          if (fresh) await finish([fresh], 'stopped', now)
          if (clock.ticketId !== null) await syncTicket(clock.ticketId)
        })
      }
    },
  }
}
export type ClockEngine = ReturnType<typeof createClockEngine>
