import { randomUUID } from 'node:crypto'
import { ErrorCode, userError } from '../../errors/index.js'
import type { LockManager } from '../../infra/index.js'
import { evaluateExpression, renderTemplate } from '../expressions/expressions.js'
import type { FlowDocument, FlowNode } from '../document/flow-document.js'
import type { NodeTypeRegistry } from '../node-types/registry.js'
import type { ExecutionContext, FlowOutput, NodeResult, ResumeEvent } from './execution-context.js'
import type { FlowEffects } from './flow-effects.js'
import type { FlowTimers, LoadedVersion, RunRecord, RunStore, TraceStep } from './run-record.js'

export interface TurnResult {
  runId: string
  status: RunRecord['status']
  outputs: FlowOutput[]
  variables: Record<string, unknown>
  waitingFor: RunRecord['waitingFor']
  error: string | null
  /** true when the event had been applied before: nothing ran */
  duplicate: boolean
}

export interface StartRunInput {
  /** the flow (id or name) whose published version runs, or an exact version */
  flow?: string
  versionId?: string
  conversationId?: string | null
  channel?: 'text' | 'voice'
  variables?: Record<string, unknown>
  trigger?: Record<string, unknown>
  /** the first input, e.g. the message that opened the conversation */
  input?: { text?: string; digits?: string }
  /** idempotency key of the event that starts the run */
  eventKey?: string
  runId?: string
}

export interface FlowEngineDeps {
  registry: NodeTypeRegistry
  store: RunStore
  timers: FlowTimers
  effectsFor(run: RunRecord): FlowEffects
  locks?: LockManager
  now?: () => Date
  /**
   * Called after a turn of a run bound to a conversation is saved, with what it produced (messages
   * to send, on whichever instance ran the turn: an input, a timer or an event). It must not throw.
   */
  onOutputs?: (run: RunRecord, outputs: FlowOutput[]) => Promise<void>
}

const LOCK = { ttlMs: 60_000, waitMs: 30_000 }

/**
 * Runs flows durably. A turn executes nodes until the run waits, ends or fails, then saves the
 * run, its trace steps and the event key in one transaction. Turns of one run are serialised
 * by a lock; an event key already applied makes the turn a no-op.
 */
export class FlowEngine {
  private readonly now: () => Date

  constructor(private readonly deps: FlowEngineDeps) {
    this.now = deps.now ?? (() => new Date())
  }

  async start(input: StartRunInput): Promise<TurnResult> {
    const runId = input.runId ?? randomUUID()
    return this.locked(runId, async () => {
      if (input.eventKey && (await this.deps.store.eventSeen(input.eventKey)))
        return this.duplicate((await this.deps.store.runForEvent(input.eventKey)) ?? runId)
      const version = input.versionId
        ? await this.deps.store.loadVersion(input.versionId)
        : await this.deps.store.publishedVersion(required(input.flow, 'flow'))
      const start = version.document.nodes.find((n) => n.type === 'start')
      if (!start) throw userError(ErrorCode.VALIDATION, `Flow "${version.flowName}" has no start node`)
      const run: RunRecord = {
        id: runId,
        flowId: version.flowId,
        flowVersionId: version.id,
        conversationId: input.conversationId ?? null,
        status: 'running',
        currentNodeId: start.id,
        variables: { ...structuredClone(version.document.variables), ...(input.variables ?? {}) },
        waitingFor: null,
        callStack: [],
        stepCount: 0,
        trigger: {
          kind: 'api',
          channel: input.channel ?? 'text',
          ...(input.trigger ?? {}),
          ...(input.input ? { input: input.input } : {}),
        },
        lastError: null,
        startedAt: this.now(),
        endedAt: null,
      }
      return this.turn(run, version, undefined, input.eventKey)
    })
  }

  /** Delivers an input, a timer or an event to a waiting run. */
  async deliver(
    runId: string,
    event: ResumeEvent,
    options: { eventKey?: string; waitId?: string } = {},
  ): Promise<TurnResult> {
    return this.locked(runId, async () => {
      const { run, eventSeen } = await this.deps.store.loadForDelivery(runId, options.eventKey)
      if (eventSeen) return this.duplicateOf(runId, run)
      if (!run) throw userError(ErrorCode.NOT_FOUND, `No flow run ${runId}`, { status: 404 })
      const stale = options.waitId !== undefined && run.waitingFor?.waitId !== options.waitId
      if (run.status !== 'waiting' || !run.waitingFor || stale) {
        if (options.waitId !== undefined) return this.result(run, [], true)
        throw userError(ErrorCode.CONFLICT, `Flow run ${runId} is ${run.status}, not waiting for input`, {
          status: 409,
        })
      }
      if (!accepts(run.waitingFor.spec, event)) {
        throw userError(
          ErrorCode.CONFLICT,
          `Flow run ${runId} waits for ${run.waitingFor.spec.for}${run.waitingFor.spec.topic ? ` "${run.waitingFor.spec.topic}"` : ''}, not ${event.kind}`,
          { status: 409 },
        )
      }
      if (event.kind === 'input') {
        run.trigger = { ...run.trigger, input: { text: event.text, digits: event.digits } }
        if (run.waitingFor.deadline) await this.deps.timers.cancel(run.id, run.waitingFor.waitId)
      }
      const version = await this.deps.store.loadVersion(run.flowVersionId)
      return this.turn(run, version, event, options.eventKey)
    })
  }

  private async turn(
    run: RunRecord,
    startVersion: LoadedVersion,
    resumeWith: ResumeEvent | undefined,
    eventKey: string | undefined,
  ): Promise<TurnResult> {
    const outputs: FlowOutput[] = []
    const steps: TraceStep[] = []
    let version = startVersion
    let event = resumeWith
    const maxSteps = version.document.settings.maxSteps
    const effects = this.deps.effectsFor(run)
    run.status = 'running'
    // the step limit counts the nodes run since the last wait: a loop without a wait is runaway,
    // a long conversation is not
    let turnSteps = 0

    for (;;) {
      const node = nodeById(version.document, run.currentNodeId!)
      const definition = this.deps.registry.get(node.type)
      const began = performance.now()
      const startedAt = this.now()
      let result: NodeResult
      try {
        if (!definition) throw new Error(`unknown node type "${node.type}"`)
        const ctx = await this.context(
          run,
          version.document,
          node,
          effects,
          outputs,
          event ? run.waitingFor?.state : undefined,
        )
        result = event
          ? await (definition.resume ?? (async () => ({ next: 'next' }) as NodeResult))(ctx, event)
          : await definition.execute(ctx)
      } catch (error) {
        result = { end: 'failed', error: `node "${node.id}" (${node.type}) failed: ${(error as Error).message}` }
      }
      steps.push({
        seq: run.stepCount,
        nodeId: node.id,
        nodeType: node.type,
        input: event ?? (run.stepCount === 0 && run.trigger.input ? { input: run.trigger.input } : {}),
        output:
          'output' in result && result.output ? result.output : 'wait' in result ? { waitingFor: result.wait.for } : {},
        port: 'next' in result ? result.next : null,
        error: 'end' in result && result.end === 'failed' ? (result.error ?? 'failed') : null,
        startedAt,
        durationMs: Math.round((performance.now() - began) * 1000) / 1000,
      })
      run.stepCount += 1
      event = undefined
      run.waitingFor = null

      if ('wait' in result) {
        const waitId = randomUUID()
        const deadline =
          result.wait.until ??
          (result.wait.timeoutMs !== undefined
            ? new Date(this.now().getTime() + result.wait.timeoutMs).toISOString()
            : undefined)
        run.status = 'waiting'
        run.waitingFor = {
          nodeId: node.id,
          waitId,
          spec: result.wait,
          state: result.state ?? null,
          ...(deadline ? { deadline } : {}),
        }
        // the timer is set before the turn is saved: if it fires early it waits on the run lock
        if (deadline) await this.deps.timers.set(run.id, waitId, new Date(deadline))
        break
      }
      let target: { version: LoadedVersion; nodeId: string } | null | 'failed' = null
      if ('call' in result) {
        try {
          const sub = await this.deps.store.publishedVersion(result.call.flow)
          run.callStack.push({
            flowId: run.flowId,
            flowVersionId: version.id,
            nodeId: node.id,
            returnPort: result.returnPort,
          })
          target = { version: sub, nodeId: nodeOfType(sub.document, 'start').id }
        } catch (error) {
          this.finish(
            run,
            'failed',
            `node "${node.id}" (subflow) cannot run flow "${result.call.flow}": ${(error as Error).message}`,
          )
          steps.at(-1)!.error = run.lastError
          target = 'failed'
        }
      } else if ('end' in result) {
        if (result.end === 'failed') {
          this.finish(run, 'failed', result.error)
          target = 'failed'
        } else target = await this.returnFromSubflow(run)
      } else {
        const next = edgeTarget(version.document, node.id, result.next)
        // an unconnected port ends the flow, or returns from a subflow
        target = next ? { version, nodeId: next } : await this.returnFromSubflow(run)
      }
      if (target === 'failed') break
      if (target === null) {
        this.finish(run, 'completed')
        break
      }
      version = target.version
      run.flowVersionId = version.id
      run.currentNodeId = target.nodeId
      turnSteps += 1
      if (turnSteps >= maxSteps) {
        const path = steps
          .slice(-6)
          .map((s) => s.nodeId)
          .join(' → ')
        const error = `stopped after ${turnSteps} steps without waiting (the flow's limit is ${maxSteps}): it seems to loop (last nodes: ${path})`
        steps.push({
          seq: run.stepCount,
          nodeId: run.currentNodeId!,
          nodeType: 'step-limit',
          input: {},
          output: {},
          port: null,
          error,
          startedAt: this.now(),
          durationMs: 0,
        })
        this.finish(run, 'failed', error)
        break
      }
    }

    const saved = await this.deps.store.saveTurn(run, steps, eventKey)
    if (saved === 'duplicate') return this.duplicate(run.id)
    if (run.conversationId && outputs.length > 0 && this.deps.onOutputs) await this.deps.onOutputs(run, outputs)
    return this.result(run, outputs, false)
  }

  /** Pops subflow frames until one has a connected return port; null when the run is done. */
  private async returnFromSubflow(run: RunRecord): Promise<{ version: LoadedVersion; nodeId: string } | null> {
    for (let frame = run.callStack.pop(); frame; frame = run.callStack.pop()) {
      const caller = await this.deps.store.loadVersion(frame.flowVersionId)
      const next = edgeTarget(caller.document, frame.nodeId, frame.returnPort)
      if (next) return { version: caller, nodeId: next }
    }
    return null
  }

  private finish(run: RunRecord, outcome: 'completed' | 'failed', error?: string) {
    run.status = outcome
    run.lastError = outcome === 'failed' ? (error ?? 'failed') : null
    run.currentNodeId = null
    run.waitingFor = null
    run.endedAt = this.now()
  }

  private async context(
    run: RunRecord,
    document: FlowDocument,
    node: FlowNode,
    effects: FlowEffects,
    outputs: FlowOutput[],
    state: unknown,
  ): Promise<ExecutionContext> {
    // built once per node: vars is the run's live object, so assignments are seen at once
    let scope: Record<string, unknown> | undefined
    const scopeOf = async () => {
      if (!scope) {
        const { contact, conversation } = await effects.context()
        scope = {
          contact,
          conversation,
          vars: run.variables,
          input: run.trigger.input ?? {},
          now: this.now().toISOString(),
          channel: run.trigger.channel,
        }
      }
      return scope
    }
    return {
      node,
      runId: run.id,
      channel: run.trigger.channel,
      now: this.now,
      vars: run.variables,
      state,
      input: run.trigger.input,
      evaluate: async (expression) => evaluateExpression(expression, await scopeOf(), this.clock),
      render: async (template) => renderTemplate(template, await scopeOf(), this.clock),
      emit: (output) => outputs.push(output),
      connected: (port) => edgeTarget(document, node.id, port) !== undefined,
      effects,
    }
  }

  /** $now() and $millis() follow the run's clock, so the simulator's virtual time applies. */
  private readonly clock = { now: () => this.now().toISOString(), millis: () => this.now().getTime() }

  private async locked<T>(runId: string, fn: () => Promise<T>): Promise<T> {
    return this.deps.locks ? this.deps.locks.withLock(`flow-run:${runId}`, LOCK, fn) : fn()
  }

  private async duplicate(runId: string): Promise<TurnResult> {
    return this.duplicateOf(runId, await this.deps.store.loadRun(runId))
  }

  private duplicateOf(runId: string, run: RunRecord | null): TurnResult {
    return {
      runId,
      status: run?.status ?? 'running',
      outputs: [],
      variables: run?.variables ?? {},
      waitingFor: run?.waitingFor ?? null,
      error: run?.lastError ?? null,
      duplicate: true,
    }
  }

  private result(run: RunRecord, outputs: FlowOutput[], duplicate: boolean): TurnResult {
    return {
      runId: run.id,
      status: run.status,
      outputs,
      variables: run.variables,
      waitingFor: run.waitingFor,
      error: run.lastError,
      duplicate,
    }
  }
}

function accepts(spec: { for: string; topic?: string }, event: ResumeEvent): boolean {
  if (event.kind === 'timeout') return spec.for !== 'timer'
  if (event.kind === 'timer') return spec.for === 'timer'
  if (event.kind === 'input') return spec.for === 'input'
  return spec.for === 'event' && (!spec.topic || spec.topic === event.topic)
}

function nodeById(doc: FlowDocument, id: string): FlowNode {
  const node = doc.nodes.find((n) => n.id === id)
  if (!node) throw new Error(`the flow version has no node "${id}"`)
  return node
}

function nodeOfType(doc: FlowDocument, type: string): FlowNode {
  const node = doc.nodes.find((n) => n.type === type)
  if (!node) throw userError(ErrorCode.VALIDATION, `the subflow has no ${type} node`)
  return node
}

function edgeTarget(doc: FlowDocument, from: string, port: string): string | undefined {
  return doc.edges.find((e) => e.from === from && e.port === port)?.to
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw userError(ErrorCode.VALIDATION, `${name} is required`)
  return value
}
