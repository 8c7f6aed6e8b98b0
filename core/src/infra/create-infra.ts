import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { ErrorCode, operationalError } from '../errors/index.js'
import type { Db } from '../storage/index.js'
import { redactUrl } from '../storage/index.js'
import { createDbScheduler } from './memory/db-scheduler.js'
import { createMemoryBus } from './memory/memory-bus.js'
import { createMemoryCache } from './memory/memory-cache.js'
import { createMemoryLocks } from './memory/memory-locks.js'
import { createBullmqScheduler } from './redis/bullmq-scheduler.js'
import { createRedisBus } from './redis/redis-bus.js'
import { createRedisCache } from './redis/redis-cache.js'
import { createRedisLocks } from './redis/redis-locks.js'
import { systemClock, type Clock } from './clock.js'
import type { Infra } from './types.js'

export interface InfraOptions {
  db: Db
  logger: Pick<Logger, 'error' | 'warn'>
  /** when set, state is shared through Redis */
  redis?: { url: string; prefix: string }
  /** the system clock unless a test moves time by hand */
  clock?: Clock
}

export async function createInfra({ db, logger, redis, clock = systemClock }: InfraOptions): Promise<Infra> {
  const onBusError = (error: unknown, topic: string) => logger.error({ err: error, topic }, 'event handler failed')
  const onJobError = (error: unknown, job: { id: string; type: string; attempts: number }) =>
    logger.warn({ err: error, jobId: job.id, jobType: job.type, attempt: job.attempts }, 'scheduled job failed')

  const onSchedulerFault = (error: unknown) =>
    logger.error({ err: error }, 'scheduler: database error; retrying in 5 s')

  if (!redis) {
    return {
      kind: 'memory',
      bus: createMemoryBus(onBusError),
      locks: createMemoryLocks(),
      cache: createMemoryCache(),
      clock,
      scheduler: createDbScheduler(db, onJobError, onSchedulerFault, clock),
      async redisStatus() {
        return null
      },
      async close() {},
    }
  }

  const connections: Redis[] = []
  const connect = () => {
    // maxRetriesPerRequest: null is what BullMQ workers need; commands wait for a reconnect
    // instead of failing while Redis restarts.
    const client = new Redis(redis.url, {
      maxRetriesPerRequest: null,
      lazyConnect: true,
      connectionName: 'switchboard',
    })
    let reported = false
    client.on('error', (error) => {
      if (!reported) logger.error({ err: error }, 'Redis connection error; reconnecting')
      reported = true
    })
    client.on('ready', () => {
      if (reported) logger.warn('Redis connection restored')
      reported = false
    })
    connections.push(client)
    return client
  }
  const main = connect()
  const subscriber = connect()
  try {
    await Promise.all([main.connect(), subscriber.connect()])
  } catch (error) {
    for (const c of connections) c.disconnect()
    throw operationalError(
      ErrorCode.REDIS_UNAVAILABLE,
      `Cannot connect to Redis at ${redactUrl(redis.url)}: ${(error as Error).message}`,
      { cause: error },
    )
  }
  const bus = createRedisBus(main, subscriber, redis.prefix, onBusError)
  // BullMQ keeps Redis time; a manual clock (scenario tests) needs the database scheduler, which
  // also claims each job with a conditional update and so is safe with several instances
  const scheduler = clock.manual
    ? createDbScheduler(db, onJobError, onSchedulerFault, clock)
    : createBullmqScheduler(connect, redis.prefix, onJobError)
  return {
    kind: 'redis',
    clock,
    bus,
    locks: createRedisLocks(main, redis.prefix),
    cache: createRedisCache(main, redis.prefix),
    scheduler,
    async redisStatus() {
      try {
        await Promise.race([
          main.ping(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000)),
        ])
        return 'ok'
      } catch {
        return 'down'
      }
    },
    async close() {
      await bus.close()
      for (const c of connections) c.disconnect()
    },
  }
}
