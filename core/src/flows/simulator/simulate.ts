import { randomUUID } from 'node:crypto'
import { parseDuration } from '../../config/index.js'
import { ErrorCode, userError } from '../../errors/index.js'
import type { FlowDocument, TranscriptStep } from '../document/flow-document.js'
import type { NodeTypeRegistry } from '../node-types/registry.js'
import type { FlowEffects } from '../runtime/flow-effects.js'
import { FlowEngine, type TurnResult } from '../runtime/flow-engine.js'
import type { FlowOutput } from '../runtime/execution-context.js'
import type { LoadedVersion, TraceStep } from '../runtime/run-record.js'
import { createMemoryRunStore } from '../runtime/memory-run-store.js'
import { createSimulatedEffects, type SimulationContext, type SimulationMocks } from './simulated-effects.js'

export interface SimulationInput {
  document: FlowDocument
  flowName?: string
  steps: TranscriptStep[]
  channel?: 'text' | 'voice'
  vars?: Record<string, unknown>
  context?: SimulationContext
  mocks?: SimulationMocks
  /** ISO time the virtual clock starts at (default: now) */
  now?: string
}

export interface SimulationTurn {
  /** the transcript step (index) that caused the turn; -1 for the start */
  step: number
  outputs: FlowOutput[]
  status: TurnResult['status']
  error: string | null
}

export interface SimulationResult {
  status: TurnResult['status']
  variables: Record<string, unknown>
  turns: SimulationTurn[]
  /** every output in order */
  outputs: FlowOutput[]
  trace: TraceStep[]
  /** what the flow would have done to the world */
  effects: Array<{ effect: string; input: unknown }>
  /** failed `expect` steps; empty when the transcript passed */
  failures: Array<{ step: number; message: string }>
  error: string | null
}

export interface SimulatorDeps {
  registry: NodeTypeRegistry
  /** read-only services used as they are (NLU, knowledge base) */
  nlu?: Pick<FlowEffects, 'classifyIntent'>
  kb?: Pick<FlowEffects, 'searchKnowledgeBase'>
  /** published versions of other flows, for subflow nodes */
  resolveFlow?: (flowIdOrName: string) => Promise<LoadedVersion>
}

/**
 * Runs a flow document against a transcript of inputs (texts, DTMF digits, events, clock
 * advances) on a virtual clock, with nothing real touched. Returns the outputs, variables,
 * trace and the failed expectations.
 */
export async function simulateFlow(deps: SimulatorDeps, input: SimulationInput): Promise<SimulationResult> {
  let clock = input.now ? new Date(input.now) : new Date()
  if (Number.isNaN(clock.getTime())) throw userError(ErrorCode.VALIDATION, `now "${input.now}" is not a time`)
  const version: LoadedVersion = {
    id: `sim-${randomUUID()}`,
    flowId: 'simulation',
    flowName: input.flowName ?? 'simulation',
    document: input.document,
  }
  const store = createMemoryRunStore([version], deps.resolveFlow)
  const timers = new Map<string, { waitId: string; at: Date }>()
  const effects = createSimulatedEffects({ mocks: input.mocks, context: input.context, nlu: deps.nlu, kb: deps.kb })
  const engine = new FlowEngine({
    registry: deps.registry,
    store,
    now: () => clock,
    effectsFor: () => effects,
    timers: {
      async set(runId, waitId, at) {
        timers.set(runId, { waitId, at })
      },
      async cancel(runId, waitId) {
        if (timers.get(runId)?.waitId === waitId) timers.delete(runId)
      },
    },
  })

  const turns: SimulationTurn[] = []
  const failures: SimulationResult['failures'] = []
  let sinceExpect: FlowOutput[] = []
  const record = (step: number, r: TurnResult) => {
    turns.push({ step, outputs: r.outputs, status: r.status, error: r.error })
    sinceExpect.push(...r.outputs)
    return r
  }
  let last = record(
    -1,
    await engine.start({ versionId: version.id, channel: input.channel ?? 'text', variables: input.vars }),
  )
  const runId = last.runId

  for (const [index, step] of input.steps.entries()) {
    if ('say' in step || 'digits' in step) {
      if (last.status !== 'waiting' || last.waitingFor?.spec.for !== 'input') {
        failures.push({
          step: index,
          message: `the flow is ${last.status}${last.waitingFor ? ` and waits for ${last.waitingFor.spec.for}` : ''}, not for input`,
        })
        continue
      }
      last = record(
        index,
        await engine.deliver(
          runId,
          'say' in step ? { kind: 'input', text: step.say } : { kind: 'input', digits: step.digits },
        ),
      )
    } else if ('event' in step) {
      // like an input, an event the run does not wait for is a failed step, not an error that ends the test run
      const spec = last.waitingFor?.spec
      if (last.status !== 'waiting' || spec?.for !== 'event' || (spec.topic && spec.topic !== step.event)) {
        failures.push({
          step: index,
          message: `the flow is ${last.status}${spec ? ` and waits for ${spec.for}${spec.topic ? ` "${spec.topic}"` : ''}` : ''}, not for the event "${step.event}"`,
        })
        continue
      }
      last = record(index, await engine.deliver(runId, { kind: 'event', topic: step.event, data: step.data }))
    } else if ('advance' in step) {
      const ms = parseDuration(step.advance)
      if (ms === undefined)
        throw userError(ErrorCode.VALIDATION, `step ${index}: advance "${step.advance}" is not a duration`)
      const target = clock.getTime() + ms
      // fire due timers in time order, moving the clock to each
      for (;;) {
        const timer = timers.get(runId)
        if (!timer || timer.at.getTime() > target) break
        timers.delete(runId)
        clock = new Date(Math.max(clock.getTime(), timer.at.getTime()))
        const kind = last.waitingFor?.spec.for === 'timer' ? 'timer' : 'timeout'
        last = record(index, await engine.deliver(runId, { kind }, { waitId: timer.waitId }))
      }
      clock = new Date(target)
    } else {
      failures.push(...checkExpectation(index, step.expect, last, sinceExpect))
      sinceExpect = []
    }
  }

  return {
    status: last.status,
    variables: last.variables,
    turns,
    outputs: turns.flatMap((t) => t.outputs),
    trace: store.trace(runId),
    effects: effects.recorded,
    failures,
    error: last.error,
  }
}

function checkExpectation(
  step: number,
  expect: Extract<TranscriptStep, { expect: unknown }>['expect'],
  last: TurnResult,
  outputs: FlowOutput[],
) {
  const failures: Array<{ step: number; message: string }> = []
  const texts = outputs.filter((o) => o.kind === 'message').map((o) => String((o as { text?: unknown }).text))
  let from = 0
  for (const wanted of expect.messages ?? []) {
    const at = texts.findIndex((t, i) => i >= from && t.includes(wanted))
    if (at === -1)
      failures.push({
        step,
        message: `expected a message containing "${wanted}"; the flow sent: ${texts.length ? texts.map((t) => JSON.stringify(t)).join(', ') : 'nothing'}`,
      })
    else from = at + 1
  }
  for (const [name, value] of Object.entries(expect.vars ?? {})) {
    if (JSON.stringify(last.variables[name]) !== JSON.stringify(value))
      failures.push({
        step,
        message: `expected vars.${name} = ${JSON.stringify(value)}, got ${JSON.stringify(last.variables[name])}`,
      })
  }
  if (expect.status && expect.status !== last.status)
    failures.push({
      step,
      message: `expected status ${expect.status}, got ${last.status}${last.error ? ` (${last.error})` : ''}`,
    })
  for (const kind of expect.outputs ?? []) {
    if (!outputs.some((o) => o.kind === kind))
      failures.push({
        step,
        message: `expected an output "${kind}"; got ${outputs.map((o) => o.kind).join(', ') || 'none'}`,
      })
  }
  return failures
}
