import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js'
import { databaseTarget, migrateDatabase, openDatabase, type Db } from '../storage/index.js'
import { createPluginKvStore, MAX_KV_VALUE_BYTES } from './plugin-kv-store.js'

let testDb: TestDatabase
let db: Db

beforeAll(async () => {
  testDb = await createTestDatabase()
  const target = databaseTarget({ database: { url: testDb.url, migrateOnStart: true }, data: { dir: testDb.dataDir } })
  await migrateDatabase(target)
  db = await openDatabase(target)
})
afterAll(async () => {
  await db?.$disconnect()
  await testDb?.drop()
})

async function plugin(name: string) {
  await db.plugin.create({ data: { id: name, version: '1.0.0' } })
  return name
}

async function usedBytes(pluginId: string): Promise<number> {
  const sum = await db.pluginKv.aggregate({ where: { pluginId }, _sum: { size: true } })
  return sum._sum.size ?? 0
}

describe('plugin kv store', () => {
  it('stores, lists and deletes values, and expires them', async () => {
    const kv = createPluginKvStore(db, await plugin('kv-basic'), 4, testDb.provider)
    await kv.set('a', { n: 1 })
    await kv.set('b', 'two', 60)
    await kv.set('c', [3], 0.001)
    await new Promise((r) => setTimeout(r, 20))
    expect(await kv.get('a')).toEqual({ n: 1 })
    expect(await kv.get('c')).toBeUndefined()
    expect(await kv.list()).toEqual(['a', 'b'])
    await kv.delete('a')
    expect(await kv.get('a')).toBeUndefined()
  })

  it('refuses a write past the quota with SB_ERR_PLUGIN_STORAGE_QUOTA', async () => {
    const kv = createPluginKvStore(db, await plugin('kv-quota'), 1, testDb.provider)
    await kv.set('one', 'x'.repeat(600))
    await expect(kv.set('two', 'x'.repeat(600))).rejects.toMatchObject({ code: 'SB_ERR_PLUGIN_STORAGE_QUOTA' })
    // replacing a value counts its new size only
    await kv.set('one', 'y'.repeat(900))
    expect(await usedBytes('kv-quota')).toBeLessThanOrEqual(1024)
  })

  it('never exceeds the quota under concurrent writes of one plugin', async () => {
    // the race needs writes that overlap: several attempts, each on a fresh plugin
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = await plugin(`kv-race-${attempt}`)
      // each write from its own store, as from different calls (or instances)
      const writes = Array.from({ length: 8 }, (_, i) =>
        createPluginKvStore(db, id, 1, testDb.provider).set(`key-${i}`, 'x'.repeat(700)),
      )
      const results = await Promise.allSettled(writes)
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'SB_ERR_PLUGIN_STORAGE_QUOTA' })
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      expect(await usedBytes(id)).toBeLessThanOrEqual(1024)
    }
  })

  it('keeps the quota under repeated concurrent rounds', async () => {
    const id = await plugin('kv-rounds')
    for (let round = 0; round < 5; round++) {
      await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          createPluginKvStore(db, id, 2, testDb.provider).set(`r${round}-${i}`, 'z'.repeat(300 + 50 * i)),
        ),
      )
      expect(await usedBytes(id)).toBeLessThanOrEqual(2048)
    }
  })

  it('refuses a single value over the per-value limit, whatever the quota', async () => {
    const kv = createPluginKvStore(db, await plugin('kv-big'), 102_400, testDb.provider)
    const error = await kv.set('big', 'x'.repeat(MAX_KV_VALUE_BYTES)).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SB_ERR_PLUGIN_STORAGE_QUOTA', status: 413 })
    expect((error as Error).message).toMatch(/256 KB/)
    expect(await kv.get('big')).toBeUndefined()
  })

  it('refuses writes when the plugin declared no store', async () => {
    const kv = createPluginKvStore(db, await plugin('kv-none'), 0, testDb.provider)
    await expect(kv.set('a', 1)).rejects.toMatchObject({ code: 'SB_ERR_PLUGIN_STORAGE_QUOTA' })
  })
})
