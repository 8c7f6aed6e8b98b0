import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js'
import { databaseTarget, migrateDatabase, openDatabase, type Db } from '../../storage/index.js'
import { createDbScheduler } from './db-scheduler.js'

let testDb: TestDatabase | undefined
let db: Db | undefined
afterEach(async () => {
  await db?.$disconnect()
  await testDb?.drop()
})

async function open() {
  testDb = await createTestDatabase()
  const target = databaseTarget({ database: { url: testDb.url, migrateOnStart: true }, data: { dir: testDb.dataDir } })
  await migrateDatabase(target)
  db = await openDatabase(target)
  return db
}

describe('database scheduler', () => {
  it('takes over a job left running by a crashed process once its lease has expired, not before', async () => {
    const db = await open()
    const ran: string[] = []
    await db.scheduledJob.create({
      data: {
        id: 'crashed',
        type: 'work',
        status: 'running',
        attempts: 1,
        runAt: new Date(Date.now() - 5000),
        lockedUntil: new Date(Date.now() - 1000),
      },
    })
    await db.scheduledJob.create({
      data: {
        id: 'alive',
        type: 'work',
        status: 'running',
        attempts: 1,
        runAt: new Date(Date.now() - 5000),
        lockedUntil: new Date(Date.now() + 60_000),
      },
    })
    const scheduler = createDbScheduler(db, () => undefined)
    scheduler.define('work', async (job) => void ran.push(job.id))
    await scheduler.start()
    const deadline = Date.now() + 3000
    while (Date.now() < deadline && !ran.includes('crashed')) await new Promise((r) => setTimeout(r, 50))
    await scheduler.stop()
    expect(ran).toEqual(['crashed'])
    expect((await db.scheduledJob.findUniqueOrThrow({ where: { id: 'crashed' } })).status).toBe('done')
    expect((await db.scheduledJob.findUniqueOrThrow({ where: { id: 'alive' } })).status).toBe('running')
  })
})
