import { ErrorCode, SwitchboardError } from '../../errors/index.js'
import type { SandboxError, SandboxResult } from './plugin-sandbox.js'

/** Codes that are the caller's or the configuration's fault rather than a broken plugin's. */
const USER_CODES = new Set<string>([
  ErrorCode.PLUGIN_ACTION_NOT_FOUND,
  ErrorCode.PLUGIN_INVALID_INPUT,
  ErrorCode.PLUGIN_HOST_NOT_ALLOWED,
  ErrorCode.PLUGIN_STORAGE_QUOTA,
  ErrorCode.PLUGIN_EVENT_NOT_ALLOWED,
])

/** `details.reason` of a call that failed only because another call brought the isolate down. */
export const COLLATERAL = 'isolate-restarted'

/** Every code the host owns: a plugin may pass one on, but not make one up (see `runCall`). */
export const HOST_CODES: ReadonlySet<string> = new Set<string>(Object.values(ErrorCode))

/** A host-side failure with a code, thrown inside the sandbox module and turned into data at its edge. */
export function sandboxFault(
  code: string,
  message: string,
  options: { retryable?: boolean; details?: unknown } = {},
): SwitchboardError {
  return new SwitchboardError({
    kind: USER_CODES.has(code) ? 'user' : 'operational',
    code,
    message,
    retryable: options.retryable ?? false,
    details: options.details,
  })
}

/** Turns anything thrown on the host side into error data; errors without a code are the host's own bug. */
export function toSandboxError(error: unknown): SandboxError {
  if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>
    if (typeof e.code === 'string' && typeof e.message === 'string')
      return {
        code: e.code,
        message: e.message,
        retryable: typeof e.retryable === 'boolean' ? e.retryable : false,
        ...(e.details === undefined ? {} : { details: e.details }),
      }
  }
  return { code: ErrorCode.INTERNAL, message: 'the plugin host failed', retryable: false }
}

/** A failed result. */
export function failed(
  code: string,
  message: string,
  options: { retryable?: boolean; details?: unknown } = {},
): SandboxResult {
  return {
    ok: false,
    error: {
      code,
      message,
      retryable: options.retryable ?? false,
      ...(options.details === undefined ? {} : { details: options.details }),
    },
  }
}
