import type { HostFetchResponse } from './host-fetch.js'
import type { SandboxInvocation } from './plugin-sandbox.js'

/** What the host keeps about one call while it runs: whatever `ctx` opened is closed when it ends. */
export interface CallState {
  readonly id: number
  /** the configuration of this call, for `config:<field>` hosts */
  readonly config: unknown
  readonly onProgress: ((partial: string) => void) | undefined
  /** aborts the call's fetches when it ends; made on its first fetch (an abort costs a DOMException) */
  controller: AbortController | null
  /** response bodies not yet read to the end, by the id the isolate holds */
  readonly bodies: Map<number, HostFetchResponse>
  nextBodyId: number
  /** host error codes handed to the plugin in this call: it may rethrow these, and only these */
  readonly handedCodes: Set<string>
  /** set by the CPU watchdog when this call used more than its share */
  cpuExceeded: boolean
}

/** The host's record of a call that is starting. */
export function createCallState(id: number, invocation: SandboxInvocation): CallState {
  return {
    id,
    config: invocation.config,
    onProgress: invocation.onProgress,
    controller: null,
    bodies: new Map(),
    nextBodyId: 1,
    handedCodes: new Set(),
    cpuExceeded: false,
  }
}

/** The signal that aborts the call's fetches when it ends. */
export function callSignal(state: CallState): AbortSignal {
  state.controller ??= new AbortController()
  return state.controller.signal
}

/** Ends what the call left open: fetches in flight are aborted, unread bodies dropped. */
export function endCall(state: CallState): void {
  state.controller?.abort()
  for (const body of state.bodies.values()) body.cancel()
  state.bodies.clear()
}
