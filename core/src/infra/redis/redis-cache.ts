import type { Redis } from 'ioredis'
import type { Cache } from '../types.js'
import { withGetOrLoad } from '../single-flight.js'

/** Cache in Redis, shared by all instances; values are JSON with a per-entry TTL. */
export function createRedisCache(redis: Redis, prefix: string): Cache {
  const keyOf = (key: string) => `${prefix}cache:${key}`
  return withGetOrLoad({
    async get<T>(key: string) {
      const text = await redis.get(keyOf(key))
      return text === null ? undefined : (JSON.parse(text) as T)
    },
    async set(key, value, ttlMs) {
      await redis.set(keyOf(key), JSON.stringify(value ?? null), 'PX', Math.max(1, Math.ceil(ttlMs)))
    },
    async delete(key) {
      await redis.del(keyOf(key))
    },
    async increment(key, ttlMs) {
      const [[, count]] = (await redis.multi().incr(keyOf(key)).pexpire(keyOf(key), Math.ceil(ttlMs), 'NX').exec()) as [
        [unknown, number],
      ]
      return count
    },
    async close() {},
  })
}
