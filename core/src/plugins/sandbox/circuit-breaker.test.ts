import { describe, expect, it } from 'vitest'
import { CircuitBreaker, isPluginFault } from './index.js'

function breaker(overrides: { threshold?: number; maxOpenings?: number } = {}) {
  let now = 1_000_000
  const b = new CircuitBreaker({
    threshold: overrides.threshold ?? 3,
    windowMs: 10_000,
    cooldownMs: 5_000,
    maxOpenings: overrides.maxOpenings ?? 3,
    now: () => now,
  })
  return { b, advance: (ms: number) => (now += ms) }
}

describe('CircuitBreaker', () => {
  it('opens after threshold failures within the window', () => {
    const { b } = breaker()
    b.recordFailure()
    b.recordFailure()
    expect(b.state).toBe('closed')
    expect(b.allow()).toBe(true)
    b.recordFailure()
    expect(b.state).toBe('open')
    expect(b.allow()).toBe(false)
    expect(b.rejection()).toEqual({
      code: 'SB_ERR_PLUGIN_DISABLED',
      message: 'the plugin is paused after repeated failures',
      retryable: true,
      details: { reason: 'circuit-open', exhausted: false, retryAfterMs: 5000 },
    })
  })

  it('forgets failures older than the window', () => {
    const { b, advance } = breaker()
    b.recordFailure()
    b.recordFailure()
    advance(10_001)
    b.recordFailure()
    b.recordFailure()
    expect(b.state).toBe('closed')
    b.recordFailure()
    expect(b.state).toBe('open')
  })

  it('lets one trial call through after the cool-down; a success closes it', () => {
    const { b, advance } = breaker()
    for (let i = 0; i < 3; i++) b.recordFailure()
    advance(4_999)
    expect(b.allow()).toBe(false)
    advance(1)
    expect(b.state).toBe('half-open')
    expect(b.allow()).toBe(true)
    expect(b.allow()).toBe(false) // one trial at a time
    b.recordSuccess()
    expect(b.state).toBe('closed')
    expect(b.allow()).toBe(true)
  })

  it('opens again when the trial fails, and stays open after maxOpenings in a row', () => {
    const { b, advance } = breaker({ maxOpenings: 3 })
    for (let i = 0; i < 3; i++) b.recordFailure()
    for (let opening = 2; opening <= 3; opening++) {
      advance(5_000)
      expect(b.allow()).toBe(true)
      b.recordFailure()
      expect(b.state).toBe('open')
    }
    expect(b.exhausted).toBe(true)
    advance(1_000_000)
    expect(b.allow()).toBe(false)
    expect(b.state).toBe('open')
    expect(b.rejection()).toMatchObject({ retryable: false, details: { reason: 'circuit-open', exhausted: true } })
    b.reset()
    expect(b.state).toBe('closed')
    expect(b.allow()).toBe(true)
  })

  it('counts openings in a row only: a successful trial starts the count again', () => {
    const { b, advance } = breaker({ maxOpenings: 2 })
    for (let i = 0; i < 3; i++) b.recordFailure()
    advance(5_000)
    b.allow()
    b.recordSuccess()
    for (let i = 0; i < 3; i++) b.recordFailure()
    expect(b.exhausted).toBe(false)
    advance(5_000)
    b.allow()
    b.recordFailure()
    expect(b.exhausted).toBe(true)
  })

  it('ignores results of calls that started before it opened', () => {
    const { b } = breaker()
    for (let i = 0; i < 3; i++) b.recordFailure()
    b.recordSuccess()
    expect(b.state).toBe('open')
    b.recordFailure()
    b.recordFailure()
    expect(b.exhausted).toBe(false)
  })

  it('tries again when a trial ends without a verdict or never reports', () => {
    const { b, advance } = breaker()
    for (let i = 0; i < 3; i++) b.recordFailure()
    advance(5_000)
    expect(b.allow()).toBe(true)
    b.recordNeutral()
    expect(b.allow()).toBe(true)
    expect(b.allow()).toBe(false)
    advance(5_000) // the trial's answer was lost
    expect(b.allow()).toBe(true)
  })

  it('rejects nonsense options', () => {
    expect(() => new CircuitBreaker({ threshold: 0, windowMs: 1, cooldownMs: 1, maxOpenings: 1 })).toThrow(/at least 1/)
  })
})

describe('isPluginFault', () => {
  const error = (code: string, details?: unknown) => ({ code, message: 'm', retryable: false, details })
  it('counts what the plugin did wrong and nothing else', () => {
    expect(isPluginFault(error('SB_ERR_PLUGIN_THREW'))).toBe(true)
    expect(isPluginFault(error('SB_ERR_PLUGIN_TIMEOUT', { limit: 'cpuMs' }))).toBe(true)
    expect(isPluginFault(error('SB_ERR_PLUGIN_MEMORY_LIMIT'))).toBe(true)
    expect(isPluginFault(error('SB_ERR_PLUGIN_INVALID_OUTPUT'))).toBe(true)
    expect(isPluginFault(error('SB_ERR_PLUGIN_TIMEOUT', { reason: 'isolate-restarted' }))).toBe(false)
    expect(isPluginFault(error('SB_ERR_PLUGIN_INVALID_INPUT'))).toBe(false)
    expect(isPluginFault(error('SB_ERR_PLUGIN_HOST_NOT_ALLOWED'))).toBe(false)
    expect(isPluginFault(error('SB_ERR_PLUGIN_FETCH_FAILED'))).toBe(false)
    expect(isPluginFault(error('SB_ERR_ORDER_NOT_FOUND'))).toBe(false)
  })
})
