/**
 * Switchboard's three-way error taxonomy (STYLE.md absorb #5). Every error carries a stable
 * `code` listed in docs/errors.md; the HTTP layer maps them to status codes. Errors are
 * recognised by their `code`/`kind` fields, never by `instanceof`, so they survive being
 * copied across a sandbox or a process boundary as plain data.
 */

export type ErrorKind = 'user' | 'operational' | 'unexpected'

export interface SwitchboardErrorData {
  kind: ErrorKind
  code: string
  message: string
  /** machine-readable detail, e.g. the fields that failed validation */
  details?: unknown
  /** operational errors may be retried; user errors never */
  retryable: boolean
  /**
   * For user errors: the HTTP status that fits (400, 404, 409…). For operational errors of an
   * outside service (a plugin, its upstream): 502, 503 or 504, answered with the message, since
   * it says what failed outside rather than revealing the server's internals.
   */
  status?: number
}

export class SwitchboardError extends Error {
  readonly kind: ErrorKind
  readonly code: string
  readonly details: unknown
  readonly retryable: boolean
  readonly status: number | undefined

  constructor(data: Omit<SwitchboardErrorData, 'retryable'> & { retryable?: boolean }, options?: { cause?: unknown }) {
    super(data.message, options)
    this.name =
      data.kind === 'user' ? 'UserError' : data.kind === 'operational' ? 'OperationalError' : 'UnexpectedError'
    this.kind = data.kind
    this.code = data.code
    this.details = data.details
    this.retryable = data.retryable ?? data.kind === 'operational'
    this.status = data.status
  }

  toJSON(): SwitchboardErrorData {
    return {
      kind: this.kind,
      code: this.code,
      message: this.message,
      details: this.details,
      retryable: this.retryable,
      status: this.status,
    }
  }
}

/** Bad input or configuration: reported to the caller (4xx), never retried, not logged as a fault. */
export function userError(
  code: string,
  message: string,
  opts: { status?: number; details?: unknown } = {},
): SwitchboardError {
  return new SwitchboardError({ kind: 'user', code, message, status: opts.status ?? 400, details: opts.details })
}

/** A timeout or an upstream failure: may be retried. */
export function operationalError(
  code: string,
  message: string,
  opts: { details?: unknown; cause?: unknown; status?: 502 | 503 | 504 } = {},
): SwitchboardError {
  return new SwitchboardError(
    { kind: 'operational', code, message, details: opts.details, status: opts.status },
    { cause: opts.cause },
  )
}

/** A bug: rethrown and reported. */
export function unexpectedError(
  code: string,
  message: string,
  opts: { details?: unknown; cause?: unknown } = {},
): SwitchboardError {
  return new SwitchboardError({ kind: 'unexpected', code, message, details: opts.details }, { cause: opts.cause })
}

/** Recognises a Switchboard error by its shape (works across realms and bundles). */
export function isSwitchboardError(value: unknown): value is SwitchboardErrorData & Error {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.code === 'string' &&
    // Switchboard's own codes, and the UPPER_SNAKE codes plugins give their errors
    /^[A-Z][A-Z0-9_]{2,63}$/.test(v.code) &&
    (v.kind === 'user' || v.kind === 'operational' || v.kind === 'unexpected')
  )
}

export { ErrorCode } from './codes.js'
