import type { Redis } from 'ioredis'
import type { Cache } from '../types.js'
import { singleFlight } from '../single-flight.js'

/** Cache in Redis, shared by all instances; values are JSON with a per-entry TTL. */
export function createRedisCache(redis: Redis, prefix: string): Cache {
  const keyOf = (key: string) => `${prefix}cache:${key}`
  const once = singleFlight()
  const cache: Cache = {
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
    async getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>) {
      const hit = await cache.get<T>(key)
      if (hit !== undefined) return hit
      return once(key, async () => {
        const value = await load()
        await cache.set(key, value, ttlMs)
        return value
      })
    },
    async close() {},
  }
  return cache
}
