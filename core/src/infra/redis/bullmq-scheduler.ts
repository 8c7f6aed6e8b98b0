import { createHash, randomUUID } from 'node:crypto'
import { Queue, Worker, type Job } from 'bullmq'
import type { Redis } from 'ioredis'
import type { JobHandler, JobRecord, JobStatus, Scheduler } from '../types.js'
import { keyIsRunning, retryDelayMs } from '../types.js'

interface JobData {
  key: string | null
  payload: unknown
  runAt: number
}

const STATUS_OF: Record<string, JobStatus> = {
  delayed: 'pending',
  waiting: 'pending',
  wait: 'pending',
  prioritized: 'pending',
  paused: 'pending',
  'waiting-children': 'pending',
  active: 'running',
  completed: 'done',
  failed: 'failed',
}
const TYPES_OF: Record<JobStatus, Array<'delayed' | 'waiting' | 'prioritized' | 'active' | 'completed' | 'failed'>> = {
  pending: ['delayed', 'waiting', 'prioritized'],
  running: ['active'],
  done: ['completed'],
  failed: ['failed'],
  // BullMQ removes a cancelled job; there is nothing left to list
  cancelled: [],
}

/** BullMQ job ids may not contain ':' nor be integers; derive a stable id from the key. */
const idForKey = (key: string) => `key-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`

/**
 * The Redis scheduler, on BullMQ: jobs live in Redis (delayed set), survive restarts of
 * every instance, and each runs on exactly one instance's worker. Retries use the same
 * exponential backoff as the in-process scheduler.
 */
export function createBullmqScheduler(
  connection: () => Redis,
  prefix: string,
  onError: (error: unknown, job: JobRecord) => void,
): Scheduler {
  const handlers = new Map<string, JobHandler>()
  const queueConnection = connection()
  const queue = new Queue<JobData>('jobs', { connection: queueConnection, prefix: `${prefix}bull` })
  let worker: Worker<JobData> | undefined
  let workerConnection: Redis | undefined

  async function toRecord(job: Job<JobData>, state?: string): Promise<JobRecord> {
    const s = state ?? (await job.getState())
    const status = STATUS_OF[s] ?? 'pending'
    return {
      id: job.id!,
      type: job.name,
      key: job.data.key,
      payload: job.data.payload,
      runAt: new Date(job.data.runAt),
      status,
      // a running job counts the attempt under way; otherwise the finished attempts, which BullMQ
      // updates together with the failure reason (a start counter read mid-pickup would not be)
      attempts: status === 'running' ? (job.attemptsStarted ?? job.attemptsMade) : job.attemptsMade,
      maxAttempts: job.opts.attempts ?? 1,
      // BullMQ keeps the reason of a failed attempt after a retry succeeded; a done job has no error
      lastError:
        status === 'done'
          ? null
          : job.failedReason || (job.stacktrace?.length ? (job.stacktrace.at(-1) ?? null) : null),
    }
  }

  return {
    define(type, handler) {
      handlers.set(type, handler)
    },
    async schedule({ type, runAt, payload = {}, key, maxAttempts = 5 }) {
      const at = typeof runAt === 'number' ? Date.now() + runAt : runAt.getTime()
      const jobId = key ? idForKey(key) : randomUUID()
      if (key) {
        const existing = await queue.getJob(jobId)
        if (existing) {
          if ((await existing.getState()) === 'active') throw keyIsRunning(key)
          await existing.remove()
        }
      }
      const job = await queue.add(
        type,
        { key: key ?? null, payload, runAt: at },
        {
          jobId,
          delay: Math.max(0, at - Date.now()),
          attempts: maxAttempts,
          backoff: { type: 'switchboard' },
          removeOnComplete: { age: 7 * 86_400 },
          removeOnFail: { age: 30 * 86_400 },
        },
      )
      return toRecord(job, 'delayed')
    },
    async cancel(idOrKey) {
      for (const id of [idOrKey, idForKey(idOrKey)]) {
        const job = await queue.getJob(id)
        if (!job) continue
        const state = await job.getState()
        if (STATUS_OF[state] !== 'pending') return false
        await job.remove()
        return true
      }
      return false
    },
    async get(id) {
      // state first, then the fields: BullMQ records a failed attempt's reason in the same script
      // that moves the job back to delayed, so "pending after an attempt" always has its error
      const state = await queue.getJobState(id)
      if (state === 'unknown') return undefined
      const job = await queue.getJob(id)
      return job ? toRecord(job, state) : undefined
    },
    async list({ status, type, limit = 100 } = {}) {
      const types = status
        ? TYPES_OF[status]
        : (['delayed', 'waiting', 'prioritized', 'active', 'completed', 'failed'] as const)
      if (types.length === 0) return []
      const jobs = (await queue.getJobs([...types], 0, type ? 10 * limit : limit - 1)).filter((j): j is Job<JobData> =>
        Boolean(j),
      )
      const records = await Promise.all(jobs.filter((j) => !type || j.name === type).map((j) => toRecord(j)))
      return records.sort((a, b) => b.runAt.getTime() - a.runAt.getTime()).slice(0, limit)
    },
    async start() {
      workerConnection = connection()
      worker = new Worker<JobData>(
        'jobs',
        async (job) => {
          const handler = handlers.get(job.name)
          const record = await toRecord(job, 'active')
          try {
            if (!handler) throw new Error(`no handler is defined for job type "${job.name}"`)
            await handler(record)
          } catch (error) {
            onError(error, record)
            throw error
          }
        },
        {
          connection: workerConnection,
          prefix: `${prefix}bull`,
          concurrency: 5,
          settings: { backoffStrategy: (attemptsMade: number) => retryDelayMs(attemptsMade) },
        },
      )
      worker.on('error', () => undefined)
      await worker.waitUntilReady()
    },
    async stop() {
      await worker?.close()
      // Closing a Queue while its (shared, lazily connecting) connection is still connecting
      // makes BullMQ's init promise reject with no listener left: an unhandled rejection that
      // kills the process. Let the connection attempt settle first.
      await queue.waitUntilReady().catch(() => undefined)
      await queue.close()
      workerConnection?.disconnect()
      queueConnection.disconnect()
    },
  }
}
