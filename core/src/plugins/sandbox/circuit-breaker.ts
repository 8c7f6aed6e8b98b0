import { ErrorCode } from '../../errors/index.js'
import type { SandboxError } from './plugin-sandbox.js'
import { COLLATERAL } from './sandbox-errors.js'

export interface CircuitBreakerOptions {
  /** failures within `windowMs` that open the circuit */
  threshold: number
  windowMs: number
  /** how long an open circuit refuses calls before letting one through to try */
  cooldownMs: number
  /** openings in a row (no successful trial between them) after which it stays open until `reset()` */
  maxOpenings: number
  /** the clock, in milliseconds; `Date.now` unless a test gives its own */
  now?: () => number
}

/** `half-open`: the cool-down is over and the next call may try. */
export type CircuitState = 'closed' | 'open' | 'half-open'

/** Failures that are the plugin's own fault: what a circuit breaker should count. */
const PLUGIN_FAULTS = new Set<string>([
  ErrorCode.PLUGIN_THREW,
  ErrorCode.PLUGIN_TIMEOUT,
  ErrorCode.PLUGIN_MEMORY_LIMIT,
  ErrorCode.PLUGIN_INVALID_OUTPUT,
])

/**
 * Whether a failed call counts against the plugin: it threw, timed out, ran out of memory or
 * returned something unusable. Bad input, undeclared hosts, upstream failures, the plugin's
 * own coded errors, and calls that only failed because another call brought the isolate down
 * do not count.
 */
export function isPluginFault(error: SandboxError): boolean {
  if (!PLUGIN_FAULTS.has(error.code)) return false
  const reason = (error.details as { reason?: unknown } | undefined)?.reason
  return reason !== COLLATERAL
}

/**
 * A circuit breaker for one plugin, pure state with an injectable clock. Closed, it counts
 * failures in a sliding window; `threshold` of them open it. Open, it refuses calls for
 * `cooldownMs`, then lets one trial call through (half-open): a success closes it, a failure
 * opens it again. After `maxOpenings` openings in a row it is `exhausted` and stays open until
 * `reset()` (the host disables the plugin; an admin enables it again).
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker({ threshold: 5, windowMs: 60_000, cooldownMs: 30_000, maxOpenings: 3 })
 * if (!breaker.allow()) return { ok: false, error: breaker.rejection() }
 * const result = await sandbox.invoke(invocation)
 * if (result.ok) breaker.recordSuccess()
 * else if (isPluginFault(result.error)) breaker.recordFailure()
 * else breaker.recordNeutral()
 * ```
 */
export class CircuitBreaker {
  private readonly options: Required<CircuitBreakerOptions>
  private failures: number[] = []
  private openedAt: number | null = null
  private trialStartedAt: number | null = null
  private openings = 0

  constructor(options: CircuitBreakerOptions) {
    if (!(options.threshold >= 1) || !(options.maxOpenings >= 1))
      throw new Error('CircuitBreaker: threshold and maxOpenings must be at least 1')
    this.options = { now: Date.now, ...options }
  }

  /** `half-open` once the cool-down is over, even before a call tries. */
  get state(): CircuitState {
    if (this.openedAt === null) return 'closed'
    if (this.exhausted) return 'open'
    return this.trialStartedAt !== null || this.options.now() - this.openedAt >= this.options.cooldownMs
      ? 'half-open'
      : 'open'
  }

  /** opened `maxOpenings` times in a row: refuses every call until `reset()` */
  get exhausted(): boolean {
    return this.openings >= this.options.maxOpenings
  }

  /** Whether a call may go ahead now. In half-open state one call at a time is let through to try. */
  allow(): boolean {
    if (this.openedAt === null) return true
    if (this.exhausted) return false
    const now = this.options.now()
    if (now - this.openedAt < this.options.cooldownMs) return false
    // a trial whose result never came back must not keep the circuit shut forever
    if (this.trialStartedAt !== null && now - this.trialStartedAt < this.options.cooldownMs) return false
    this.trialStartedAt = now
    return true
  }

  /** The error to answer a refused call with. */
  rejection(): SandboxError {
    const exhausted = this.exhausted
    const retryAfterMs =
      exhausted || this.openedAt === null
        ? undefined
        : Math.max(0, this.options.cooldownMs - (this.options.now() - this.openedAt))
    return {
      code: ErrorCode.PLUGIN_DISABLED,
      message: exhausted
        ? 'the plugin failed repeatedly and stays disabled until it is enabled again'
        : 'the plugin is paused after repeated failures',
      retryable: !exhausted,
      details: { reason: 'circuit-open', exhausted, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    }
  }

  /** Closes the circuit when this was the trial call; in a closed circuit failures age out on their own. */
  recordSuccess(): void {
    if (this.trialStartedAt !== null) this.reset()
  }

  recordFailure(): void {
    const now = this.options.now()
    if (this.trialStartedAt !== null) {
      this.open(now)
      return
    }
    if (this.openedAt !== null) return
    this.failures = this.failures.filter((at) => now - at < this.options.windowMs)
    this.failures.push(now)
    if (this.failures.length >= this.options.threshold) this.open(now)
  }

  /** A call that ended without saying anything about the plugin's health (e.g. bad input). */
  recordNeutral(): void {
    if (this.trialStartedAt !== null) this.trialStartedAt = null
  }

  /** Closes the circuit and forgets its history (an admin enabled the plugin again). */
  reset(): void {
    this.failures = []
    this.openedAt = null
    this.trialStartedAt = null
    this.openings = 0
  }

  private open(now: number): void {
    this.openedAt = now
    this.trialStartedAt = null
    this.openings++
    this.failures = []
  }
}
