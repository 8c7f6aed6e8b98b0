import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js'
import { databaseTarget, migrateDatabase, openDatabase, type Db } from '../../storage/index.js'
import { createManualClock } from '../clock.js'
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

  it('runs jobs by a manual clock: nothing early, everything due once the clock jumps past it', async () => {
    const db = await open()
    const clock = createManualClock('2030-03-01T09:00:00Z')
    const ran: Array<{ id: string; at: string }> = []
    const scheduler = createDbScheduler(
      db,
      () => undefined,
      () => undefined,
      clock,
    )
    scheduler.define(
      'work',
      async (job) => void ran.push({ id: (job.payload as { id: string }).id, at: clock.now().toISOString() }),
    )
    await scheduler.start()
    await scheduler.schedule({ type: 'work', runAt: new Date('2030-03-03T09:00:00Z'), payload: { id: 'sunday' } })
    await scheduler.schedule({ type: 'work', runAt: 3_600_000, payload: { id: 'in-an-hour' } })
    await new Promise((r) => setTimeout(r, 200))
    expect(ran).toEqual([])

    clock.advance(3_600_000)
    await waitFor(() => ran.length === 1)
    expect(ran).toEqual([{ id: 'in-an-hour', at: '2030-03-01T10:00:00.000Z' }])

    clock.set('2030-03-04T00:00:00Z')
    await waitFor(() => ran.length === 2)
    expect(ran[1]!.id).toBe('sunday')
    await scheduler.stop()
    expect(await db.scheduledJob.count({ where: { status: 'done' } })).toBe(2)
  })

  it('works through a burst of due jobs a few at a time, and every one runs', async () => {
    const db = await open()
    const scheduler = createDbScheduler(db, () => undefined)
    let runningNow = 0
    let most = 0
    const done: string[] = []
    scheduler.define('burst', async (job) => {
      runningNow += 1
      most = Math.max(most, runningNow)
      await new Promise((r) => setTimeout(r, 30))
      runningNow -= 1
      done.push((job.payload as { id: string }).id)
    })
    for (let i = 0; i < 60; i++) await scheduler.schedule({ type: 'burst', runAt: 0, payload: { id: `j${i}` } })
    await scheduler.start()
    await waitFor(() => done.length === 60)
    await scheduler.stop()
    expect(new Set(done).size).toBe(60)
    expect(most).toBeGreaterThan(1)
    expect(most).toBeLessThanOrEqual(8)
    expect(await db.scheduledJob.count({ where: { type: 'burst', status: 'done' } })).toBe(60)
  })
})

async function waitFor(condition: () => boolean) {
  // generous: a loaded CI machine's PostgreSQL can take seconds for the few queries of a tick
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline && !condition()) await new Promise((r) => setTimeout(r, 20))
  if (!condition()) throw new Error('timed out')
}
