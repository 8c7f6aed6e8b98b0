import type { FlowDocument } from '../document/flow-document.js'
import type { ResumeEvent, WaitSpec } from './execution-context.js'

export type RunStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled'

export interface WaitingFor {
  nodeId: string
  /** changes with every wait, so a late timer for an earlier wait is ignored */
  waitId: string
  spec: WaitSpec
  /** the node's own state across the wait */
  state: unknown
  /** when a timer or timeout fires (ISO) */
  deadline?: string
}

/** The durable state of one run, persisted at the end of every turn. */
export interface RunRecord {
  id: string
  flowId: string
  flowVersionId: string
  conversationId: string | null
  status: RunStatus
  currentNodeId: string | null
  variables: Record<string, unknown>
  waitingFor: WaitingFor | null
  callStack: Array<{ flowId: string; flowVersionId: string; nodeId: string; returnPort: string }>
  stepCount: number
  /** how the run started and its context: { kind, channel, input (the last input) … } */
  trigger: { kind: string; channel: 'text' | 'voice'; input?: { text?: string; digits?: string }; [k: string]: unknown }
  lastError: string | null
  startedAt: Date
  endedAt: Date | null
}

export interface TraceStep {
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

export interface LoadedVersion {
  id: string
  flowId: string
  flowName: string
  document: FlowDocument
}

/** Where runs live: the database for real runs, memory for the simulator. */
export interface RunStore {
  loadVersion(versionId: string): Promise<LoadedVersion>
  /** the published version of a flow, by id or name */
  publishedVersion(flowIdOrName: string): Promise<LoadedVersion>
  loadRun(runId: string): Promise<RunRecord | null>
  /** What a delivery reads first, in one go: the run, and whether the event key was applied already. */
  loadForDelivery(runId: string, eventKey: string | undefined): Promise<{ run: RunRecord | null; eventSeen: boolean }>
  eventSeen(key: string): Promise<boolean>
  /** the run an applied event key belongs to */
  runForEvent(key: string): Promise<string | null>
  /** Saves the run, the turn's trace steps (one trace row) and the event key atomically; 'duplicate' when the key was already applied. */
  saveTurn(run: RunRecord, steps: TraceStep[], eventKey: string | undefined): Promise<'saved' | 'duplicate'>
}

/** Timers for waits: durable in real runs (the scheduler), virtual in the simulator. */
export interface FlowTimers {
  set(runId: string, waitId: string, at: Date): Promise<void>
  cancel(runId: string, waitId: string): Promise<void>
}

export type { ResumeEvent }
