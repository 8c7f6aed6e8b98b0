import { describe, expect, it } from 'vitest'
import { fromLocalInput, nextSlot, toLocalInput, tomorrowMorning } from './local-time'

describe('callback window times', () => {
  it('round-trips a local date through the datetime-local format', () => {
    const at = new Date(2026, 10, 20, 9, 5)
    expect(toLocalInput(at)).toBe('2026-11-20T09:05')
    expect(fromLocalInput('2026-11-20T09:05')).toBe(at.toISOString())
    expect(fromLocalInput('')).toBeNull()
    expect(fromLocalInput('not a date')).toBeNull()
  })

  it('offers the next quarter hour an hour ahead, and tomorrow at nine', () => {
    expect(toLocalInput(nextSlot(new Date(2026, 10, 20, 9, 5, 30)))).toBe('2026-11-20T10:15')
    expect(toLocalInput(nextSlot(new Date(2026, 10, 20, 23, 50)))).toBe('2026-11-21T01:00')
    expect(toLocalInput(tomorrowMorning(new Date(2026, 10, 30, 22, 0)))).toBe('2026-12-01T09:00')
  })
})
