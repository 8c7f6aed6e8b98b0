import { describe, expect, it } from 'vitest'
import { createVersionGate } from './version-gate'

describe('version gate (drops out-of-order conversation events)', () => {
  it('accepts increasing and equal versions, drops older ones, per conversation', () => {
    const gate = createVersionGate()
    expect(gate.accept('a', 3)).toBe(true)
    expect(gate.accept('a', 3)).toBe(true) // a message event beside its state change
    expect(gate.accept('a', 2)).toBe(false)
    expect(gate.accept('b', 1)).toBe(true) // another conversation is independent
    expect(gate.accept('a', 4)).toBe(true)
    expect(gate.accept('a', undefined)).toBe(true) // typing: no version, never dropped
  })

  it('drops events older than a REST answer already shown, and forgets on request', () => {
    const gate = createVersionGate()
    gate.observe('a', 7)
    expect(gate.accept('a', 6)).toBe(false)
    gate.observe('a', 5) // an older answer does not lower the mark
    expect(gate.accept('a', 6)).toBe(false)
    gate.forget('a')
    expect(gate.accept('a', 1)).toBe(true)
  })
})
