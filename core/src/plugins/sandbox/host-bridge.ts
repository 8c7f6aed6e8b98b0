import type { CallState } from './call-state.js'
import { invalidArgument, type HostOperation } from './host-operations.js'
import type { HostCapabilities } from './plugin-sandbox.js'
import { parsePluginJson } from './plugin-json.js'
import { toSandboxError } from './sandbox-errors.js'

/** the most JSON one `ctx` call may send to the host (a fetch body, a kv value…) */
export const MAX_ARGS_CHARS = 4 * 1024 * 1024
const MAX_LOG_CHARS = 8 * 1024
const LOG_LEVELS = new Set(['debug', 'info', 'warn', 'error'])

/**
 * The two functions the isolate holds. Both take `(callId, operation, argumentsAsJson)`: strings
 * and numbers are all that cross, and the answer is JSON text, so no host object, function or
 * prototype ever enters the isolate.
 */
export interface HostBridge {
  /** `ctx` operations with an answer; never rejects, failures are `{"ok":false,"error":…}` */
  call(callId: unknown, operation: unknown, argsJson: unknown): Promise<string>
  /** `ctx.log` and `ctx.progress`: fire and forget */
  notify(callId: unknown, operation: unknown, argsJson: unknown): void
}

function errorData(error: unknown): { code?: string; message: string; retryable?: boolean; details?: unknown } {
  if ((error as { invalidArgument?: boolean })?.invalidArgument === true) return { message: (error as Error).message }
  return toSandboxError(error)
}

function parseArgs(argsJson: unknown): unknown[] {
  const args = parsePluginJson(argsJson, MAX_ARGS_CHARS)
  if (!Array.isArray(args)) throw invalidArgument('malformed arguments')
  return args
}

/** The bridge for one sandbox: looks up the call by its id, runs the operation, answers JSON. */
export function createHostBridge(
  calls: ReadonlyMap<number, CallState>,
  operations: Record<string, HostOperation>,
  capabilities: HostCapabilities,
): HostBridge {
  return {
    async call(callId, operation, argsJson) {
      const state = typeof callId === 'number' ? calls.get(callId) : undefined
      try {
        if (!state) throw invalidArgument('ctx was used after its call ended: use ctx only while the handler runs')
        const run =
          typeof operation === 'string' && Object.prototype.hasOwnProperty.call(operations, operation)
            ? operations[operation]!
            : undefined
        if (!run) throw invalidArgument('no such host operation')
        const value = await run(parseArgs(argsJson), state)
        return value === undefined ? '{"ok":true}' : JSON.stringify({ ok: true, value })
      } catch (error) {
        const data = errorData(error)
        if (data.code !== undefined) state?.handedCodes.add(data.code)
        return JSON.stringify({ ok: false, error: data })
      }
    },
    notify(callId, operation, argsJson) {
      const state = typeof callId === 'number' ? calls.get(callId) : undefined
      if (!state) return
      try {
        const args = parseArgs(argsJson)
        if (operation === 'progress') {
          if (typeof args[0] === 'string') state.onProgress?.(args[0])
        } else if (operation === 'log') {
          const [level, message, fields] = args
          if (typeof level !== 'string' || !LOG_LEVELS.has(level) || typeof message !== 'string') return
          const record =
            typeof fields === 'object' && fields !== null && !Array.isArray(fields)
              ? (fields as Record<string, unknown>)
              : undefined
          capabilities.log(
            level as 'debug' | 'info' | 'warn' | 'error',
            message.length > MAX_LOG_CHARS ? `${message.slice(0, MAX_LOG_CHARS)}…` : message,
            record,
          )
        }
      } catch {
        // a log line or a progress update that cannot be delivered is dropped, never the call
      }
    },
  }
}
