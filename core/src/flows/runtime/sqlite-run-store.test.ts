import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrateDatabase } from '../../storage/migrate.js'
import type { RunRecord, TraceStep } from './run-record.js'
import { stepsOfTurns } from './run-trace.js'
import { createSqliteRunStore } from './sqlite-run-store.js'

let dir: string
let file: string
let raw: Database.Database
let store: ReturnType<typeof createSqliteRunStore>
const noVersions = {
  loadVersion: async () => {
    throw new Error('not used')
  },
  publishedVersion: async () => {
    throw new Error('not used')
  },
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-run-store-'))
  file = join(dir, 'switchboard.db')
  await migrateDatabase({ provider: 'sqlite', url: `file:${file}`, file })
  raw = new Database(file)
  raw.exec(`INSERT INTO "Flow" ("id", "name", "kind", "draft", "updatedAt") VALUES ('f', 'F', 'bot', '{}', '2026-11-21T08:00:00.000+00:00');
    INSERT INTO "FlowVersion" ("id", "flowId", "version", "graph") VALUES ('v', 'f', 1, '{}')`)
  store = createSqliteRunStore(file, noVersions)
})
afterEach(() => {
  store.close()
  raw.close()
  rmSync(dir, { recursive: true, force: true })
})

const run = (id: string, patch: Partial<RunRecord> = {}): RunRecord => ({
  id,
  flowId: 'f',
  flowVersionId: 'v',
  conversationId: null,
  status: 'waiting',
  currentNodeId: 'ask',
  variables: { name: 'Li' },
  waitingFor: { nodeId: 'ask', waitId: 'w1', spec: { for: 'input' }, state: { attempts: 0 } },
  callStack: [],
  stepCount: 2,
  trigger: { kind: 'api', channel: 'text', input: { text: 'hi' } },
  lastError: null,
  startedAt: new Date('2026-11-21T08:00:00.000Z'),
  endedAt: null,
  ...patch,
})
const steps = (from: number, ...nodeIds: string[]): TraceStep[] =>
  nodeIds.map((nodeId, i) => ({
    seq: from + i,
    nodeId,
    nodeType: 'ask',
    input: i === 0 ? { kind: 'input', text: 'Li' } : {},
    output: {},
    port: 'next',
    error: null,
    startedAt: new Date(Date.UTC(2026, 10, 21, 8, 0, 1, from + i)),
    durationMs: 0.5,
  }))
const turnRows = (runId: string) =>
  raw
    .prepare('SELECT "seq", "steps" FROM "FlowRunTurn" WHERE "runId" = ? ORDER BY "seq"')
    .all(runId)
    .map((r) => {
      const row = r as { seq: number; steps: string }
      return { seq: row.seq, steps: JSON.parse(row.steps) as unknown }
    })

describe('the SQLite run store', () => {
  it('saves a run with one trace row per turn and reads it back with its event key in one go', async () => {
    expect(await store.saveTurn(run('r1'), steps(0, 'start', 'ask'), 'k1')).toBe('saved')
    const second = run('r1', { stepCount: 4, status: 'completed', currentNodeId: null, waitingFor: null })
    second.endedAt = new Date('2026-11-21T08:00:05.000Z')
    expect(await store.saveTurn(second, steps(2, 'ask', 'bye'), 'k2')).toBe('saved')

    expect(await store.loadForDelivery('r1', 'k2')).toEqual({ run: second, eventSeen: true })
    expect(await store.loadForDelivery('r1', 'k3')).toEqual({ run: second, eventSeen: false })
    expect(await store.loadForDelivery('nope', 'k1')).toEqual({ run: null, eventSeen: true })
    expect(await store.loadForDelivery('nope', undefined)).toEqual({ run: null, eventSeen: false })
    expect(await store.runForEvent('k1')).toBe('r1')

    const rows = turnRows('r1')
    expect(rows.map((r) => r.seq)).toEqual([0, 2])
    expect(stepsOfTurns('r1', rows)).toEqual(
      [...steps(0, 'start', 'ask'), ...steps(2, 'ask', 'bye')].map((s) => ({ runId: 'r1', ...s })),
    )
  })

  it('in one commit: a duplicate key undoes only its own turn, a failing turn fails alone', async () => {
    await store.saveTurn(run('r1'), steps(0, 'start', 'ask'), 'k1')
    const [ok, duplicate, failing] = await Promise.allSettled([
      store.saveTurn(run('r2'), steps(0, 'start'), 'k2'),
      // the same key again, for another run: nothing of this turn may be written
      store.saveTurn(run('r3'), steps(0, 'start'), 'k1'),
      // a version that does not exist: the foreign key refuses the run
      store.saveTurn(run('r4', { flowVersionId: 'missing' }), steps(0, 'start'), 'k4'),
    ])
    expect(ok).toEqual({ status: 'fulfilled', value: 'saved' })
    expect(duplicate).toEqual({ status: 'fulfilled', value: 'duplicate' })
    expect(failing.status).toBe('rejected')
    expect(raw.prepare('SELECT "id" FROM "FlowRun" ORDER BY "id"').all()).toEqual([{ id: 'r1' }, { id: 'r2' }])
    expect(raw.prepare('SELECT "key", "runId" FROM "FlowRunEvent" ORDER BY "key"').all()).toEqual([
      { key: 'k1', runId: 'r1' },
      { key: 'k2', runId: 'r2' },
    ])
    expect(turnRows('r3')).toEqual([])
  })

  it('answers a turn only once it is committed', async () => {
    const saving = store.saveTurn(run('r1'), steps(0, 'start'), 'k1')
    // queued for the group commit of this tick: not in the database yet
    expect(raw.prepare('SELECT count(*) AS n FROM "FlowRun"').get()).toEqual({ n: 0 })
    await saving
    expect(raw.prepare('SELECT count(*) AS n FROM "FlowRun"').get()).toEqual({ n: 1 })
  })
})
