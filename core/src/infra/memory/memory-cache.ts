import { LRUCache } from 'lru-cache'
import type { Cache } from '../types.js'
import { withGetOrLoad } from '../single-flight.js'

/** In-process cache, bounded by entry count; values are stored as JSON text like in Redis. */
export function createMemoryCache(maxEntries = 10_000): Cache {
  const lru = new LRUCache<string, string>({ max: maxEntries, ttlAutopurge: false })
  return withGetOrLoad({
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
    async increment(key, ttlMs) {
      // synchronous read-modify-write: atomic within the one process that owns this cache
      const current = lru.get(key)
      const next = (current === undefined ? 0 : Number(JSON.parse(current))) + 1
      lru.set(
        key,
        JSON.stringify(next),
        current === undefined ? { ttl: ttlMs } : { ttl: lru.getRemainingTTL(key) || ttlMs },
      )
      return next
    },
    async close() {
      lru.clear()
    },
  })
}
