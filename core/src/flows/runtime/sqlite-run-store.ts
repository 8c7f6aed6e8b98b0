import Database from 'better-sqlite3'
import type { RunRecord, RunStore, TraceStep } from './run-record.js'

/**
 * The run store of the hot path on SQLite: prepared statements on its own better-sqlite3
 * connection (WAL lets it share the file with Prisma's), one synchronous transaction per turn.
 * A turn through Prisma's interactive transaction cost ~3 ms here; this costs tens of µs plus a
 * share of one COMMIT (group commit, below).
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
  // checkpoint the WAL in batches on a timer instead of inside whichever commit crosses the
  // threshold (the other connections keep SQLite's default, so the WAL cannot grow unbounded)
  db.pragma('wal_autocheckpoint = 0')
  const checkpoints = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)')
    } catch {
      // busy: the next tick tries again
    }
  }, 1000)
  checkpoints.unref()
  const date = (d: Date | null) => (d === null ? null : d.toISOString().replace('Z', '+00:00'))
  const json = (v: unknown) => JSON.stringify(v ?? null)

  const selectRun = db.prepare('SELECT * FROM "FlowRun" WHERE "id" = ?')
  const selectEvent = db.prepare('SELECT "runId" FROM "FlowRunEvent" WHERE "key" = ?')
  const upsertRun =
    db.prepare(`INSERT INTO "FlowRun" ("id", "flowId", "flowVersionId", "conversationId", "status", "currentNodeId", "variables", "waitingFor",
      "callStack", "stepCount", "trigger", "lastError", "startedAt", "updatedAt", "endedAt")
    VALUES (@id, @flowId, @flowVersionId, @conversationId, @status, @currentNodeId, @variables, @waitingFor, @callStack, @stepCount, @trigger, @lastError, @startedAt, @updatedAt, @endedAt)
    ON CONFLICT("id") DO UPDATE SET "flowId" = excluded."flowId", "flowVersionId" = excluded."flowVersionId", "conversationId" = excluded."conversationId",
      "status" = excluded."status", "currentNodeId" = excluded."currentNodeId", "variables" = excluded."variables", "waitingFor" = excluded."waitingFor",
      "callStack" = excluded."callStack", "stepCount" = excluded."stepCount", "trigger" = excluded."trigger", "lastError" = excluded."lastError",
      "updatedAt" = excluded."updatedAt", "endedAt" = excluded."endedAt"`)
  const insertEvent = db.prepare('INSERT INTO "FlowRunEvent" ("key", "runId", "receivedAt") VALUES (?, ?, ?)')
  const insertStep =
    db.prepare(`INSERT INTO "FlowRunStep" ("runId", "seq", "nodeId", "nodeType", "input", "output", "port", "error", "startedAt", "durationMs")
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)

  /** One turn's writes; inside the group transaction it runs as a savepoint of its own. */
  const writeTurn = db.transaction(
    (run: RunRecord, steps: TraceStep[], eventKey: string | undefined): 'saved' | 'duplicate' => {
      if (eventKey && selectEvent.get(eventKey)) return 'duplicate'
      upsertRun.run({
        id: run.id,
        flowId: run.flowId,
        flowVersionId: run.flowVersionId,
        conversationId: run.conversationId,
        status: run.status,
        currentNodeId: run.currentNodeId,
        variables: json(run.variables),
        waitingFor: run.waitingFor === null ? null : json(run.waitingFor),
        callStack: json(run.callStack),
        stepCount: run.stepCount,
        trigger: json(run.trigger),
        lastError: run.lastError,
        startedAt: date(run.startedAt),
        updatedAt: date(new Date()),
        endedAt: date(run.endedAt),
      })
      if (eventKey) insertEvent.run(eventKey, run.id, date(new Date()))
      for (const s of steps) {
        insertStep.run(
          run.id,
          s.seq,
          s.nodeId,
          s.nodeType,
          json(s.input ?? {}),
          json(s.output ?? {}),
          s.port,
          s.error,
          date(s.startedAt),
          s.durationMs,
        )
      }
      return 'saved'
    },
  )

  // Group commit: turns saved in the same tick share one transaction (one COMMIT, the dominant
  // cost); each turn's promise resolves only after that COMMIT, so every answer is still durable.
  type Pending = {
    run: RunRecord
    steps: TraceStep[]
    eventKey: string | undefined
    resolve(r: 'saved' | 'duplicate'): void
    reject(e: unknown): void
  }
  let queue: Pending[] = []
  const commitGroup = db.transaction((group: Pending[]) =>
    group.map((p) => {
      try {
        return { p, result: writeTurn(p.run, p.steps, p.eventKey) as 'saved' | 'duplicate' }
      } catch (error) {
        return { p, error }
      }
    }),
  )
  function flush() {
    const group = queue
    queue = []
    try {
      for (const outcome of commitGroup(group)) {
        if ('error' in outcome) outcome.p.reject(outcome.error)
        else outcome.p.resolve(outcome.result!)
      }
    } catch (error) {
      for (const p of group) p.reject(error)
    }
  }

  return {
    loadVersion: (id) => versions.loadVersion(id),
    publishedVersion: (flow) => versions.publishedVersion(flow),
    async loadRun(runId) {
      const row = selectRun.get(runId) as Record<string, unknown> | undefined
      if (!row) return null
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
    },
    async eventSeen(key) {
      return selectEvent.get(key) !== undefined
    },
    async runForEvent(key) {
      return (
        ((selectEvent.get(key) as { runId: string | null } | undefined)?.runId as string | null | undefined) ?? null
      )
    },
    saveTurn(run, steps, eventKey) {
      return new Promise((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush)
        // no copy: the engine holds the run's lock and awaits this commit before touching the run again
        queue.push({ run, steps, eventKey, resolve, reject })
      })
    },
    close() {
      clearInterval(checkpoints)
      db.close()
    },
  }
}
