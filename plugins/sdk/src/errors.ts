/**
 * Errors cross the sandbox boundary as plain data, recognised by their `code`, never by
 * `instanceof` (isolated-vm copies values between heaps, so classes do not survive).
 *
 * @example
 * ```ts
 * import { pluginError } from '@switchboard/plugin-sdk'
 * throw pluginError('SB_ERR_ORDER_NOT_FOUND', `No order ${id}`, { retryable: false })
 * ```
 */
export interface PluginErrorData {
  code: string
  message: string
  details?: unknown
  /** true when the same call may succeed later (a timeout, an upstream 503) */
  retryable: boolean
}

/** Builds an error a plugin can throw; the host rebuilds it from these fields. */
export function pluginError(
  code: string,
  message: string,
  options: { details?: unknown; retryable?: boolean } = {},
): Error & PluginErrorData {
  if (!/^[A-Z][A-Z0-9_]{2,63}$/.test(code)) {
    throw new Error(`pluginError: code "${code}" must be UPPER_SNAKE_CASE (e.g. SB_ERR_ORDER_NOT_FOUND)`)
  }
  return Object.assign(new Error(message), { code, details: options.details, retryable: options.retryable ?? false })
}

/** True for anything shaped like a plugin error, from any realm. */
export function isPluginError(value: unknown): value is PluginErrorData {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.code === 'string' && typeof v.message === 'string' && typeof v.retryable === 'boolean'
}
