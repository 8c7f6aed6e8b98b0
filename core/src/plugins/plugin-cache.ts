import { LRUCache } from 'lru-cache'
import { ErrorCode } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import { pluginUserError } from './plugin-errors.js'

/** the largest one cached value may be, as JSON */
export const MAX_PLUGIN_CACHE_VALUE_BYTES = 32 * 1024
/** the shortest and longest time a value may be cached */
export const MIN_PLUGIN_CACHE_TTL_SECONDS = 1
export const MAX_PLUGIN_CACHE_TTL_SECONDS = 86_400
/** without Redis: the most one plugin's cached values (JSON and keys) may hold in this process */
export const MAX_PLUGIN_CACHE_BYTES = 16 * 1024 * 1024

/** `ctx.cache` on the host side. */
export interface PluginCache {
  get(key: string): Promise<unknown>
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>
}

/**
 * In-process stores, one per plugin name and per infrastructure, so a plugin whose sandbox is
 * made again (after a crash, an upgrade, an install probe) keeps one bounded store, not several.
 */
const memoryStores = new WeakMap<Infra, Map<string, LRUCache<string, string>>>()

function memoryStore(infra: Infra, pluginName: string, maxBytes: number): LRUCache<string, string> {
  let byPlugin = memoryStores.get(infra)
  if (!byPlugin) memoryStores.set(infra, (byPlugin = new Map()))
  let store = byPlugin.get(pluginName)
  if (!store) {
    store = new LRUCache<string, string>({
      maxSize: maxBytes,
      sizeCalculation: (json, key) => Buffer.byteLength(json) + Buffer.byteLength(key),
      ttlAutopurge: false,
    })
    byPlugin.set(pluginName, store)
  }
  return store
}

/**
 * A plugin's `ctx.cache`: hot results with a time to live, namespaced to the plugin. Each value
 * is at most 32 KB of JSON and lives 1 s to 24 h; anything else is refused with
 * SB_ERR_PLUGIN_STORAGE_QUOTA. Without Redis the values are kept in the plugin's own LRU store
 * (at most 16 MB per plugin, least recently used first out), apart from the core's cache, so a
 * plugin can neither grow the heap without bound nor push out the core's entries (sign-in
 * failure counters). With Redis they go to the shared cache under `plugin:<name>:`.
 *
 * @example
 * ```ts
 * const cache = createPluginCache(infra, 'erp-woocommerce')
 * await cache.set('order:1001', { order }, 60)
 * ```
 */
export function createPluginCache(infra: Infra, pluginName: string, options: { maxBytes?: number } = {}): PluginCache {
  const prefix = `plugin:${pluginName}:`
  const memory =
    infra.kind === 'memory' ? memoryStore(infra, pluginName, options.maxBytes ?? MAX_PLUGIN_CACHE_BYTES) : null

  function serialise(key: string, value: unknown): string {
    let json: string | undefined
    try {
      json = JSON.stringify(value ?? null)
    } catch (error) {
      throw pluginUserError(ErrorCode.VALIDATION, `ctx.cache.set: ${key} is not JSON: ${(error as Error).message}`)
    }
    const size = Buffer.byteLength(json ?? 'null')
    if (size > MAX_PLUGIN_CACHE_VALUE_BYTES)
      throw pluginUserError(
        ErrorCode.PLUGIN_STORAGE_QUOTA,
        `ctx.cache.set: cached values are at most ${MAX_PLUGIN_CACHE_VALUE_BYTES / 1024} KB of JSON; ${key} is ${size} bytes`,
        { size, limit: MAX_PLUGIN_CACHE_VALUE_BYTES },
      )
    return json ?? 'null'
  }

  function checkTtl(ttlSeconds: number): void {
    if (
      typeof ttlSeconds !== 'number' ||
      !Number.isFinite(ttlSeconds) ||
      ttlSeconds < MIN_PLUGIN_CACHE_TTL_SECONDS ||
      ttlSeconds > MAX_PLUGIN_CACHE_TTL_SECONDS
    )
      throw pluginUserError(
        ErrorCode.PLUGIN_STORAGE_QUOTA,
        `ctx.cache.set: ttlSeconds must be between ${MIN_PLUGIN_CACHE_TTL_SECONDS} and ${MAX_PLUGIN_CACHE_TTL_SECONDS} (24 h); got ${String(ttlSeconds)}`,
        { ttlSeconds, min: MIN_PLUGIN_CACHE_TTL_SECONDS, max: MAX_PLUGIN_CACHE_TTL_SECONDS },
      )
  }

  return {
    async get(key) {
      if (memory) {
        const json = memory.get(key)
        return json === undefined ? undefined : (JSON.parse(json) as unknown)
      }
      return infra.cache.get(prefix + key)
    },
    async set(key, value, ttlSeconds) {
      checkTtl(ttlSeconds)
      const json = serialise(key, value)
      if (memory) {
        memory.set(key, json, { ttl: Math.ceil(ttlSeconds * 1000) })
        return
      }
      await infra.cache.set(prefix + key, value ?? null, Math.ceil(ttlSeconds * 1000))
    },
  }
}
