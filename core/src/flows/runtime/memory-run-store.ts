import { ErrorCode, userError } from '../../errors/index.js'
import type { LoadedVersion, RunRecord, RunStore, TraceStep } from './run-record.js'

/** Runs in memory, for the simulator and flow tests: nothing touches the database. */
export function createMemoryRunStore(
  versions: LoadedVersion[],
  resolveFlow?: (flowIdOrName: string) => Promise<LoadedVersion>,
) {
  const runs = new Map<string, RunRecord>()
  const events = new Map<string, string>()
  const traces = new Map<string, TraceStep[]>()
  const byId = new Map(versions.map((v) => [v.id, v]))
  const store: RunStore & { trace(runId: string): TraceStep[] } = {
    async loadVersion(id) {
      const v = byId.get(id)
      if (!v) throw userError(ErrorCode.NOT_FOUND, `No flow version ${id}`, { status: 404 })
      return v
    },
    async publishedVersion(flowIdOrName) {
      const local = versions.find((v) => v.flowId === flowIdOrName || v.flowName === flowIdOrName)
      if (local) return local
      if (!resolveFlow) throw userError(ErrorCode.NOT_FOUND, `No flow "${flowIdOrName}"`, { status: 404 })
      const loaded = await resolveFlow(flowIdOrName)
      byId.set(loaded.id, loaded)
      versions.push(loaded)
      return loaded
    },
    async loadRun(id) {
      const run = runs.get(id)
      return run ? structuredClone(run) : null
    },
    async loadForDelivery(id, key) {
      return { run: await store.loadRun(id), eventSeen: key !== undefined && events.has(key) }
    },
    async eventSeen(key) {
      return events.has(key)
    },
    async runForEvent(key) {
      return events.get(key) ?? null
    },
    async saveTurn(run, steps, eventKey) {
      if (eventKey) {
        if (events.has(eventKey)) return 'duplicate'
        events.set(eventKey, run.id)
      }
      runs.set(run.id, structuredClone(run))
      traces.set(run.id, [...(traces.get(run.id) ?? []), ...steps])
      return 'saved'
    },
    trace: (runId) => traces.get(runId) ?? [],
  }
  return store
}
