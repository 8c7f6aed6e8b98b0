import { describe, expect, it } from 'vitest'
import { createMemoryCache } from '../infra/memory/memory-cache.js'
import type { Cache, Infra } from '../infra/index.js'
import {
  createPluginCache,
  MAX_PLUGIN_CACHE_BYTES,
  MAX_PLUGIN_CACHE_TTL_SECONDS,
  MAX_PLUGIN_CACHE_VALUE_BYTES,
} from './plugin-cache.js'

/** only what the plugin cache uses of the infrastructure */
function infraOf(kind: 'memory' | 'redis', cache: Cache = createMemoryCache()): Infra {
  return { kind, cache } as unknown as Infra
}

/** a string whose JSON is exactly `bytes` long */
const jsonOfSize = (bytes: number) => 'x'.repeat(bytes - 2)

describe('plugin cache', () => {
  it('stores JSON copies of values for their time to live', async () => {
    const cache = createPluginCache(infraOf('memory'), 'cache-basic')
    const value = { order: { number: '1001', items: [1, 2] } }
    await cache.set('order:1001', value, 1)
    value.order.number = 'changed'
    expect(await cache.get('order:1001')).toEqual({ order: { number: '1001', items: [1, 2] } })
    expect(await cache.get('missing')).toBeUndefined()
    await cache.set('null', undefined, 60)
    expect(await cache.get('null')).toBeNull()
    await new Promise((r) => setTimeout(r, 1100))
    expect(await cache.get('order:1001')).toBeUndefined()
  })

  it('refuses values over 32 KB of JSON with SB_ERR_PLUGIN_STORAGE_QUOTA (413)', async () => {
    for (const kind of ['memory', 'redis'] as const) {
      const infra = infraOf(kind)
      const cache = createPluginCache(infra, 'cache-size')
      await cache.set('fits', jsonOfSize(MAX_PLUGIN_CACHE_VALUE_BYTES), 60)
      expect(await cache.get('fits')).toHaveLength(MAX_PLUGIN_CACHE_VALUE_BYTES - 2)
      const error = await cache.set('big', jsonOfSize(MAX_PLUGIN_CACHE_VALUE_BYTES + 1), 60).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'SB_ERR_PLUGIN_STORAGE_QUOTA', status: 413 })
      expect((error as Error).message).toMatch(/32 KB/)
      expect(await cache.get('big')).toBeUndefined()
      // multi-byte characters count as bytes
      await expect(cache.set('wide', '汉'.repeat(12_000), 60)).rejects.toMatchObject({
        code: 'SB_ERR_PLUGIN_STORAGE_QUOTA',
      })
    }
  })

  it('refuses a time to live outside 1 s … 24 h', async () => {
    const cache = createPluginCache(infraOf('memory'), 'cache-ttl')
    for (const ttl of [0, 0.5, -1, MAX_PLUGIN_CACHE_TTL_SECONDS + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await cache.set('k', 1, ttl).catch((e: unknown) => e)
      expect(error, `ttl ${ttl}`).toMatchObject({ code: 'SB_ERR_PLUGIN_STORAGE_QUOTA', status: 413 })
      expect((error as Error).message).toMatch(/between 1 and 86400/)
    }
    await cache.set('shortest', 1, 1)
    await cache.set('longest', 2, MAX_PLUGIN_CACHE_TTL_SECONDS)
    expect([await cache.get('shortest'), await cache.get('longest')]).toEqual([1, 2])
  })

  it('without Redis, keeps a plugin within its byte budget, least recently used out first', async () => {
    const cache = createPluginCache(infraOf('memory'), 'cache-bounded')
    const value = jsonOfSize(30 * 1024)
    const writes = Math.ceil((MAX_PLUGIN_CACHE_BYTES * 1.5) / (30 * 1024))
    for (let i = 0; i < writes; i++) await cache.set(`k${i}`, value, 3600)
    let kept = 0
    for (let i = 0; i < writes; i++) if ((await cache.get(`k${i}`)) !== undefined) kept++
    expect(kept * 30 * 1024).toBeLessThanOrEqual(MAX_PLUGIN_CACHE_BYTES)
    expect(kept).toBeGreaterThan(writes / 2)
    expect(await cache.get('k0')).toBeUndefined()
    expect(await cache.get(`k${writes - 1}`)).toBe(value)
  })

  it('without Redis, never touches the core cache, so the core’s entries survive a flood', async () => {
    const core = createMemoryCache()
    const infra = infraOf('memory', core)
    await core.increment('auth:login-failures:admin@example.com', 60_000)
    const cache = createPluginCache(infra, 'cache-flood')
    // more entries than the core cache holds (10,000)
    for (let i = 0; i < 12_000; i++) await cache.set(`k${i}`, i, 3600)
    expect(await core.get('auth:login-failures:admin@example.com')).toBe(1)
    expect(await core.get('plugin:cache-flood:k11999')).toBeUndefined()
    expect(await cache.get('k11999')).toBe(11_999)
  })

  it('keeps plugins apart and shares one store per plugin on one infrastructure', async () => {
    const infra = infraOf('memory')
    const a = createPluginCache(infra, 'plugin-a')
    const b = createPluginCache(infra, 'plugin-b')
    await a.set('k', 'a', 60)
    expect(await b.get('k')).toBeUndefined()
    // a sandbox made again for the same plugin sees its values
    expect(await createPluginCache(infra, 'plugin-a').get('k')).toBe('a')
    // another infrastructure (another app) does not
    expect(await createPluginCache(infraOf('memory'), 'plugin-a').get('k')).toBeUndefined()
  })

  it('with Redis, uses the shared cache under plugin:<name>: with the TTL in milliseconds', async () => {
    const shared = createMemoryCache()
    const sets: Array<{ key: string; ttlMs: number }> = []
    const recording: Cache = {
      ...shared,
      async set(key, value, ttlMs) {
        sets.push({ key, ttlMs })
        await shared.set(key, value, ttlMs)
      },
    }
    const cache = createPluginCache(infraOf('redis', recording), 'erp-shop')
    await cache.set('order:1', { total: 3 }, 90)
    expect(sets).toEqual([{ key: 'plugin:erp-shop:order:1', ttlMs: 90_000 }])
    expect(await shared.get('plugin:erp-shop:order:1')).toEqual({ total: 3 })
    expect(await cache.get('order:1')).toEqual({ total: 3 })
    await expect(cache.set('big', jsonOfSize(MAX_PLUGIN_CACHE_VALUE_BYTES + 1), 60)).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_STORAGE_QUOTA',
    })
    await expect(cache.set('forever', 1, 10 * 86_400)).rejects.toMatchObject({ code: 'SB_ERR_PLUGIN_STORAGE_QUOTA' })
    expect(sets).toHaveLength(1)
  })
})
