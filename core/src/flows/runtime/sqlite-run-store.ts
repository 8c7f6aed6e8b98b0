import Database from 'better-sqlite3'
import { createGroupCommit, DUPLICATE } from './group-commit.js'
import type { RunRecord, RunStore, TraceStep } from './run-record.js'
import { encodeTurnSteps } from './run-trace.js'
import { startWalCheckpoints } from './wal-checkpoints.js'

interface TurnWrite {
  run: RunRecord
  steps: TraceStep[]
  eventKey: string | undefined
}

/**
 * The run store of the hot path on SQLite: prepared statements on its own better-sqlite3
 * connection (WAL lets it share the file with Prisma's); a turn is three writes (the run, its
 * event key, one trace row) in a transaction shared with the other turns of the same tick
 * (group-commit.ts), and a delivery reads the run and its event key in one statement.
 * A turn through Prisma's interactive transaction cost ~3 ms here; this costs tens of µs plus a
 * share of one COMMIT. See docs/benchmarks.md (bot turn).
 * Rows are written exactly as Prisma writes them (ISO dates with +00:00, JSON as text), so the
 * rest of the code reads them through Prisma unchanged. Versions are loaded by the given store.
 */
export function createSqliteRunStore(
  file: string,
  versions: Pick<RunStore, 'loadVersion' | 'publishedVersion'>,
): RunStore & { close(): void } {
  const db = new Database(file, { timeout: 10_000 })
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  // the WAL is checkpointed on a worker thread (wal-checkpoints.ts), not inside whichever commit
  // crosses the threshold (the other connections keep SQLite's default)
  db.pragma('wal_autocheckpoint = 0')
  let checkpoints: { stop(): void } | undefined
  const date = (d: Date | null) => (d === null ? null : d.toISOString().replace('Z', '+00:00'))
  const json = (v: unknown) => JSON.stringify(v ?? null)

  const selectRun = db.prepare('SELECT * FROM "FlowRun" WHERE "id" = ?')
  // one statement for the two reads of every delivery (each statement outside a transaction
  // takes and releases a WAL read lock)
  const selectForDelivery = db.prepare(`SELECT r.*, EXISTS (SELECT 1 FROM "FlowRunEvent" WHERE "key" = ?) AS "eventSeen"
    FROM (SELECT 1) LEFT JOIN "FlowRun" r ON r."id" = ?`)
  const selectEvent = db.prepare('SELECT "runId" FROM "FlowRunEvent" WHERE "key" = ?')
  // a run is inserted once and updated on every later turn: no upsert's conflict path
  const updateRun =
    db.prepare(`UPDATE "FlowRun" SET "flowId" = ?, "flowVersionId" = ?, "conversationId" = ?, "status" = ?,
    "currentNodeId" = ?, "variables" = ?, "waitingFor" = ?, "callStack" = ?, "stepCount" = ?, "trigger" = ?, "lastError" = ?,
    "updatedAt" = ?, "endedAt" = ? WHERE "id" = ?`)
  const insertRun =
    db.prepare(`INSERT INTO "FlowRun" ("flowId", "flowVersionId", "conversationId", "status", "currentNodeId",
    "variables", "waitingFor", "callStack", "stepCount", "trigger", "lastError", "updatedAt", "endedAt", "id", "startedAt")
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertEvent = db.prepare(
    'INSERT INTO "FlowRunEvent" ("key", "runId", "receivedAt") VALUES (?, ?, ?) ON CONFLICT ("key") DO NOTHING',
  )
  const insertTurn = db.prepare('INSERT INTO "FlowRunTurn" ("runId", "seq", "steps", "startedAt") VALUES (?, ?, ?, ?)')

  /** One turn's writes (the run, its event key, its trace row); DUPLICATE undoes them. */
  const writeTurn = ({ run, steps, eventKey }: TurnWrite) => {
    const now = date(new Date())
    const row = [
      run.flowId,
      run.flowVersionId,
      run.conversationId,
      run.status,
      run.currentNodeId,
      json(run.variables),
      run.waitingFor === null ? null : json(run.waitingFor),
      json(run.callStack),
      run.stepCount,
      json(run.trigger),
      run.lastError,
      now,
      date(run.endedAt),
      run.id,
    ]
    if (updateRun.run(row).changes === 0) insertRun.run(...row, date(run.startedAt))
    // the key after the run (it refers to the run); a key applied before undoes the turn
    if (eventKey && insertEvent.run(eventKey, run.id, now).changes === 0) throw DUPLICATE
    if (steps.length) insertTurn.run(run.id, steps[0]!.seq, encodeTurnSteps(steps), date(steps[0]!.startedAt))
  }
  // the checkpoints start with the first commit (many stores never write) and may hold commits
  // back for a moment (wal-checkpoints.ts)
  const commits = createGroupCommit(db, writeTurn, () => {
    checkpoints ??= startWalCheckpoints(file, {
      checkpointHere: () => void db.pragma('wal_checkpoint(PASSIVE)'),
      holdCommits: () => commits.hold(),
    })
  })

  return {
    loadVersion: (id) => versions.loadVersion(id),
    publishedVersion: (flow) => versions.publishedVersion(flow),
    async loadRun(runId) {
      return toRunRecord(selectRun.get(runId) as Record<string, unknown> | undefined)
    },
    async loadForDelivery(runId, eventKey) {
      const row = selectForDelivery.get(eventKey ?? null, runId) as Record<string, unknown>
      return { run: toRunRecord(row), eventSeen: row.eventSeen === 1 }
    },
    async eventSeen(key) {
      return selectEvent.get(key) !== undefined
    },
    async runForEvent(key) {
      return (
        ((selectEvent.get(key) as { runId: string | null } | undefined)?.runId as string | null | undefined) ?? null
      )
    },
    // no copy of the run: the engine holds the run's lock and awaits this commit before touching it again
    saveTurn: (run, steps, eventKey) => commits.submit({ run, steps, eventKey }),
    close() {
      checkpoints?.stop()
      db.close()
    },
  }
}

/** A FlowRun row as written above (or by Prisma); null when there is none (id is null after a LEFT JOIN). */
function toRunRecord(row: Record<string, unknown> | undefined): RunRecord | null {
  if (!row || row.id === null) return null
  return {
    id: row.id as string,
    flowId: row.flowId as string,
    flowVersionId: row.flowVersionId as string,
    conversationId: (row.conversationId as string | null) ?? null,
    status: row.status as RunRecord['status'],
    currentNodeId: (row.currentNodeId as string | null) ?? null,
    variables: JSON.parse(row.variables as string) as RunRecord['variables'],
    waitingFor: row.waitingFor === null ? null : (JSON.parse(row.waitingFor as string) as RunRecord['waitingFor']),
    callStack: JSON.parse(row.callStack as string) as RunRecord['callStack'],
    stepCount: Number(row.stepCount),
    trigger: JSON.parse(row.trigger as string) as RunRecord['trigger'],
    lastError: (row.lastError as string | null) ?? null,
    startedAt: new Date(row.startedAt as string),
    endedAt: row.endedAt === null ? null : new Date(row.endedAt as string),
  }
}
