import { randomUUID } from 'node:crypto'
import type { Db, Prisma } from '../../storage/index.js'
import { systemClock, type Clock } from '../clock.js'
import type { JobHandler, JobRecord, JobStatus, Scheduler } from '../types.js'
import { keyIsRunning, retryDelayMs } from '../types.js'

/** A claimed job's lease; a heartbeat renews it while the handler runs, so a crashed holder's job is taken over within a minute. */
const LEASE_MS = 60_000
const HEARTBEAT_MS = 20_000
/** wait after a database error before trying again */
const RETRY_AFTER_ERROR_MS = 5_000
/** finished and cancelled jobs are kept this long, then deleted */
const KEEP_FINISHED_MS = 7 * 86_400_000
/**
 * At most this many jobs run at once in one instance: a burst of thousands of due jobs (a QA
 * re-evaluation, a catch-up after downtime) is worked through a few at a time, so live requests
 * keep being served in between; the rest stay pending (other instances may take them).
 */
const MAX_RUNNING = 8
/** setTimeout cannot wait longer than ~24.8 days; re-check at least this often anyway. */
const MAX_SLEEP_MS = 60_000

type Row = Awaited<ReturnType<Db['scheduledJob']['findFirstOrThrow']>>

function toRecord(row: Row): JobRecord {
  return {
    id: row.id,
    type: row.type,
    key: row.key,
    payload: row.payload,
    runAt: row.runAt,
    status: row.status as JobStatus,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    lastError: row.lastError,
  }
}

/**
 * The in-process scheduler: jobs are rows in the database, so they survive a restart; one
 * timer is armed for the earliest pending job (nothing polls). A job is claimed with a
 * conditional update before it runs, so it never runs twice even if two timers fire at once.
 */
export function createDbScheduler(
  db: Db,
  onError: (error: unknown, job: JobRecord) => void,
  onFault: (error: unknown) => void = () => undefined,
  clock: Clock = systemClock,
): Scheduler {
  // when a job is due follows the clock (a test's manual clock jumps); a lease is about whether
  // the process holding a job is alive, so it always runs on real time
  const now = () => clock.now().getTime()
  const realNow = () => Date.now()
  const handlers = new Map<string, JobHandler>()
  const running = new Set<Promise<void>>()
  let timer: NodeJS.Timeout | undefined
  let started = false
  let ticking = false
  let tickAgain = false
  /** MAX_RUNNING jobs are running: a finishing one ticks again */
  let saturated = false
  let lastPrune = 0
  // a manual clock (tests) jumps: what is due now must run without waiting for the timer
  let unsubscribeClock: (() => void) | undefined

  function wakeIn(ms: number) {
    if (timer) clearTimeout(timer)
    timer = started ? setTimeout(() => void tick(), ms) : undefined
  }

  /** Sets the one timer: for the earliest pending job, or an expiring lease to take over. */
  async function arm(): Promise<void> {
    if (!started) return
    try {
      const [next, lease] = await Promise.all([
        db.scheduledJob.findFirst({ where: { status: 'pending' }, orderBy: { runAt: 'asc' }, select: { runAt: true } }),
        db.scheduledJob.findFirst({
          where: { status: 'running' },
          orderBy: { lockedUntil: 'asc' },
          select: { lockedUntil: true },
        }),
      ])
      const waits = [
        next ? next.runAt.getTime() - now() : Infinity,
        lease?.lockedUntil ? lease.lockedUntil.getTime() - realNow() : Infinity,
      ]
      wakeIn(Math.min(Math.max(0, Math.min(...waits)), MAX_SLEEP_MS))
    } catch (error) {
      onFault(error)
      wakeIn(RETRY_AFTER_ERROR_MS)
    }
  }

  async function tick(): Promise<void> {
    if (ticking) {
      tickAgain = true
      return
    }
    ticking = true
    try {
      do {
        tickAgain = false
        // take over jobs whose holder stopped renewing its lease (it crashed)
        await db.scheduledJob.updateMany({
          where: { status: 'running', lockedUntil: { lt: new Date(realNow()) } },
          data: { status: 'pending', lockedUntil: null },
        })
        if (now() - lastPrune > 3_600_000) {
          lastPrune = now()
          await db.scheduledJob.deleteMany({
            where: {
              status: { in: ['done', 'cancelled'] },
              finishedAt: { lt: new Date(now() - KEEP_FINISHED_MS) },
            },
          })
        }
        const due = await db.scheduledJob.findMany({
          where: { status: 'pending', runAt: { lte: clock.now() } },
          orderBy: { runAt: 'asc' },
          take: 50,
        })
        for (const row of due) {
          if (!started) break
          if (running.size >= MAX_RUNNING) {
            // full: the next job to finish looks again (no timer meanwhile: it would only spin)
            saturated = true
            break
          }
          const claimed = await db.scheduledJob.updateMany({
            where: { id: row.id, status: 'pending' },
            data: { status: 'running', attempts: { increment: 1 }, lockedUntil: new Date(realNow() + LEASE_MS) },
          })
          if (claimed.count !== 1) continue
          const job = toRecord({ ...row, status: 'running', attempts: row.attempts + 1 })
          const run = execute(job).finally(() => {
            running.delete(run)
            if (saturated) {
              saturated = false
              void tick()
            }
          })
          running.add(run)
          // let requests waiting on the event loop in between claims
          await new Promise((resolve) => setImmediate(resolve))
        }
        if (due.length === 50 && !saturated) tickAgain = true
      } while (tickAgain && started && !saturated)
    } catch (error) {
      // a database error must not take the process down: report it and try again shortly
      onFault(error)
      ticking = false
      wakeIn(RETRY_AFTER_ERROR_MS)
      return
    }
    ticking = false
    if (saturated) {
      if (timer) clearTimeout(timer)
      timer = undefined
      return
    }
    await arm()
  }

  async function execute(job: JobRecord): Promise<void> {
    const handler = handlers.get(job.type)
    const heartbeat = setInterval(() => {
      db.scheduledJob
        .updateMany({
          where: { id: job.id, status: 'running' },
          data: { lockedUntil: new Date(realNow() + LEASE_MS) },
        })
        .catch(onFault)
    }, HEARTBEAT_MS)
    try {
      await runHandler(job, handler)
    } catch (error) {
      onFault(error)
    } finally {
      clearInterval(heartbeat)
    }
  }

  async function runHandler(job: JobRecord, handler: JobHandler | undefined): Promise<void> {
    try {
      if (!handler) throw new Error(`no handler is defined for job type "${job.type}"`)
      await handler(job)
      await db.scheduledJob.updateMany({
        where: { id: job.id, status: 'running' },
        data: { status: 'done', finishedAt: clock.now(), lockedUntil: null, lastError: null },
      })
    } catch (error) {
      onError(error, job)
      const message = error instanceof Error ? error.message : String(error)
      const retry = handler !== undefined && job.attempts < job.maxAttempts
      await db.scheduledJob.updateMany({
        where: { id: job.id, status: 'running' },
        data: retry
          ? {
              status: 'pending',
              runAt: new Date(now() + retryDelayMs(job.attempts)),
              lastError: message,
              lockedUntil: null,
            }
          : { status: 'failed', finishedAt: clock.now(), lastError: message, lockedUntil: null },
      })
      if (retry) await arm()
    }
  }

  return {
    define(type, handler) {
      handlers.set(type, handler)
    },
    async schedule({ type, runAt, payload = {}, key, maxAttempts = 5 }) {
      const at = typeof runAt === 'number' ? new Date(now() + runAt) : runAt
      const data = {
        type,
        payload: payload as Prisma.InputJsonValue,
        runAt: at,
        maxAttempts,
        status: 'pending',
        attempts: 0,
        lastError: null,
        finishedAt: null,
      }
      if (key && (await db.scheduledJob.findUnique({ where: { key }, select: { status: true } }))?.status === 'running')
        throw keyIsRunning(key)
      const row = key
        ? await db.scheduledJob.upsert({ where: { key }, create: { id: randomUUID(), key, ...data }, update: data })
        : await db.scheduledJob.create({ data: { id: randomUUID(), ...data } })
      await arm()
      return toRecord(row)
    },
    async cancel(idOrKey) {
      const result = await db.scheduledJob.updateMany({
        where: { status: 'pending', OR: [{ id: idOrKey }, { key: idOrKey }] },
        data: { status: 'cancelled', finishedAt: clock.now() },
      })
      await arm()
      return result.count > 0
    },
    async get(id) {
      const row = await db.scheduledJob.findUnique({ where: { id } })
      return row ? toRecord(row) : undefined
    },
    async list({ status, type, limit = 100 } = {}) {
      const rows = await db.scheduledJob.findMany({ where: { status, type }, orderBy: { runAt: 'desc' }, take: limit })
      return rows.map(toRecord)
    },
    async start() {
      // jobs interrupted by a crash are taken over once their lease expires (handlers are idempotent)
      started = true
      unsubscribeClock ??= clock.onJump(() => void tick())
      await tick()
    },
    async stop() {
      started = false
      unsubscribeClock?.()
      unsubscribeClock = undefined
      if (timer) clearTimeout(timer)
      timer = undefined
      await Promise.allSettled([...running])
    },
  }
}
