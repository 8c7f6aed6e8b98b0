import { describe, expect, it } from 'vitest'
import { slaTone, spanKey, spanParts } from './sla-time'

describe('SLA time words', () => {
  it('splits a span into days, hours and minutes, rounding down', () => {
    expect(spanParts(((2 * 24 + 3) * 60 + 7) * 60_000 + 59_000)).toEqual({ days: 2, hours: 3, minutes: 7 })
    expect(spanParts(-90 * 60_000)).toEqual({ days: 0, hours: 1, minutes: 30 })
  })

  it('picks the largest two units', () => {
    expect(spanKey(26 * 3600_000)).toEqual({ key: 'tickets.span.dh', values: { d: 1, h: 2 } })
    expect(spanKey(65 * 60_000)).toEqual({ key: 'tickets.span.hm', values: { h: 1, m: '05' } })
    expect(spanKey(12 * 60_000 + 30_000)).toEqual({ key: 'tickets.span.m', values: { m: 12 } })
    expect(spanKey(30_000).key).toBe('tickets.span.lessThanMinute')
  })

  it('shows a passed due time as breached before the server says so, and keeps met and none', () => {
    const now = Date.parse('2026-11-20T10:00:00Z')
    expect(slaTone('ok', '2026-11-20T10:30:00Z', now)).toBe('ok')
    expect(slaTone('warning', '2026-11-20T10:05:00Z', now)).toBe('warning')
    expect(slaTone('warning', '2026-11-20T09:59:00Z', now)).toBe('breached')
    expect(slaTone('ok', null, now)).toBe('ok')
    expect(slaTone('met', '2026-11-20T09:00:00Z', now)).toBe('met')
    expect(slaTone('none', null, now)).toBe('none')
    expect(slaTone(undefined, null, now)).toBe('none')
  })
})
