import { setImmediate as nextTurn } from 'node:timers/promises'
import { ErrorCode } from '../../errors/index.js'
import type { CallState } from './call-state.js'
import type { DisposeReason, IsolateInstance } from './isolate-instance.js'
import type { SandboxLimits, SandboxResult } from './plugin-sandbox.js'
import { COLLATERAL, failed } from './sandbox-errors.js'

const CAUSES: Record<DisposeReason, string> = {
  timeout: 'timed out',
  cpu: 'used too much CPU time',
  memory: 'ran out of memory',
  crash: 'crashed',
  closed: 'was stopped',
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The failure of a call stopped by one of its time limits (its isolate is disposed with it). */
export function timeoutResult(name: string, limit: 'timeoutMs' | 'cpuMs', limits: SandboxLimits): SandboxResult {
  const text =
    limit === 'timeoutMs' ? `took longer than ${limits.timeoutMs} ms` : `used more than ${limits.cpuMs} ms of CPU time`
  return failed(ErrorCode.PLUGIN_TIMEOUT, `${name} ${text}; its isolate was stopped`, {
    retryable: true,
    details: { limit, [limit]: limits[limit] },
  })
}

function collateral(name: string, reason: DisposeReason): SandboxResult {
  const code =
    reason === 'memory'
      ? ErrorCode.PLUGIN_MEMORY_LIMIT
      : reason === 'crash'
        ? ErrorCode.PLUGIN_THREW
        : reason === 'closed'
          ? ErrorCode.PLUGIN_UNAVAILABLE
          : ErrorCode.PLUGIN_TIMEOUT
  return failed(code, `${name}: another call ${CAUSES[reason]} and the plugin's isolate was restarted`, {
    retryable: true,
    details: { reason: COLLATERAL, cause: reason },
  })
}

/**
 * Names the failure of a call whose dispatch into the isolate rejected: its own sync CPU limit,
 * the memory limit, or the isolate disposed under it (by this call's watchdog, or by another
 * call's failure — then it is collateral damage, retryable, and not held against the plugin).
 */
export async function classifyFailure(
  error: unknown,
  instance: IsolateInstance,
  call: CallState,
  name: string,
  limits: SandboxLimits,
): Promise<SandboxResult> {
  const message = messageOf(error)
  if (/memory limit/i.test(message)) {
    instance.noteDisposed('memory')
    return failed(
      ErrorCode.PLUGIN_MEMORY_LIMIT,
      `${name} used more than ${limits.memoryMb} MB; its isolate was stopped`,
      {
        details: { limit: 'memoryMb', memoryMb: limits.memoryMb },
      },
    )
  }
  if (!instance.isDisposed && /timed out/i.test(message)) {
    // the synchronous part ran past the CPU limit: isolated-vm stopped it mid-way, so the
    // plugin's own state may be half-updated; start it afresh like after any timeout
    instance.dispose('timeout')
    return timeoutResult(name, 'cpuMs', limits)
  }
  if (instance.isDisposed) {
    // another call's rejection may carry the memory-limit message: give it a turn to arrive
    if (instance.disposeReason === undefined) await nextTurn()
    const reason = instance.disposeReason ?? 'memory'
    if (reason === 'cpu' && call.cpuExceeded) return timeoutResult(name, 'cpuMs', limits)
    return collateral(name, reason)
  }
  if (/could not be cloned/i.test(message))
    return failed(ErrorCode.PLUGIN_INVALID_OUTPUT, `${name} returned a value that cannot be copied: ${message}`, {
      details: { reason: 'not-json' },
    })
  return failed(ErrorCode.PLUGIN_THREW, `${name} failed: ${message}`)
}
