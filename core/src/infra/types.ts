import { ErrorCode, userError } from '../errors/index.js'
import type { Clock } from './clock.js'

/**
 * State shared between Switchboard instances goes through these four small interfaces, each
 * with an in-process implementation (one instance; the default) and a Redis one (several
 * instances behind a load balancer). No module keeps cross-request state anywhere else.
 * One contract test suite (infra-contract.test.ts) runs against both.
 */

/** Publish/subscribe of domain events. Delivery is asynchronous and at-most-once per subscriber. */
export interface EventBus {
  publish(topic: string, event: unknown): Promise<void>
  /**
   * `pattern` is a topic ("conversation.created") or a prefix ending in `*` ("conversation.*").
   * Returns a function that unsubscribes.
   */
  subscribe(pattern: string, handler: EventHandler): Promise<() => Promise<void>>
  /**
   * Waits (at most `timeoutMs`) until the handlers running in this process have finished, also
   * those they set off: on shutdown, what an event started (a job to schedule) is done before
   * the scheduler stops.
   */
  drain(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}
export type EventHandler = (event: unknown, topic: string) => void | Promise<void>

/** Mutual exclusion across instances, with a time-to-live so a crashed holder cannot block forever. */
export interface LockManager {
  /** Returns null when the lock is held elsewhere and `waitMs` (default 0) ran out. */
  acquire(name: string, options: { ttlMs: number; waitMs?: number }): Promise<Lock | null>
  /** Runs `fn` holding the lock; throws SB_ERR_CONFLICT when it cannot be had within `waitMs`. */
  withLock<T>(name: string, options: { ttlMs: number; waitMs?: number }, fn: () => Promise<T>): Promise<T>
  close(): Promise<void>
}
export interface Lock {
  readonly name: string
  /** false when the lock had already expired or been taken over */
  release(): Promise<boolean>
  extend(ttlMs: number): Promise<boolean>
}

/** A cache of hot data (orders, logistics look-ups) with a time-to-live per entry. Values are JSON. */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>
  set(key: string, value: unknown, ttlMs: number): Promise<void>
  delete(key: string): Promise<void>
  /** Adds 1 to a counter atomically and returns the new value; the TTL starts with the first increment. */
  increment(key: string, ttlMs: number): Promise<number>
  /** Returns the cached value, or loads, stores and returns it; concurrent misses share one load. */
  getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>
  close(): Promise<void>
}

export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled'

export interface JobRecord {
  id: string
  type: string
  key: string | null
  payload: unknown
  runAt: Date
  status: JobStatus
  /** how many times the handler was started */
  attempts: number
  maxAttempts: number
  lastError: string | null
}

export interface ScheduleInput {
  type: string
  /** when to run; a Date, or milliseconds from now */
  runAt: Date | number
  payload?: unknown
  /**
   * de-duplication key: scheduling a key that is still pending replaces that job; while the
   * key's job is running, scheduling it again is refused with SB_ERR_CONFLICT
   */
  key?: string
  maxAttempts?: number
}

export type JobHandler = (job: JobRecord) => Promise<void>

/**
 * Durable delayed jobs: a scheduled job survives a restart (or a crash) and runs once, on one
 * instance, at or after its time. A failing handler is retried with exponential backoff up to
 * `maxAttempts`, then the job is `failed` with its last error kept.
 */
export interface Scheduler {
  /** Registers the handler of a job type; do it before start(). */
  define(type: string, handler: JobHandler): void
  schedule(input: ScheduleInput): Promise<JobRecord>
  /** Cancels a pending job by id or key; false when there is none pending. */
  cancel(idOrKey: string): Promise<boolean>
  get(id: string): Promise<JobRecord | undefined>
  list(filter?: { status?: JobStatus; type?: string; limit?: number }): Promise<JobRecord[]>
  start(): Promise<void>
  /** Stops taking jobs and waits for the running ones. */
  stop(): Promise<void>
}

export interface Infra {
  kind: 'memory' | 'redis'
  bus: EventBus
  locks: LockManager
  cache: Cache
  scheduler: Scheduler
  /** what time it is for time rules (SLA, callbacks, surveys); the scheduler runs jobs by it */
  clock: Clock
  /** for /health: null when there is no Redis */
  redisStatus(): Promise<'ok' | 'down' | null>
  close(): Promise<void>
}

export function keyIsRunning(key: string) {
  return userError(
    ErrorCode.CONFLICT,
    `The job with key "${key}" is running now; schedule it again once it has finished`,
    { status: 409 },
  )
}

/** Exponential backoff for job retries: 1 s, 2 s, 4 s … capped at 1 h. */
export function retryDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt - 1), 3_600_000)
}

export function topicMatches(pattern: string, topic: string): boolean {
  return pattern.endsWith('*') ? topic.startsWith(pattern.slice(0, -1)) : pattern === topic
}

/** Handler runs in flight, so drain() can wait for them (and for the ones they start). */
export function createInFlight() {
  const running = new Set<Promise<unknown>>()
  return {
    track(work: Promise<unknown>) {
      running.add(work)
      void work.finally(() => running.delete(work))
    },
    async drain(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (running.size > 0 && Date.now() < deadline) {
        await Promise.race([
          Promise.allSettled([...running]),
          new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now()))),
        ])
        // a handler may publish again: the new deliveries start on the next turn of the loop
        await new Promise((r) => setImmediate(r))
      }
    },
  }
}
