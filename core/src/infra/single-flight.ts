import type { Cache } from './types.js'

/** Shares one in-flight load between concurrent callers asking for the same key. */
export function singleFlight() {
  const inFlight = new Map<string, Promise<unknown>>()
  return function run<T>(key: string, load: () => Promise<T>): Promise<T> {
    const existing = inFlight.get(key)
    if (existing) return existing as Promise<T>
    const promise = load().finally(() => inFlight.delete(key))
    inFlight.set(key, promise)
    return promise
  }
}

/** Completes a cache store with getOrLoad: a hit is returned, concurrent misses share one load. */
export function withGetOrLoad(store: Omit<Cache, 'getOrLoad'>): Cache {
  const once = singleFlight()
  return {
    ...store,
    async getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>) {
      const hit = await store.get<T>(key)
      if (hit !== undefined) return hit
      return once(key, async () => {
        const value = await load()
        await store.set(key, value, ttlMs)
        return value
      })
    },
  }
}
