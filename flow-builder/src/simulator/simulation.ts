import type { Overlay } from '../editor/editor-api'
import { edgeId, type FlowDocument, type FlowTest, type TranscriptStep } from '../graph/document'

/**
 * The simulator's model, without React: what the user did (a transcript of inputs), the request
 * to the core's simulator (which replays the whole transcript each time: it keeps no state), and
 * what to draw from its answer (chat, path on the canvas, a flow test).
 */
export type InputStep = Extract<TranscriptStep, { say: string } | { digits: string } | { advance: string | number }>

export interface SimulationMocks {
  actions?: Record<string, unknown>
  http?: Record<string, { status: number; body?: unknown }>
  queues?: Record<string, { open: boolean; nextChangeAt?: string }>
}

export interface SimulationSetup {
  channel: 'text' | 'voice'
  vars: Record<string, unknown>
  contact: Record<string, unknown> | null
  /** ISO start of the virtual clock; empty: now */
  now: string
  mocks: SimulationMocks
}

export interface SimOutput {
  kind: string
  text?: string
  [field: string]: unknown
}

export interface TraceStep {
  seq: number
  nodeId: string
  nodeType: string
  input: unknown
  output: unknown
  port: string | null
  error: string | null
}

export interface SimulationResult {
  status: 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled'
  variables: Record<string, unknown>
  turns: Array<{ step: number; outputs: SimOutput[]; status: string; error: string | null }>
  outputs: SimOutput[]
  trace: TraceStep[]
  effects: Array<{ effect: string; input: unknown }>
  failures: Array<{ step: number; message: string }>
  error: string | null
}

export const emptySetup = (channel: 'text' | 'voice' = 'text'): SimulationSetup => ({
  channel,
  vars: {},
  contact: null,
  now: '',
  mocks: {},
})

/** Voice flows (IVR, callbacks) start on the voice channel, with the keypad. */
export const channelForKind = (kind: string): 'text' | 'voice' => (kind === 'ivr' ? 'voice' : 'text')

/** The body of POST /api/v1/flows/simulate. */
export function simulationRequest(document: FlowDocument, setup: SimulationSetup, steps: TranscriptStep[]) {
  return {
    document,
    steps,
    channel: setup.channel,
    ...(Object.keys(setup.vars).length ? { vars: setup.vars } : {}),
    ...(setup.contact ? { context: { contact: setup.contact } } : {}),
    ...(hasMocks(setup.mocks) ? { mocks: setup.mocks } : {}),
    ...(setup.now ? { now: setup.now } : {}),
  }
}

const hasMocks = (m: SimulationMocks) => Boolean(m.actions || m.http || m.queues)

export type ChatItem =
  | { kind: 'customer'; step: number; text: string; input: 'say' | 'digits'; refused?: string }
  | { kind: 'clock'; step: number; text: string }
  | { kind: 'bot'; step: number; text: string; quickReplies?: string[] }
  | { kind: 'event'; step: number; output: SimOutput }
  | { kind: 'end'; status: string; error: string | null }

/** The chat as the user sees it: their inputs, the flow's messages and its other outputs, in order. */
export function chatItems(steps: InputStep[], result: SimulationResult | null): ChatItem[] {
  const items: ChatItem[] = []
  const byStep = new Map<number, SimulationResult['turns']>()
  for (const turn of result?.turns ?? []) byStep.set(turn.step, [...(byStep.get(turn.step) ?? []), turn])
  const refused = new Map((result?.failures ?? []).map((f) => [f.step, f.message]))
  const pushOutputs = (step: number) => {
    for (const turn of byStep.get(step) ?? [])
      for (const output of turn.outputs)
        if (output.kind === 'message' || output.kind === 'voice.play') {
          // on the voice channel a prompt is both a message and its playback: show it once
          const last = items.at(-1)
          if (last?.kind === 'bot' && last.step === step && last.text === String(output.text ?? output.file ?? ''))
            continue
          items.push({
            kind: 'bot',
            step,
            text: String(output.text ?? output.file ?? ''),
            quickReplies: output.quickReplies as string[] | undefined,
          })
        } else items.push({ kind: 'event', step, output })
  }
  pushOutputs(-1)
  steps.forEach((step, index) => {
    if ('advance' in step) items.push({ kind: 'clock', step: index, text: String(step.advance) })
    else
      items.push({
        kind: 'customer',
        step: index,
        text: 'say' in step ? step.say : step.digits,
        input: 'say' in step ? 'say' : 'digits',
        ...(refused.has(index) ? { refused: refused.get(index) } : {}),
      })
    pushOutputs(index)
  })
  if (result && result.status !== 'waiting') items.push({ kind: 'end', status: result.status, error: result.error })
  return items
}

/**
 * The path on the canvas: every node the run went through with its step numbers, the edges it
 * took, and the node where it is now (waiting, or where it ended).
 */
export function pathOverlays(trace: TraceStep[]): Overlay[] {
  if (!trace.length) return []
  const labels: Record<string, string> = {}
  const nodeIds: string[] = []
  const edgeIds = new Set<string>()
  trace.forEach((step, i) => {
    const n = String(i + 1)
    if (!(step.nodeId in labels)) nodeIds.push(step.nodeId)
    const seen = labels[step.nodeId]?.split(' · ') ?? []
    // a node visited many times (a retry loop) shows its first and latest visits
    labels[step.nodeId] = (seen.length >= 2 ? [seen[0]!, '…', n] : [...seen.filter((s) => s !== '…'), n]).join(' · ')
    const next = trace[i + 1]
    if (step.port && next) edgeIds.add(edgeId({ from: step.nodeId, port: step.port }))
  })
  const last = trace.at(-1)!
  return [
    { kind: 'path', nodeIds, edgeIds: [...edgeIds], labels },
    { kind: 'current', nodeIds: [last.nodeId], labels: { [last.nodeId]: String(trace.length) } },
  ]
}

/** The trace entries of one node (what it got and gave each time the run passed it). */
export const traceOf = (trace: TraceStep[], nodeId: string) =>
  trace.map((step, i) => ({ ...step, number: i + 1 })).filter((s) => s.nodeId === nodeId)

/**
 * Turns the conversation into a flow test: the same inputs, and after each one an `expect` of
 * the messages the flow sent and its other outputs (handoff, tickets…); the run's status at the end.
 */
export function toFlowTest(
  name: string,
  setup: SimulationSetup,
  steps: InputStep[],
  result: SimulationResult,
): FlowTest {
  const texts = (step: number) =>
    result.turns
      .filter((t) => t.step === step)
      .flatMap((t) => t.outputs)
      .filter((o) => o.kind === 'message' && typeof o.text === 'string' && o.text.trim())
      .map((o) => firstLine(o.text!))
  const kinds = (step: number) => [
    ...new Set(
      result.turns
        .filter((t) => t.step === step)
        .flatMap((t) => t.outputs)
        .map((o) => o.kind)
        .filter((k) => k !== 'message'),
    ),
  ]
  const expectFor = (step: number): TranscriptStep | null => {
    const messages = texts(step)
    const outputs = kinds(step)
    if (!messages.length && !outputs.length) return null
    return { expect: { ...(messages.length ? { messages } : {}), ...(outputs.length ? { outputs } : {}) } }
  }
  const out: TranscriptStep[] = []
  const first = expectFor(-1)
  if (first) out.push(first)
  steps.forEach((step, index) => {
    out.push(step)
    const e = expectFor(index)
    if (e) out.push(e)
  })
  const status = result.status === 'cancelled' ? undefined : result.status
  if (status) out.push({ expect: { status } })
  const given: NonNullable<FlowTest['given']> = {
    ...(setup.channel !== 'text' ? { channel: setup.channel } : {}),
    ...(Object.keys(setup.vars).length ? { vars: setup.vars } : {}),
    ...(setup.contact ? { contact: setup.contact } : {}),
    ...(setup.now ? { now: setup.now } : {}),
    ...(hasMocks(setup.mocks) ? { mocks: setup.mocks as Record<string, unknown> } : {}),
  }
  return { name, ...(Object.keys(given).length ? { given } : {}), steps: out }
}

/** Messages are matched as substrings: the first line is enough and survives small edits below it. */
const firstLine = (text: string) => text.split('\n')[0]!.trim().slice(0, 200)

/** Adds a test to the document, replacing one with the same name. */
export function withTest(document: FlowDocument, test: FlowTest): FlowDocument {
  return { ...document, tests: [...document.tests.filter((t) => t.name !== test.name), test] }
}

/** A test name that is not taken yet: "Simulated conversation 3". */
export function freeTestName(document: FlowDocument, base: string): string {
  const names = new Set(document.tests.map((t) => t.name))
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base} ${i}`
    if (!names.has(name)) return name
  }
}

/** The setup of a recorded test, so the simulator can replay it with the same mocks and clock. */
export function setupFromTest(test: FlowTest, fallbackChannel: 'text' | 'voice'): SimulationSetup {
  const g = test.given ?? {}
  return {
    channel: g.channel ?? fallbackChannel,
    vars: g.vars ?? {},
    contact: g.contact ?? null,
    now: g.now ?? '',
    mocks: (g.mocks as SimulationMocks | undefined) ?? {},
  }
}

/** Durations the clock buttons and the custom field accept: 90s, 15m, 2h, 3d (what the core parses). */
export const isDuration = (text: string) => /^\d+(\.\d+)?\s*(ms|s|m|h|d)$/.test(text.trim())
