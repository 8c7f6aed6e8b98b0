import { ErrorCode } from '../../errors/index.js'
import { createCallState, endCall, type CallState } from './call-state.js'
import { classifyFailure, timeoutResult } from './classify-failure.js'
import { createCpuMeter, type CpuMeter } from './cpu-meter.js'
import { createHostBridge } from './host-bridge.js'
import { createHostOperations } from './host-operations.js'
import { createIsolateInstance, type HandlerInventory, type IsolateInstance } from './isolate-instance.js'
import { loadIsolatedVm } from './load-isolated-vm.js'
import type {
  CreatePluginSandboxOptions,
  PluginSandbox,
  SandboxCall,
  SandboxInvocation,
  SandboxResult,
} from './plugin-sandbox.js'
import { readEnvelope } from './read-envelope.js'
import { failed, toSandboxError } from './sandbox-errors.js'

/** the default bound on a call's result, as JSON */
export const DEFAULT_MAX_RESULT_BYTES = 4 * 1024 * 1024
/** the bundle's top-level code gets at least this long, whatever the per-call CPU limit */
const MIN_LOAD_MS = 1000
const HEAP_SAMPLE_MS = 1000

/** An isolate with the calls it runs and the meter sharing its CPU time among them. */
interface Generation {
  instance: IsolateInstance
  meter: CpuMeter
  calls: Map<number, CallState>
}

function checkCall(call: SandboxCall): string | null {
  if (typeof call !== 'object' || call === null) return 'the call is not an object'
  switch (call.kind) {
    case 'action':
    case 'node':
    case 'webhook':
    case 'socket':
      return typeof call.name === 'string' ? null : `a ${call.kind} call needs a name`
    case 'event':
      return typeof call.topic === 'string' ? null : 'an event call needs a topic'
    case 'send':
    case 'healthCheck':
      return null
    default:
      return `unknown call kind ${String((call as { kind?: unknown }).kind)}`
  }
}

function defines(inventory: HandlerInventory, call: SandboxCall): boolean {
  switch (call.kind) {
    case 'action':
      return inventory.actions.includes(call.name)
    case 'node':
      return inventory.nodes.includes(call.name)
    case 'webhook':
      return inventory.webhooks.includes(call.name)
    case 'socket':
      return inventory.sockets.includes(call.name)
    case 'event':
      return inventory.events.includes(call.topic)
    case 'send':
      return inventory.send
    case 'healthCheck':
      return inventory.healthCheck
  }
}

function describeCall(call: SandboxCall): string {
  if (call.kind === 'event') return `event ${call.topic}`
  return 'name' in call ? `${call.kind} ${call.name}` : call.kind
}

/**
 * Loads one plugin's bundle into an isolate (isolated-vm) and returns the sandbox that runs its
 * calls. One isolate per plugin, reused by every call; it is thrown away when a call times out,
 * runs out of memory or crashes, and made again on the next call. Rejects with a coded error
 * when isolated-vm is unavailable (`SB_ERR_PLUGIN_UNAVAILABLE`) or the bundle does not load
 * (`SB_ERR_PLUGIN_THREW`, `…_TIMEOUT`, `…_MEMORY_LIMIT`, with `details.phase: 'load'`).
 *
 * @example
 * ```ts
 * const sandbox = await createPluginSandbox({ name: 'hello', version: '1.0.0', code, hosts: [],
 *   limits: { memoryMb: 64, cpuMs: 1000, timeoutMs: 10_000, maxResponseBytes: 1 << 20, fetchTimeoutMs: 10_000 },
 *   capabilities })
 * const result = await sandbox.invoke({ call: { kind: 'action', name: 'greet', input: { name: 'Ada' } }, config: {}, secrets: {} })
 * if (result.ok) console.log(result.value)
 * ```
 */
export async function createPluginSandbox(options: CreatePluginSandboxOptions): Promise<PluginSandbox> {
  const ivm = loadIsolatedVm()
  const { name, limits } = options
  const maxResultChars = limits.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES
  const allCalls = new Map<number, CallState>()
  const bridge = createHostBridge(
    allCalls,
    createHostOperations({
      hosts: options.hosts,
      timeoutMs: limits.fetchTimeoutMs,
      maxResponseBytes: limits.maxResponseBytes,
      capabilities: options.capabilities,
    }),
    options.capabilities,
  )
  const stats = { calls: 0, failures: 0, restarts: 0, heapUsedBytes: 0 }
  let retiredCpuNs = 0n
  let current: Generation | null = null
  let starting: Promise<Generation> | null = null
  let closed = false
  let nextCallId = 1
  let lastHeapSample = 0
  let watchdog: NodeJS.Timeout | undefined
  const tickMs = Math.min(200, Math.max(5, Math.floor(limits.cpuMs / 5)))

  function sampleHeap(instance: IsolateInstance) {
    lastHeapSample = Date.now()
    void instance.heapUsedBytes().then((bytes) => {
      if (bytes !== undefined) stats.heapUsedBytes = bytes
    })
  }

  function generation(): Promise<Generation> {
    if (current && !current.instance.isDisposed) return Promise.resolve(current)
    starting ??= createIsolateInstance({
      ivm,
      name,
      version: options.version,
      code: options.code,
      memoryMb: limits.memoryMb,
      loadTimeoutMs: Math.max(limits.cpuMs, MIN_LOAD_MS),
      maxResultChars,
      bridge,
    })
      .then((instance) => {
        if (current) {
          retiredCpuNs += current.instance.cpuTimeNs()
          stats.restarts++
        }
        if (closed) instance.dispose('closed')
        current = { instance, meter: createCpuMeter(BigInt(limits.cpuMs) * 1_000_000n), calls: new Map() }
        sampleHeap(instance)
        return current
      })
      .finally(() => {
        starting = null
      })
    return starting
  }

  // CPU used after an await is invisible to the per-run timeout: charge it to the calls here,
  // and keep watching after the last call ends, until the isolate is idle, so work a handler
  // left running behind it is stopped too
  function watch() {
    const gen = current
    if (!gen || gen.instance.isDisposed) return stopWatching()
    const over = gen.meter.tick(gen.instance.cpuTimeNs())
    if (over.length > 0) {
      for (const id of over) {
        const call = gen.calls.get(id)
        if (call) call.cpuExceeded = true
      }
      gen.instance.dispose('cpu')
      return stopWatching()
    }
    if (gen.meter.idle) stopWatching()
  }

  function stopWatching() {
    clearInterval(watchdog)
    watchdog = undefined
  }

  async function run(gen: Generation, invocation: SandboxInvocation, payload: string[]): Promise<SandboxResult> {
    const { instance } = gen
    const call = createCallState(nextCallId++, invocation)
    allCalls.set(call.id, call)
    gen.calls.set(call.id, call)
    gen.meter.start(call.id, instance.cpuTimeNs())
    watchdog ??= setInterval(watch, tickMs)
    let timer: NodeJS.Timeout | undefined
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), limits.timeoutMs)
    })
    try {
      const outcome = await Promise.race([
        instance.dispatch(call.id, payload[0]!, payload[1]!, payload[2]!, limits.cpuMs).then(
          (answer) => ({ answer }),
          (error: unknown) => ({ error }),
        ),
        expired,
      ])
      if (outcome === 'expired') {
        // the handler may be stuck in a loop after an await, where no per-run timeout reaches:
        // disposing the isolate is the one thing that stops it
        instance.dispose('timeout')
        return timeoutResult(name, 'timeoutMs', limits)
      }
      if ('answer' in outcome) return readEnvelope(outcome.answer, call, maxResultChars, name)
      return await classifyFailure(outcome.error, instance, call, name, limits)
    } finally {
      clearTimeout(timer)
      gen.meter.stop(call.id, instance.cpuTimeNs())
      gen.calls.delete(call.id)
      allCalls.delete(call.id)
      endCall(call)
      if (!instance.isDisposed && Date.now() - lastHeapSample > HEAP_SAMPLE_MS) sampleHeap(instance)
    }
  }

  async function invoke(invocation: SandboxInvocation): Promise<SandboxResult> {
    if (closed) return failed(ErrorCode.PLUGIN_UNAVAILABLE, `${name}: its sandbox was stopped`, { retryable: true })
    const problem = checkCall(invocation.call)
    if (problem) return failed(ErrorCode.PLUGIN_INVALID_INPUT, `${name}: ${problem}`)
    let payload: string[]
    try {
      payload = [
        JSON.stringify(invocation.call),
        JSON.stringify(invocation.config ?? {}),
        JSON.stringify(invocation.secrets ?? {}),
      ]
    } catch (error) {
      return failed(
        ErrorCode.PLUGIN_INVALID_INPUT,
        `${name}: the call cannot be sent as JSON (${(error as Error).message})`,
      )
    }
    let gen: Generation
    try {
      gen = await generation()
    } catch (error) {
      return { ok: false, error: toSandboxError(error) }
    }
    if (!defines(gen.instance.inventory, invocation.call)) {
      if (invocation.call.kind === 'healthCheck')
        return { ok: true, value: { ok: true, message: 'the plugin has no health check' } }
      return failed(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${name} has no ${describeCall(invocation.call)}`)
    }
    return run(gen, invocation, payload)
  }

  await generation()

  return {
    async invoke(invocation) {
      stats.calls++
      const result = await invoke(invocation)
      if (!result.ok) stats.failures++
      return result
    },
    stats() {
      return {
        ...stats,
        cpuTimeMs: Number((retiredCpuNs + (current?.instance.cpuTimeNs() ?? 0n)) / 1000n) / 1000,
        inFlight: allCalls.size,
      }
    },
    async dispose() {
      closed = true
      await starting?.catch(() => undefined)
      current?.instance.dispose('closed')
      stopWatching()
    },
  }
}
