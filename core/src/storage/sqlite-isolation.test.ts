import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js'
import { databaseTarget, migrateDatabase, openDatabase, type Db } from './index.js'

let testDb: TestDatabase | undefined
let db: Db | undefined
afterEach(async () => {
  await db?.$disconnect()
  await testDb?.drop()
})

describe('database isolation', () => {
  it('a write made while another request’s transaction is open survives that transaction’s rollback', async () => {
    testDb = await createTestDatabase()
    const target = databaseTarget({
      database: { url: testDb.url, migrateOnStart: true },
      data: { dir: testDb.dataDir },
    })
    await migrateDatabase(target)
    db = await openDatabase(target)
    let inside!: () => void
    const opened = new Promise<void>((r) => (inside = r))
    const failing = db
      .$transaction(async (tx) => {
        await tx.team.create({ data: { name: 'rolled back' } })
        inside()
        await new Promise((r) => setTimeout(r, 100))
        throw new Error('abort')
      })
      .catch(() => undefined)
    await opened
    await db.team.create({ data: { name: 'independent' } })
    await failing
    expect((await db.team.findMany()).map((t) => t.name)).toEqual(['independent'])
  })
})
