import { ErrorCode } from '../../errors/index.js'
import type { HostBridge } from './host-bridge.js'
import { ISOLATE_BOOTSTRAP } from './isolate-bootstrap.js'
import type { IsolatedVm, IvmIsolate, IvmReference } from './isolated-vm-api.js'
import { sandboxFault } from './sandbox-errors.js'

/** The handlers a bundle defined, read once when it loads. */
export interface HandlerInventory {
  actions: string[]
  nodes: string[]
  webhooks: string[]
  sockets: string[]
  events: string[]
  send: boolean
  healthCheck: boolean
}

/** Why an isolate was thrown away. `memory`: isolated-vm disposed it itself at its heap limit. */
export type DisposeReason = 'timeout' | 'cpu' | 'memory' | 'crash' | 'closed'

/** One isolate with the plugin's bundle loaded in it. Replaced, never repaired, when it fails. */
export interface IsolateInstance {
  readonly inventory: HandlerInventory
  readonly isDisposed: boolean
  readonly disposeReason: DisposeReason | undefined
  /** Runs one call; resolves with the envelope the bootstrap wrote (JSON text), rejects when the isolate failed. */
  dispatch(callId: number, callJson: string, configJson: string, secretsJson: string, cpuMs: number): Promise<unknown>
  /** nanoseconds of CPU the isolate has used (the last value read once it is disposed) */
  cpuTimeNs(): bigint
  heapUsedBytes(): Promise<number | undefined>
  /** records why the isolate died when isolated-vm disposed it on its own */
  noteDisposed(reason: DisposeReason): void
  dispose(reason: DisposeReason): void
}

export interface IsolateInstanceOptions {
  ivm: IsolatedVm
  name: string
  version: string
  code: string
  memoryMb: number
  /** how long the bundle's top-level code may run */
  loadTimeoutMs: number
  maxResultChars: number
  bridge: HostBridge
}

const names = (value: unknown): string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : []

/** The handler list as the isolate reported it, checked like anything else that comes out of it. */
function readInventory(listed: unknown): HandlerInventory {
  const raw = JSON.parse(String(listed)) as Record<string, unknown>
  return {
    actions: names(raw.actions),
    nodes: names(raw.nodes),
    webhooks: names(raw.webhooks),
    sockets: names(raw.sockets),
    events: names(raw.events),
    send: raw.send === true,
    healthCheck: raw.healthCheck === true,
  }
}

function loadFailure(name: string, error: unknown, isolate: IvmIsolate) {
  const message = error instanceof Error ? error.message : String(error)
  if (/memory limit/i.test(message) || (isolate.isDisposed && !/timed out/i.test(message)))
    return sandboxFault(ErrorCode.PLUGIN_MEMORY_LIMIT, `${name} ran out of memory while loading`, {
      details: { phase: 'load' },
    })
  if (/timed out/i.test(message))
    return sandboxFault(ErrorCode.PLUGIN_TIMEOUT, `${name} took too long to load (its top-level code)`, {
      details: { phase: 'load' },
    })
  return sandboxFault(ErrorCode.PLUGIN_THREW, `${name} does not load: ${message}`, { details: { phase: 'load' } })
}

/**
 * Makes an isolate for a plugin: a fresh heap with the memory limit, the bootstrap (the host's
 * two bridge functions, `ctx`, dispatch), then the bundle, run once. Fails with a coded error
 * when the bundle does not compile, throws, loops or allocates without bound at load time, or
 * defines no handlers.
 */
export async function createIsolateInstance(options: IsolateInstanceOptions): Promise<IsolateInstance> {
  const { ivm, name } = options
  let disposeReason: DisposeReason | undefined
  const isolate = new ivm.Isolate({
    memoryLimit: options.memoryMb,
    onCatastrophicError: () => {
      disposeReason ??= 'crash'
    },
  })
  let lastCpu = 0n
  let released = false
  let dispatchRef: IvmReference
  let inventory: HandlerInventory
  const bridgeRef = new ivm.Reference(options.bridge.call)
  try {
    const context = await isolate.createContext()
    const api = (await context.evalClosure(
      ISOLATE_BOOTSTRAP,
      [
        bridgeRef,
        new ivm.Callback(options.bridge.notify, { ignored: true }),
        JSON.stringify({ name, version: options.version, maxResultChars: options.maxResultChars }),
      ],
      { timeout: options.loadTimeoutMs, filename: 'switchboard:bootstrap.js', result: { reference: true } },
    )) as IvmReference
    const install = (await api.get('install', { reference: true })) as IvmReference
    dispatchRef = (await api.get('dispatch', { reference: true })) as IvmReference
    const script = await isolate.compileScript(options.code, { filename: `plugin:${name}/dist/plugin.js` })
    await script.run(context, { timeout: options.loadTimeoutMs })
    script.release()
    const listed = await install.apply(undefined, [], { timeout: options.loadTimeoutMs, result: { copy: true } })
    inventory = readInventory(listed)
    install.release()
    api.release()
  } catch (error) {
    const failure = loadFailure(name, error, isolate)
    if (!isolate.isDisposed) isolate.dispose()
    bridgeRef.release()
    throw failure
  }

  function cpuTimeNs(): bigint {
    if (!isolate.isDisposed) {
      try {
        lastCpu = isolate.cpuTime
      } catch {
        // disposed between the check and the read
      }
    }
    return lastCpu
  }

  return {
    inventory,
    get isDisposed() {
      return isolate.isDisposed
    },
    get disposeReason() {
      return disposeReason
    },
    dispatch(callId, callJson, configJson, secretsJson, cpuMs) {
      return dispatchRef.apply(undefined, [callId, callJson, configJson, secretsJson], {
        timeout: cpuMs,
        arguments: { copy: true },
        result: { promise: true, copy: true },
      })
    },
    cpuTimeNs,
    async heapUsedBytes() {
      if (isolate.isDisposed) return undefined
      try {
        const heap = await isolate.getHeapStatistics()
        return heap.used_heap_size + heap.externally_allocated_size
      } catch {
        return undefined
      }
    },
    noteDisposed(reason) {
      disposeReason ??= reason
    },
    dispose(reason) {
      disposeReason ??= reason
      cpuTimeNs()
      if (!isolate.isDisposed) isolate.dispose()
      if (!released) {
        released = true
        bridgeRef.release()
      }
    },
  }
}
