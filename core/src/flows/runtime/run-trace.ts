import type { TraceStep } from './run-record.js'

/**
 * The trace is stored as one FlowRunTurn row per turn whose `steps` holds the turn's steps in
 * order ({ seq, nodeId, nodeType, input, output, port, error, startedAt, durationMs }, dates as
 * ISO strings): one insert per turn instead of one per node. Readers get the steps back one by one.
 */

/** A step of a run's trace as the API answers it (`GET /api/v1/runs/{id}`, `steps`). */
export interface TraceStepRow {
  runId: string
  seq: number
  nodeId: string
  nodeType: string
  input: unknown
  output: unknown
  port: string | null
  error: string | null
  startedAt: Date
  durationMs: number
}

/** The JSON text of a turn's steps (the dates made ISO strings first: JSON.stringify is slower with Dates). */
export const encodeTurnSteps = (steps: TraceStep[]): string =>
  JSON.stringify(steps.map((s) => ({ ...s, startedAt: s.startedAt.toISOString() })))

/** A turn's steps as a plain JSON value (for a client that takes JSON values, not text). */
export const turnStepsJson = (steps: TraceStep[]): unknown => JSON.parse(encodeTurnSteps(steps))

/** The steps of a run from its turn rows (ordered by seq), one entry per executed node. */
export function stepsOfTurns(runId: string, turns: Array<{ seq: number; steps: unknown }>): TraceStepRow[] {
  const out: TraceStepRow[] = []
  for (const turn of turns) {
    const steps = (Array.isArray(turn.steps) ? turn.steps : []) as Array<Partial<Record<keyof TraceStep, unknown>>>
    steps.forEach((s, i) =>
      out.push({
        runId,
        seq: typeof s.seq === 'number' ? s.seq : turn.seq + i,
        nodeId: String(s.nodeId ?? ''),
        nodeType: String(s.nodeType ?? ''),
        input: s.input ?? {},
        output: s.output ?? {},
        port: (s.port as string | null | undefined) ?? null,
        error: (s.error as string | null | undefined) ?? null,
        startedAt: new Date(s.startedAt as string),
        durationMs: Number(s.durationMs ?? 0),
      }),
    )
  }
  return out
}
