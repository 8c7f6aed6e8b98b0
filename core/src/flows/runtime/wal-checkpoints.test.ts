import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createGroupCommit, DUPLICATE } from './group-commit.js'
import { startWalCheckpoints } from './wal-checkpoints.js'

let dir: string
let file: string
let db: Database.Database
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-wal-'))
  file = join(dir, 'test.db')
  db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('wal_autocheckpoint = 0')
  db.exec('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "k" TEXT UNIQUE, "v" TEXT)')
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The WAL header's checkpoint sequence number: it goes up each time the WAL starts over. */
function walResets(): number {
  const header = Buffer.alloc(16)
  const fd = openSync(`${file}-wal`, 'r')
  try {
    readSync(fd, header, 0, 16, 0)
  } finally {
    closeSync(fd)
  }
  return header.readUInt32BE(12)
}

describe('WAL checkpoints on a worker thread', () => {
  it('start the WAL over although commits never stop', async () => {
    const insert = db.prepare('INSERT INTO "t" ("k", "v") VALUES (?, ?)')
    const commits = createGroupCommit(db, (k: string) => void insert.run(k, 'x'.repeat(500)))
    let holds = 0
    const checkpoints = startWalCheckpoints(
      file,
      {
        checkpointHere: () => void db.pragma('wal_checkpoint(PASSIVE)'),
        holdCommits: () => {
          holds += 1
          return commits.hold()
        },
      },
      50,
    )
    try {
      await commits.submit('first')
      const before = walResets()
      // commits back to back, each new one submitted while the last is being written
      let n = 0
      const deadline = Date.now() + 10_000
      while (Date.now() < deadline && (walResets() === before || n < 2000)) {
        await Promise.all(Array.from({ length: 20 }, () => commits.submit(`k${n++}`)))
      }
      expect(holds).toBeGreaterThan(0)
      expect(walResets()).toBeGreaterThan(before)
      expect(db.prepare('SELECT count(*) AS n FROM "t"').get()).toEqual({ n: n + 1 })
    } finally {
      checkpoints.stop()
    }
  })

  it('fall back to the event loop when the worker cannot open the database', async () => {
    let here = 0
    const checkpoints = startWalCheckpoints(
      join(dir, 'missing', 'none.db'),
      { checkpointHere: () => void (here += 1), holdCommits: () => () => {} },
      20,
    )
    try {
      const deadline = Date.now() + 5000
      while (here === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(here).toBeGreaterThan(0)
    } finally {
      checkpoints.stop()
    }
  })
})

describe('group commit', () => {
  it('writes nothing while held, then everything queued; a failing or duplicate item fails alone', async () => {
    const insert = db.prepare('INSERT INTO "t" ("k", "v") VALUES (?, ?) ON CONFLICT ("k") DO NOTHING')
    const commits = createGroupCommit(db, (k: string) => {
      if (k === 'bad') throw new Error('refused')
      if (insert.run(k, 'x').changes === 0) throw DUPLICATE
    })
    await commits.submit('a')
    const release = commits.hold()
    const saving = ['b', 'bad', 'a', 'c'].map((k) => commits.submit(k))
    await new Promise((r) => setTimeout(r, 30))
    expect(db.prepare('SELECT count(*) AS n FROM "t"').get()).toEqual({ n: 1 })
    release()
    const outcomes = await Promise.allSettled(saving)
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      'saved',
      'refused',
      'duplicate',
      'saved',
    ])
    expect(db.prepare('SELECT "k" FROM "t" ORDER BY "k"').all()).toEqual([{ k: 'a' }, { k: 'b' }, { k: 'c' }])
  })
})
