/**
 * The contract of the four infra interfaces (types.ts), run unchanged against both
 * implementations: in-process (memory bus/locks/cache + the database scheduler) and Redis
 * (pub/sub, SET NX locks, Redis cache, BullMQ). Every test gets a fresh store: a new, migrated
 * database for the in-process implementation, a new key prefix on the test Redis for the other.
 * The Redis half is skipped (reported as skipped, never passed) when no redis-server is available.
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTestDatabase } from '../../../test/support/test-database.js'
import { testRedisUrl } from '../../../test/support/test-env.js'
import { databaseTarget, migrateDatabase, openDatabase, type Db } from '../storage/index.js'
import { createInfra, type InfraOptions } from './create-infra.js'
import type { Infra, JobRecord, JobStatus } from './types.js'

// ---------------------------------------------------------------------------------------------
// helpers

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls `condition` every 10 ms until it holds; fails the test after `timeoutMs`. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await condition()) return
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(10)
  }
}

async function untilStatus(infra: Infra, id: string, status: JobStatus, timeoutMs = 5000): Promise<JobRecord> {
  let last: JobRecord | undefined
  await until(
    async () => {
      last = await infra.scheduler.get(id)
      return last?.status === status
    },
    timeoutMs,
    `job ${id} to be ${status} (last seen: ${JSON.stringify(last)})`,
  )
  return last!
}

interface TestLogger {
  error: ReturnType<typeof vi.fn>
  warn: ReturnType<typeof vi.fn>
}

/** One shared store (a database, or a Redis prefix); every open() is a new instance on it, like a new process. */
interface Store {
  open(): Promise<Infra>
  /** stops the instance's scheduler and closes its connections (a restart, from the store's point of view) */
  shutdown(infra: Infra): Promise<void>
  /** what every instance of this store logged */
  logger: TestLogger
  close(): Promise<void>
}

interface Implementation {
  name: 'memory' | 'redis'
  /** true when several instances share the bus, locks and cache (not only the scheduler) */
  sharedAcrossInstances: boolean
  skip: boolean
  beforeAll?(): Promise<void>
  afterAll?(): Promise<void>
  newStore(): Promise<Store>
}

function newLogger(): TestLogger {
  return { error: vi.fn(), warn: vi.fn() }
}
const asLogger = (logger: TestLogger) => logger as unknown as InfraOptions['logger']

/** Tracks instances so that close() can release whatever a test left open. */
function instanceRegistry(closeOne: (infra: Infra) => Promise<void>) {
  const open = new Set<Infra>()
  return {
    add(infra: Infra) {
      open.add(infra)
      return infra
    },
    async shutdown(infra: Infra) {
      if (!open.delete(infra)) return
      await closeOne(infra)
    },
    async shutdownAll() {
      const all = [...open]
      open.clear()
      await Promise.allSettled(all.map(closeOne))
    },
  }
}

/**
 * better-sqlite3 is synchronous: a whole scheduler tick (find due jobs, claim them one by one)
 * runs in one stretch of microtasks, so two instances in this process could never interleave
 * and the claim would never be contended. Yielding to the event loop before every query, as a
 * networked database does, lets two instances race like two processes.
 */
function yieldingDb(db: Db): Db {
  return db.$extends({
    query: {
      async $allOperations({ args, query }) {
        await new Promise<void>((resolve) => setImmediate(resolve))
        return query(args)
      },
    },
  }) as unknown as Db
}

// ---------------------------------------------------------------------------------------------
// the two implementations

const memory: Implementation = {
  name: 'memory',
  sharedAcrossInstances: false,
  skip: false,
  async newStore() {
    const testDb = await createTestDatabase()
    const target = databaseTarget({
      database: { url: testDb.url, migrateOnStart: true },
      data: { dir: testDb.dataDir },
    })
    await migrateDatabase(target)
    const logger = newLogger()
    const clients = new Map<Infra, Db>()
    const registry = instanceRegistry(async (infra) => {
      await infra.scheduler.stop().catch(() => undefined)
      await infra.close()
      await clients.get(infra)?.$disconnect()
    })
    return {
      logger,
      async open() {
        // its own database client per instance, as two processes would have
        const client = await openDatabase(target)
        const db = yieldingDb(client)
        const infra = await createInfra({ db, logger: asLogger(logger) })
        clients.set(infra, client)
        return registry.add(infra)
      },
      shutdown: (infra) => registry.shutdown(infra),
      async close() {
        await registry.shutdownAll()
        await testDb.drop()
      },
    }
  },
}

let redisAdmin: Redis | undefined
const redis: Implementation = {
  name: 'redis',
  sharedAcrossInstances: true,
  skip: !testRedisUrl,
  async beforeAll() {
    redisAdmin = new Redis(testRedisUrl!, { lazyConnect: true, maxRetriesPerRequest: 1 })
    await redisAdmin.connect()
  },
  async afterAll() {
    await redisAdmin?.quit()
    redisAdmin = undefined
  },
  async newStore() {
    const prefix = `sbtest:${randomBytes(6).toString('hex')}:`
    const logger = newLogger()
    const registry = instanceRegistry(async (infra) => {
      await infra.scheduler.stop().catch(() => undefined)
      await infra.close()
    })
    return {
      logger,
      async open() {
        // nothing on the Redis path touches the database
        const infra = await createInfra({
          db: undefined as unknown as Db,
          logger: asLogger(logger),
          redis: { url: testRedisUrl!, prefix },
        })
        return registry.add(infra)
      },
      shutdown: (infra) => registry.shutdown(infra),
      async close() {
        await registry.shutdownAll()
        // remove every key this test wrote
        let cursor = '0'
        do {
          const [next, keys] = await redisAdmin!.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
          cursor = next
          if (keys.length > 0) await redisAdmin!.del(...keys)
        } while (cursor !== '0')
      },
    }
  },
}

// ---------------------------------------------------------------------------------------------
// the contract

function defineContract(impl: Implementation): void {
  describe.skipIf(impl.skip)(`infra contract: ${impl.name}`, () => {
    let store: Store

    if (impl.beforeAll) beforeAll(() => impl.beforeAll!())
    if (impl.afterAll) afterAll(() => impl.afterAll!())
    beforeEach(async () => {
      store = await impl.newStore()
    })
    afterEach(async () => {
      await store.close()
    })

    it('creates the expected kind of infra', async () => {
      const infra = await store.open()
      expect(infra.kind).toBe(impl.name)
      expect(await infra.redisStatus()).toBe(impl.name === 'redis' ? 'ok' : null)
    })

    // ------------------------------------------------------------------ bus
    describe('event bus', () => {
      it('delivers a published event to a subscriber as a JSON copy', async () => {
        const { bus } = await store.open()
        const got: Array<{ event: unknown; topic: string }> = []
        await bus.subscribe('conversation.created', (event, topic) => {
          got.push({ event, topic })
        })
        const event = { id: 'c1', tags: ['vip', 'fr'], nested: { n: 1, ok: true, none: null }, at: new Date(0) }
        await bus.publish('conversation.created', event)
        event.nested.n = 2 // after publish: must not leak into what subscribers get
        await until(() => got.length === 1, 2000, 'the event')
        expect(got[0]!.topic).toBe('conversation.created')
        expect(got[0]!.event).toEqual({
          id: 'c1',
          tags: ['vip', 'fr'],
          nested: { n: 1, ok: true, none: null },
          at: '1970-01-01T00:00:00.000Z',
        })
        expect(got[0]!.event).not.toBe(event)
      })

      it('matches prefix patterns and exact topics, and delivers nothing else', async () => {
        const { bus } = await store.open()
        const byPattern: string[] = []
        const exact: string[] = []
        const weird: string[] = []
        await bus.subscribe('conversation.*', (_e, topic) => {
          byPattern.push(topic)
        })
        await bus.subscribe('conversation.created', (_e, topic) => {
          exact.push(topic)
        })
        // glob characters in a pattern are literal
        await bus.subscribe('we?rd[1].*', (_e, topic) => {
          weird.push(topic)
        })
        for (const topic of [
          'contact.created',
          'conversations.created',
          'conversation',
          'weird1.x',
          'wexrd[1].x',
          'conversation.closed',
          'we?rd[1].x',
        ]) {
          await bus.publish(topic, { topic })
        }
        await bus.publish('conversation.created', {})
        await until(() => exact.length >= 1 && byPattern.length >= 2 && weird.length >= 1, 2000, 'the matching events')
        // delivery is in publish order: once this marker is in, anything else (a non-matching
        // topic, or a second copy of an event matched by two subscriptions) would be too
        const ends: unknown[] = []
        await bus.subscribe('end', (e) => {
          ends.push(e)
        })
        await bus.publish('end', {})
        await until(() => ends.length === 1, 2000, 'the end marker')
        expect(byPattern).toEqual(['conversation.closed', 'conversation.created'])
        expect(exact).toEqual(['conversation.created'])
        expect(weird).toEqual(['we?rd[1].x'])
      })

      it('stops delivering to a handler once it unsubscribed', async () => {
        const { bus } = await store.open()
        const first: unknown[] = []
        const second: unknown[] = []
        const marks: unknown[] = []
        const unsubscribeFirst = await bus.subscribe('room.*', (e) => {
          first.push(e)
        })
        const unsubscribeSecond = await bus.subscribe('room.*', (e) => {
          second.push(e)
        })
        await bus.subscribe('mark', (e) => {
          marks.push(e)
        })

        await bus.publish('room.1', 1)
        await bus.publish('mark', 'a')
        await until(() => marks.length === 1 && first.length === 1 && second.length === 1, 2000, 'round 1')

        await unsubscribeFirst()
        await unsubscribeFirst() // a second call is harmless
        await bus.publish('room.2', 2)
        await bus.publish('mark', 'b')
        await until(() => marks.length === 2 && second.length === 2, 2000, 'round 2')
        expect(first).toEqual([1])

        // the last handler of a pattern
        await unsubscribeSecond()
        await bus.publish('room.3', 3)
        await bus.publish('mark', 'c')
        await until(() => marks.length === 3, 2000, 'round 3')
        expect(first).toEqual([1])
        expect(second).toEqual([1, 2])
      })

      it('drain() waits for the handlers in flight and for the work they set off', async () => {
        const { bus } = await store.open()
        const done: string[] = []
        let started = false
        await bus.subscribe('slow.first', async () => {
          started = true
          await new Promise((r) => setTimeout(r, 150))
          done.push('first')
          await bus.publish('slow.second', null)
        })
        await bus.subscribe('slow.second', async () => {
          await new Promise((r) => setTimeout(r, 100))
          done.push('second')
        })
        await bus.publish('slow.first', null)
        // over Redis the event first has to come back from the server; in memory it is counted at once
        if (impl.name === 'redis') await until(() => started, 2000, 'delivery started')
        await bus.drain()
        if (impl.name === 'memory') expect(done).toEqual(['first', 'second'])
        else expect(done[0]).toBe('first')
      })

      it('isolates a throwing or hanging handler from the other subscribers and the publisher', async () => {
        const { bus } = await store.open()
        const good: unknown[] = []
        await bus.subscribe('job.*', () => {
          throw new Error('sync boom')
        })
        await bus.subscribe('job.*', async () => {
          throw new Error('async boom')
        })
        await bus.subscribe('job.*', () => new Promise<void>(() => undefined)) // never settles
        await bus.subscribe('job.*', (e) => {
          good.push(e)
        })
        await expect(bus.publish('job.done', { n: 1 })).resolves.toBeUndefined()
        await expect(bus.publish('job.done', { n: 2 })).resolves.toBeUndefined()
        await until(() => good.length === 2, 2000, 'the healthy subscriber')
        expect(good).toEqual([{ n: 1 }, { n: 2 }])
        // the failures are reported, not swallowed
        await until(() => store.logger.error.mock.calls.length === 4, 2000, 'four reported handler errors')
        expect(store.logger.error).toHaveBeenCalledWith(
          expect.objectContaining({ topic: 'job.done' }),
          expect.any(String),
        )
      })

      it.skipIf(!impl.sharedAcrossInstances)('delivers an event published on one instance to the others', async () => {
        const a = await store.open()
        const b = await store.open()
        const onA: unknown[] = []
        const onB: unknown[] = []
        await a.bus.subscribe('order.*', (e) => {
          onA.push(e)
        })
        await b.bus.subscribe('order.*', (e) => {
          onB.push(e)
        })
        await a.bus.publish('order.paid', { id: 'o1' })
        await until(() => onA.length === 1 && onB.length === 1, 2000, 'both instances')
        expect(onB).toEqual([{ id: 'o1' }])
        expect(onA).toEqual([{ id: 'o1' }])
      })
    })

    // ------------------------------------------------------------------ locks
    describe('locks', () => {
      it('gives exclusivity: a second acquire without waiting gets null', async () => {
        const { locks } = await store.open()
        const lock = await locks.acquire('conv:1', { ttlMs: 5000 })
        expect(lock).not.toBeNull()
        expect(lock!.name).toBe('conv:1')
        expect(await locks.acquire('conv:1', { ttlMs: 5000 })).toBeNull()
        expect(await locks.acquire('conv:1', { ttlMs: 5000, waitMs: 0 })).toBeNull()
        // other names are independent
        const other = await locks.acquire('conv:2', { ttlMs: 5000 })
        expect(other).not.toBeNull()
        // release frees it
        expect(await lock!.release()).toBe(true)
        const again = await locks.acquire('conv:1', { ttlMs: 5000 })
        expect(again).not.toBeNull()
        expect(await lock!.release()).toBe(false) // released already, and now held by `again`
        expect(await locks.acquire('conv:1', { ttlMs: 5000 })).toBeNull()
      })

      it('lets only one of many concurrent withLock callers run at a time', async () => {
        const { locks } = await store.open()
        let inside = 0
        let maxInside = 0
        let runs = 0
        await Promise.all(
          Array.from({ length: 6 }, () =>
            locks.withLock('counter', { ttlMs: 5000, waitMs: 5000 }, async () => {
              inside++
              maxInside = Math.max(maxInside, inside)
              await sleep(15)
              runs++
              inside--
            }),
          ),
        )
        expect(runs).toBe(6)
        expect(maxInside).toBe(1)
      })

      it('expires a lock after its ttl', async () => {
        const { locks } = await store.open()
        const t0 = Date.now()
        expect(await locks.acquire('exp', { ttlMs: 200 })).not.toBeNull()
        expect(await locks.acquire('exp', { ttlMs: 200 })).toBeNull()
        const next = await locks.acquire('exp', { ttlMs: 5000, waitMs: 3000 })
        expect(next).not.toBeNull()
        expect(Date.now() - t0).toBeGreaterThanOrEqual(190)
        expect(Date.now() - t0).toBeLessThan(2000)
      })

      it('does not let a stale holder release or extend the lock of the next holder', async () => {
        const { locks } = await store.open()
        const stale = await locks.acquire('stale', { ttlMs: 100 })
        expect(stale).not.toBeNull()
        const fresh = await locks.acquire('stale', { ttlMs: 5000, waitMs: 3000 })
        expect(fresh).not.toBeNull()
        expect(await stale!.release()).toBe(false)
        expect(await stale!.extend(5000)).toBe(false)
        expect(await locks.acquire('stale', { ttlMs: 5000 })).toBeNull() // still fresh's
        expect(await fresh!.release()).toBe(true)
        expect(await locks.acquire('stale', { ttlMs: 5000 })).not.toBeNull()
      })

      it('extends a held lock, and refuses to extend an expired one', async () => {
        const { locks } = await store.open()
        const lock = await locks.acquire('ext', { ttlMs: 200 })
        expect(await lock!.extend(3000)).toBe(true)
        await sleep(400) // well past the original ttl
        expect(await locks.acquire('ext', { ttlMs: 1000 })).toBeNull()
        expect(await lock!.release()).toBe(true)

        const short = await locks.acquire('ext2', { ttlMs: 80 })
        await sleep(200)
        expect(await short!.extend(3000)).toBe(false)
        expect(await locks.acquire('ext2', { ttlMs: 1000 })).not.toBeNull()
      })

      it('waits up to waitMs for a release, and gives up with null after waitMs', async () => {
        const { locks } = await store.open()
        const holder = await locks.acquire('wait', { ttlMs: 10_000 })
        const t0 = Date.now()
        let settled = false
        const waiting = locks.acquire('wait', { ttlMs: 5000, waitMs: 3000 }).finally(() => {
          settled = true
        })
        await sleep(150)
        expect(settled).toBe(false)
        expect(await holder!.release()).toBe(true)
        const got = await waiting
        expect(got).not.toBeNull()
        expect(Date.now() - t0).toBeGreaterThanOrEqual(140)
        expect(Date.now() - t0).toBeLessThan(1500)

        const t1 = Date.now()
        expect(await locks.acquire('wait', { ttlMs: 1000, waitMs: 250 })).toBeNull()
        expect(Date.now() - t1).toBeGreaterThanOrEqual(240)
        expect(Date.now() - t1).toBeLessThan(1500)
      })

      it('withLock runs the function holding the lock, releases it, and throws SB_ERR_CONFLICT when busy', async () => {
        const { locks } = await store.open()
        expect(
          await locks.withLock('wl', { ttlMs: 5000 }, async () => {
            expect(await locks.acquire('wl', { ttlMs: 5000 })).toBeNull() // held during fn
            return 42
          }),
        ).toBe(42)
        // released after fn, also when fn throws
        await expect(
          locks.withLock('wl', { ttlMs: 5000 }, async () => {
            throw new Error('inner failure')
          }),
        ).rejects.toThrow('inner failure')

        const holder = await locks.acquire('wl', { ttlMs: 5000 })
        expect(holder).not.toBeNull()
        const fn = vi.fn(async () => 1)
        await expect(locks.withLock('wl', { ttlMs: 5000 }, fn)).rejects.toMatchObject({
          code: 'SB_ERR_CONFLICT',
          kind: 'user',
        })
        await expect(locks.withLock('wl', { ttlMs: 5000, waitMs: 100 }, fn)).rejects.toMatchObject({
          code: 'SB_ERR_CONFLICT',
        })
        expect(fn).not.toHaveBeenCalled()
        expect(await holder!.release()).toBe(true)
      })

      it.skipIf(!impl.sharedAcrossInstances)('is exclusive across instances', async () => {
        const a = await store.open()
        const b = await store.open()
        const lock = await a.locks.acquire('shared', { ttlMs: 5000 })
        expect(lock).not.toBeNull()
        expect(await b.locks.acquire('shared', { ttlMs: 5000 })).toBeNull()
        const waiting = b.locks.acquire('shared', { ttlMs: 5000, waitMs: 3000 })
        await sleep(50)
        expect(await lock!.release()).toBe(true)
        expect(await waiting).not.toBeNull()
        expect(await a.locks.acquire('shared', { ttlMs: 5000 })).toBeNull()
      })
    })

    // ------------------------------------------------------------------ cache
    describe('cache', () => {
      it('increments counters atomically under concurrency, and they expire with their TTL', async () => {
        const { cache } = await store.open()
        const results = await Promise.all(Array.from({ length: 25 }, () => cache.increment('attempts', 300)))
        expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
        expect(await cache.get('attempts')).toBe(25)
        await sleep(450)
        expect(await cache.get('attempts')).toBeUndefined()
        expect(await cache.increment('attempts', 300)).toBe(1)
      })

      it('round-trips JSON values, as copies', async () => {
        const { cache } = await store.open()
        const order = { id: 'o1', lines: [{ sku: 'A', qty: 2 }], paid: false, note: null, at: new Date(0) }
        await cache.set('order', order, 5000)
        order.lines[0]!.qty = 99 // after set: not seen by readers
        expect(await cache.get('order')).toEqual({
          id: 'o1',
          lines: [{ sku: 'A', qty: 2 }],
          paid: false,
          note: null,
          at: '1970-01-01T00:00:00.000Z',
        })
        for (const value of ['text', 0, 3.5, false, true, null, [], [1, 'two'], {}]) {
          await cache.set('v', value, 5000)
          expect(await cache.get('v')).toEqual(value)
        }
        expect(await cache.get('never-set')).toBeUndefined()
        // overwrite
        await cache.set('order', { id: 'o2' }, 5000)
        expect(await cache.get('order')).toEqual({ id: 'o2' })
      })

      it('forgets an entry after its ttl', async () => {
        const { cache } = await store.open()
        const t0 = Date.now()
        await cache.set('short', { v: 1 }, 150)
        await cache.set('long', { v: 2 }, 10_000)
        expect(await cache.get('short')).toEqual({ v: 1 })
        await until(async () => (await cache.get('short')) === undefined, 2000, 'the entry to expire')
        expect(Date.now() - t0).toBeGreaterThanOrEqual(140)
        expect(await cache.get('long')).toEqual({ v: 2 })
      })

      it('deletes an entry', async () => {
        const { cache } = await store.open()
        await cache.set('k', 'v', 5000)
        await cache.set('other', 'w', 5000)
        await cache.delete('k')
        expect(await cache.get('k')).toBeUndefined()
        expect(await cache.get('other')).toBe('w')
        await expect(cache.delete('missing')).resolves.toBeUndefined()
      })

      it('getOrLoad shares one load between concurrent misses and caches the result', async () => {
        const { cache } = await store.open()
        let loads = 0
        const load = async () => {
          loads++
          await sleep(50)
          return { n: loads }
        }
        const results = await Promise.all(Array.from({ length: 8 }, () => cache.getOrLoad('hot', 5000, load)))
        expect(loads).toBe(1)
        expect(results).toEqual(Array.from({ length: 8 }, () => ({ n: 1 })))
        expect(await cache.get('hot')).toEqual({ n: 1 })
        expect(await cache.getOrLoad('hot', 5000, load)).toEqual({ n: 1 })
        expect(loads).toBe(1)

        // stored with its ttl: loads again once expired
        let shortLoads = 0
        const loadShort = async () => ++shortLoads
        expect(await cache.getOrLoad('brief', 100, loadShort)).toBe(1)
        expect(await cache.getOrLoad('brief', 100, loadShort)).toBe(1)
        await until(async () => (await cache.get('brief')) === undefined, 2000, 'the loaded entry to expire')
        expect(await cache.getOrLoad('brief', 100, loadShort)).toBe(2)
      })

      it('getOrLoad caches nothing when the load fails, and every waiting caller gets the error', async () => {
        const { cache } = await store.open()
        let loads = 0
        const failing = async (): Promise<string> => {
          loads++
          await sleep(30)
          throw new Error('upstream down')
        }
        const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => cache.getOrLoad('k', 5000, failing)))
        expect(loads).toBe(1)
        for (const outcome of outcomes) {
          expect(outcome.status).toBe('rejected')
          expect((outcome as PromiseRejectedResult).reason).toMatchObject({ message: 'upstream down' })
        }
        expect(await cache.get('k')).toBeUndefined()
        expect(await cache.getOrLoad('k', 5000, async () => 'ok')).toBe('ok')
      })

      it.skipIf(!impl.sharedAcrossInstances)('is shared across instances', async () => {
        const a = await store.open()
        const b = await store.open()
        await a.cache.set('k', { v: 1 }, 5000)
        expect(await b.cache.get('k')).toEqual({ v: 1 })
        expect(await b.cache.getOrLoad('k', 5000, async () => ({ v: 2 }))).toEqual({ v: 1 })
        await b.cache.delete('k')
        expect(await a.cache.get('k')).toBeUndefined()
      })
    })

    // ------------------------------------------------------------------ scheduler
    describe('scheduler', () => {
      interface Run {
        job: JobRecord
        at: number
        instance: string
      }
      const recorder =
        (runs: Run[], instance = 'a', work?: (job: JobRecord) => Promise<void>) =>
        async (job: JobRecord) => {
          runs.push({ job, at: Date.now(), instance })
          await work?.(job)
        }

      it('runs a job once, not before its time, with its payload; get() shows pending then done', async () => {
        const infra = await store.open()
        const runs: Run[] = []
        infra.scheduler.define('greet', recorder(runs))
        await infra.scheduler.start()
        const runAt = new Date(Date.now() + 300)
        const payload = { name: 'Ada', tags: ['x'], n: 1 }
        const job = await infra.scheduler.schedule({ type: 'greet', runAt, payload, maxAttempts: 3 })
        expect(job).toMatchObject({
          type: 'greet',
          key: null,
          payload,
          status: 'pending',
          attempts: 0,
          maxAttempts: 3,
          lastError: null,
        })
        expect(job.runAt.getTime()).toBe(runAt.getTime())
        const pending = await infra.scheduler.get(job.id)
        expect(pending).toMatchObject({ id: job.id, type: 'greet', status: 'pending', attempts: 0, payload })
        expect(pending!.runAt.getTime()).toBe(runAt.getTime())

        await until(() => runs.length > 0, 5000, 'the job to run')
        expect(runs[0]!.at).toBeGreaterThanOrEqual(runAt.getTime())
        expect(runs[0]!.job).toMatchObject({
          id: job.id,
          type: 'greet',
          payload,
          status: 'running',
          attempts: 1,
          maxAttempts: 3,
        })
        const done = await untilStatus(infra, job.id, 'done')
        expect(done).toMatchObject({
          id: job.id,
          status: 'done',
          attempts: 1,
          maxAttempts: 3,
          lastError: null,
          payload,
        })
        await sleep(250)
        expect(runs).toHaveLength(1)
        expect(await infra.scheduler.get('no-such-job')).toBeUndefined()
      })

      it('cancels a pending job by id and by key', async () => {
        const infra = await store.open()
        const runs: Run[] = []
        infra.scheduler.define('remind', recorder(runs))
        await infra.scheduler.start()
        const byId = await infra.scheduler.schedule({ type: 'remind', runAt: 250, payload: { which: 'by-id' } })
        const byKey = await infra.scheduler.schedule({
          type: 'remind',
          runAt: 250,
          payload: { which: 'by-key' },
          key: 'remind:conv-1',
        })
        const kept = await infra.scheduler.schedule({ type: 'remind', runAt: 350, payload: { which: 'kept' } })
        expect(await infra.scheduler.cancel(byId.id)).toBe(true)
        expect(await infra.scheduler.cancel('remind:conv-1')).toBe(true)
        expect(await infra.scheduler.cancel(byId.id)).toBe(false) // not pending any more
        expect(await infra.scheduler.cancel('remind:conv-1')).toBe(false)
        expect(await infra.scheduler.cancel('no-such-job')).toBe(false)
        for (const id of [byId.id, byKey.id]) {
          const record = await infra.scheduler.get(id)
          // the database keeps a cancelled row; BullMQ removes the job
          if (record !== undefined) expect(record.status).toBe('cancelled')
        }
        expect((await infra.scheduler.list({ status: 'pending' })).map((j) => j.id)).toEqual([kept.id])

        await untilStatus(infra, kept.id, 'done')
        await sleep(100)
        expect(runs.map((r) => r.job.payload)).toEqual([{ which: 'kept' }])
        expect(await infra.scheduler.cancel(kept.id)).toBe(false) // done, not pending
      })

      it('keeps one job per key: scheduling the key again replaces it (later runAt and payload win)', async () => {
        const infra = await store.open()
        const runs: Run[] = []
        infra.scheduler.define('sla', recorder(runs))
        await infra.scheduler.start()
        await infra.scheduler.schedule({ type: 'sla', runAt: 200, payload: { v: 1 }, key: 'sla:conv-9' })
        const secondAt = new Date(Date.now() + 500)
        const second = await infra.scheduler.schedule({
          type: 'sla',
          runAt: secondAt,
          payload: { v: 2 },
          key: 'sla:conv-9',
        })
        expect(second).toMatchObject({ key: 'sla:conv-9', payload: { v: 2 }, status: 'pending' })
        const pending = (await infra.scheduler.list({ status: 'pending' })).filter((j) => j.key === 'sla:conv-9')
        expect(pending).toHaveLength(1)
        expect(pending[0]).toMatchObject({ payload: { v: 2 } })
        expect(pending[0]!.runAt.getTime()).toBe(secondAt.getTime())

        await until(() => runs.length > 0, 5000, 'the job to run')
        expect(runs[0]!.at).toBeGreaterThanOrEqual(secondAt.getTime())
        expect(runs[0]!.job).toMatchObject({ key: 'sla:conv-9', payload: { v: 2 } })
        await untilStatus(infra, second.id, 'done')
        await sleep(200)
        expect(runs).toHaveLength(1)
      })

      it('refuses to reschedule a key whose job is running (SB_ERR_CONFLICT), and the running job still completes', async () => {
        const infra = await store.open()
        let release!: () => void
        const started = new Promise<void>((resolve) => {
          infra.scheduler.define('long', async () => {
            resolve()
            await new Promise<void>((r) => (release = r))
          })
        })
        await infra.scheduler.start()
        const job = await infra.scheduler.schedule({ type: 'long', runAt: 0, key: 'long:1' })
        await started
        await expect(infra.scheduler.schedule({ type: 'long', runAt: 1000, key: 'long:1' })).rejects.toMatchObject({
          code: 'SB_ERR_CONFLICT',
          kind: 'user',
        })
        release()
        await untilStatus(infra, job.id, 'done')
      })

      it('retries a failing handler with backoff, then marks the job failed with its last error', async () => {
        const infra = await store.open()
        const runs: Run[] = []
        infra.scheduler.define(
          'flaky',
          recorder(runs, 'a', async () => {
            throw new Error(`boom ${runs.length}`)
          }),
        )
        await infra.scheduler.start()
        const job = await infra.scheduler.schedule({ type: 'flaky', runAt: 0, payload: { p: 1 }, maxAttempts: 2 })

        // between the attempts: pending again, one attempt made, the error kept
        let between: JobRecord | undefined
        await until(
          async () => {
            between = await infra.scheduler.get(job.id)
            return between?.status === 'pending' && between.attempts === 1
          },
          3000,
          'the first attempt to fail',
        )
        expect(between!.lastError).toContain('boom 1')

        const failed = await untilStatus(infra, job.id, 'failed', 6000)
        expect(failed).toMatchObject({ status: 'failed', attempts: 2, maxAttempts: 2, payload: { p: 1 } })
        expect(failed.lastError).toContain('boom 2')
        expect(runs.map((r) => r.job.attempts)).toEqual([1, 2])
        // first retry waits retryDelayMs(1) = 1 s
        expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(950)
        expect(store.logger.warn).toHaveBeenCalledTimes(2)
        await sleep(200)
        expect(runs).toHaveLength(2)
      })

      it('completes a job whose retry succeeds', async () => {
        const infra = await store.open()
        const runs: Run[] = []
        infra.scheduler.define(
          'once-flaky',
          recorder(runs, 'a', async (job) => {
            if (job.attempts === 1) throw new Error('transient')
          }),
        )
        await infra.scheduler.start()
        const job = await infra.scheduler.schedule({ type: 'once-flaky', runAt: 0, maxAttempts: 3 })
        const done = await untilStatus(infra, job.id, 'done', 6000)
        expect(done).toMatchObject({ status: 'done', attempts: 2, maxAttempts: 3, lastError: null })
        expect(runs.map((r) => r.job.attempts)).toEqual([1, 2])
      })

      it('list() filters by status and type, newest runAt first, up to limit', async () => {
        const infra = await store.open()
        infra.scheduler.define('ok', async () => undefined)
        infra.scheduler.define('bad', async () => {
          throw new Error('always')
        })
        await infra.scheduler.start()
        const later = await infra.scheduler.schedule({ type: 'ok', runAt: 60_000 })
        const done = await infra.scheduler.schedule({ type: 'ok', runAt: 0 })
        const failed = await infra.scheduler.schedule({ type: 'bad', runAt: 0, maxAttempts: 1 })
        await untilStatus(infra, done.id, 'done')
        await untilStatus(infra, failed.id, 'failed')

        const ids = async (filter?: Parameters<Infra['scheduler']['list']>[0]) =>
          (await infra.scheduler.list(filter)).map((j) => j.id)
        expect(await ids({ status: 'pending' })).toEqual([later.id])
        expect(await ids({ status: 'done' })).toEqual([done.id])
        expect(await ids({ status: 'failed' })).toEqual([failed.id])
        expect(await ids({ status: 'running' })).toEqual([])
        expect(await ids({ type: 'bad' })).toEqual([failed.id])
        expect(await ids({ type: 'ok', status: 'done' })).toEqual([done.id])
        expect((await ids()).sort()).toEqual([later.id, done.id, failed.id].sort())
        expect(await ids({ limit: 1 })).toEqual([later.id])
        const [failedRecord] = await infra.scheduler.list({ status: 'failed' })
        expect(failedRecord).toMatchObject({ type: 'bad', status: 'failed', attempts: 1, maxAttempts: 1 })
        expect(failedRecord!.lastError).toContain('always')
      })

      it('stop() waits for the running jobs to finish', async () => {
        const a = await store.open()
        let started = false
        let finished = false
        a.scheduler.define('slow', async () => {
          started = true
          await sleep(300)
          finished = true
        })
        await a.scheduler.start()
        const job = await a.scheduler.schedule({ type: 'slow', runAt: 0 })
        await until(() => started, 3000, 'the job to start')
        await a.scheduler.stop()
        expect(finished).toBe(true)
        const b = await store.open()
        expect((await b.scheduler.get(job.id))?.status).toBe('done')
      })

      it('DURABILITY: a job scheduled before a restart runs on the new instance', async () => {
        const a = await store.open()
        const runsOnA: Run[] = []
        a.scheduler.define('followup', recorder(runsOnA, 'a'))
        await a.scheduler.start()
        const runAt = new Date(Date.now() + 400)
        const job = await a.scheduler.schedule({
          type: 'followup',
          runAt,
          payload: { conversation: 'c-42' },
          key: 'followup:c-42',
        })
        const unkeyed = await a.scheduler.schedule({ type: 'followup', runAt, payload: { conversation: 'c-43' } })
        await store.shutdown(a) // the process goes away before the jobs are due

        const b = await store.open()
        const runsOnB: Run[] = []
        b.scheduler.define('followup', recorder(runsOnB, 'b'))
        expect(await b.scheduler.get(job.id)).toMatchObject({ status: 'pending', payload: { conversation: 'c-42' } })
        await b.scheduler.start()
        await untilStatus(b, job.id, 'done')
        await untilStatus(b, unkeyed.id, 'done')
        expect(runsOnA).toHaveLength(0)
        expect(
          runsOnB.map((r) => r.job.payload).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
        ).toEqual([{ conversation: 'c-42' }, { conversation: 'c-43' }])
        for (const run of runsOnB) expect(run.at).toBeGreaterThanOrEqual(runAt.getTime())
      })

      it('EXACTLY ONCE: two instances on the same store run each due job exactly once', async () => {
        const a = await store.open()
        const b = await store.open()
        const runs: Run[] = []
        const slowly = async () => sleep(20)
        a.scheduler.define('tick', recorder(runs, 'a', slowly))
        b.scheduler.define('tick', recorder(runs, 'b', slowly))
        // scheduled before either starts, so both instances see every job as due at the same time
        const runAt = new Date(Date.now() + 400)
        const jobs = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 ? b : a).scheduler.schedule({ type: 'tick', runAt, payload: { i } }),
          ),
        )
        await Promise.all([a.scheduler.start(), b.scheduler.start()])
        await until(
          async () => (await Promise.all(jobs.map((j) => a.scheduler.get(j.id)))).every((r) => r?.status === 'done'),
          8000,
          'all ten jobs to be done',
        )
        await sleep(300)
        const counts = new Map<string, number>()
        for (const run of runs) counts.set(run.job.id, (counts.get(run.job.id) ?? 0) + 1)
        expect(runs).toHaveLength(10)
        expect([...counts.values()]).toEqual(Array.from({ length: 10 }, () => 1))
        expect(new Set(runs.map((r) => (r.job.payload as { i: number }).i)).size).toBe(10)
        for (const job of jobs) expect(await b.scheduler.get(job.id)).toMatchObject({ status: 'done', attempts: 1 })
      })
    })
  })
}

defineContract(memory)
defineContract(redis)
