import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js'
import { databaseTarget, openDatabase, type Db } from '../../storage/index.js'
import { migrateDatabase, readMigrations } from '../../storage/migrate.js'
import type { TraceStep } from './run-record.js'
import { encodeTurnSteps, stepsOfTurns, turnStepsJson } from './run-trace.js'

const TRACE_ROW_PER_TURN = 'trace_row_per_turn'

const step = (seq: number, nodeId: string, extra: Partial<TraceStep> = {}): TraceStep => ({
  seq,
  nodeId,
  nodeType: 'send-message',
  input: {},
  output: {},
  port: 'next',
  error: null,
  startedAt: new Date(Date.UTC(2026, 10, 21, 8, 0, 0, seq)),
  durationMs: 0.125,
  ...extra,
})

describe('the trace, one row per turn', () => {
  it('gives back every step of every turn, in order, as written', () => {
    const first = [step(0, 'start', { port: 'next' }), step(1, 'ask', { output: { waitingFor: 'input' }, port: null })]
    const second = [
      step(2, 'ask', { input: { kind: 'input', text: 'Li' }, output: { name: 'Li' } }),
      step(3, 'fail', { nodeType: 'http-request', port: null, error: 'node "fail" failed: timeout' }),
    ]
    const turns = [first, second].map((steps) => ({ seq: steps[0]!.seq, steps: JSON.parse(encodeTurnSteps(steps)) }))
    expect(stepsOfTurns('run-1', turns)).toEqual([...first, ...second].map((s) => ({ runId: 'run-1', ...s })))
    expect(turnStepsJson(second)).toEqual(JSON.parse(encodeTurnSteps(second)))
  })

  it('fills what an older or partial row leaves out', () => {
    const steps = stepsOfTurns('run-1', [
      { seq: 7, steps: [{ nodeId: 'a', nodeType: 'start', startedAt: '2026-11-21T08:00:00.000+00:00' }] },
      { seq: 8, steps: 'not a list' },
    ])
    expect(steps).toEqual([
      {
        runId: 'run-1',
        seq: 7,
        nodeId: 'a',
        nodeType: 'start',
        input: {},
        output: {},
        port: null,
        error: null,
        startedAt: new Date('2026-11-21T08:00:00.000Z'),
        durationMs: 0,
      },
    ])
  })
})

describe('the migration to one trace row per turn', () => {
  let testDb: TestDatabase | undefined
  let db: Db | undefined
  afterEach(async () => {
    await db?.$disconnect()
    await testDb?.drop()
    db = testDb = undefined
  })

  it('keeps the steps written one row per node before it', async () => {
    testDb = await createTestDatabase()
    const target = databaseTarget({
      database: { url: testDb.url, migrateOnStart: true },
      data: { dir: testDb.dataDir },
    })
    const all = readMigrations(target.provider)
    const at = all.findIndex((m) => m.name.endsWith(TRACE_ROW_PER_TURN))
    expect(at).toBeGreaterThan(0)
    await migrateDatabase(target, { migrations: all.slice(0, at) })
    db = await openDatabase(target)
    const exec = (sql: string) => db!.$executeRawUnsafe(sql)
    await exec(
      `INSERT INTO "Flow" ("id", "name", "kind", "draft", "updatedAt") VALUES ('f', 'F', 'bot', '{}', CURRENT_TIMESTAMP)`,
    )
    await exec(`INSERT INTO "FlowVersion" ("id", "flowId", "version", "graph") VALUES ('v', 'f', 1, '{}')`)
    await exec(
      `INSERT INTO "FlowRun" ("id", "flowId", "flowVersionId", "status", "updatedAt") VALUES ('r', 'f', 'v', 'waiting', CURRENT_TIMESTAMP)`,
    )
    // as the runtime wrote them: JSON, an ISO date (SQLite keeps Prisma's text), a fraction of a ms
    for (const [seq, nodeId, input, port, error] of [
      [0, 'start', '{}', 'next', null],
      [1, 'ask', '{"kind":"input","text":"Li"}', null, 'failed: "x"'],
    ] as const)
      await exec(
        `INSERT INTO "FlowRunStep" ("runId", "seq", "nodeId", "nodeType", "input", "output", "port", "error", "startedAt", "durationMs")
         VALUES ('r', ${seq}, '${nodeId}', 'ask', '${input}', '{"n":1}', ${port ? `'${port}'` : 'NULL'}, ${error ? `'${error}'` : 'NULL'},
         '2026-11-21T08:00:0${seq}.250+00:00', 1.5)`,
      )
    await db.$disconnect()

    await migrateDatabase(target)
    db = await openDatabase(target)
    const turns = await db.flowRunTurn.findMany({ where: { runId: 'r' }, orderBy: { seq: 'asc' } })
    expect(turns.map((t) => [t.seq, t.startedAt.toISOString()])).toEqual([
      [0, '2026-11-21T08:00:00.250Z'],
      [1, '2026-11-21T08:00:01.250Z'],
    ])
    const common = { runId: 'r', nodeType: 'ask', output: { n: 1 }, durationMs: 1.5 }
    expect(stepsOfTurns('r', turns)).toEqual([
      {
        ...common,
        seq: 0,
        nodeId: 'start',
        input: {},
        port: 'next',
        error: null,
        startedAt: new Date('2026-11-21T08:00:00.250Z'),
      },
      {
        ...common,
        seq: 1,
        nodeId: 'ask',
        input: { kind: 'input', text: 'Li' },
        port: null,
        error: 'failed: "x"',
        startedAt: new Date('2026-11-21T08:00:01.250Z'),
      },
    ])
  })
})
