import { ErrorCode } from '../errors/index.js'
import { pluginUserError } from './plugin-errors.js'
import type { Db } from '../storage/index.js'

const MAX_KEY_LENGTH = 200
/** the largest one value may be (its JSON and its key), whatever the plugin's quota */
export const MAX_KV_VALUE_BYTES = 256 * 1024

/**
 * A plugin's private key-value store (`ctx.kv`), kept in the database so every instance sees
 * the same values. Each write checks the plugin's quota against the sum of its values' sizes,
 * in the same transaction as the write. The plugin's writes are serialised inside that
 * transaction so two concurrent writes cannot both slip past the quota: on PostgreSQL (READ
 * COMMITTED, where each would sum the others' rows without seeing them) by a transaction-level
 * advisory lock keyed by the plugin; SQLite already runs one writing transaction at a time.
 */
export function createPluginKvStore(db: Db, pluginId: string, quotaKb: number, provider: 'sqlite' | 'postgresql') {
  const live = (now = new Date()) => ({ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] })
  function checkKey(key: string) {
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH)
      throw pluginUserError(ErrorCode.VALIDATION, `kv keys are 1–${MAX_KEY_LENGTH} characters`)
  }
  return {
    async get(key: string): Promise<unknown> {
      checkKey(key)
      const row = await db.pluginKv.findFirst({ where: { pluginId, key, ...live() } })
      return row?.value ?? undefined
    },
    async set(key: string, value: unknown, ttlSeconds?: number): Promise<void> {
      checkKey(key)
      if (value === undefined) throw pluginUserError(ErrorCode.VALIDATION, 'kv values must be JSON (not undefined)')
      const quota = quotaKb * 1024
      if (quota === 0)
        throw pluginUserError(
          ErrorCode.PLUGIN_STORAGE_QUOTA,
          'the plugin declared no key-value store (permissions.storageKb)',
        )
      const json = JSON.stringify(value)
      const size = Buffer.byteLength(json) + Buffer.byteLength(key)
      if (size > MAX_KV_VALUE_BYTES)
        throw pluginUserError(
          ErrorCode.PLUGIN_STORAGE_QUOTA,
          `kv values are at most ${MAX_KV_VALUE_BYTES / 1024} KB each; ${key} is ${size} bytes`,
          { size, limit: MAX_KV_VALUE_BYTES },
        )
      const expiresAt = ttlSeconds ? new Date(Date.now() + ttlSeconds * 1000) : null
      await db.$transaction(async (tx) => {
        // one write of this plugin at a time, until this transaction ends (commit or rollback)
        if (provider === 'postgresql')
          await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `plugin-kv:${pluginId}`)
        // expired values do not count against the quota: clear them first
        await tx.pluginKv.deleteMany({ where: { pluginId, expiresAt: { lte: new Date() } } })
        const used = await tx.pluginKv.aggregate({ where: { pluginId, NOT: { key } }, _sum: { size: true } })
        if ((used._sum.size ?? 0) + size > quota)
          throw pluginUserError(
            ErrorCode.PLUGIN_STORAGE_QUOTA,
            `writing ${key} (${size} bytes) would exceed the plugin's ${quotaKb} KB store`,
            { used: used._sum.size ?? 0, size, quota },
          )
        await tx.pluginKv.upsert({
          where: { pluginId_key: { pluginId, key } },
          create: { pluginId, key, value: JSON.parse(json), size, expiresAt },
          update: { value: JSON.parse(json), size, expiresAt },
        })
      })
    },
    async delete(key: string): Promise<void> {
      checkKey(key)
      await db.pluginKv.deleteMany({ where: { pluginId, key } })
    },
    async list(prefix = ''): Promise<string[]> {
      const rows = await db.pluginKv.findMany({
        where: { pluginId, key: { startsWith: prefix }, ...live() },
        select: { key: true },
        orderBy: { key: 'asc' },
        take: 1000,
      })
      return rows.map((r) => r.key)
    },
  }
}
export type PluginKvStore = ReturnType<typeof createPluginKvStore>
