import { LRUCache } from 'lru-cache'
import type { Cache } from '../types.js'
import { singleFlight } from '../single-flight.js'

/** In-process cache, bounded by entry count; values are stored as JSON text like in Redis. */
export function createMemoryCache(maxEntries = 10_000): Cache {
  const lru = new LRUCache<string, string>({ max: maxEntries, ttlAutopurge: false })
  const once = singleFlight()
  const cache: Cache = {
    async get<T>(key: string) {
      const text = lru.get(key)
      return text === undefined ? undefined : (JSON.parse(text) as T)
    },
    async set(key, value, ttlMs) {
      lru.set(key, JSON.stringify(value ?? null), { ttl: ttlMs })
    },
    async delete(key) {
      lru.delete(key)
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
    async close() {
      lru.clear()
    },
  }
  return cache
}
