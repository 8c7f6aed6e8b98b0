import { describe, expect, it } from 'vitest'
import { businessHoursSchema } from '../calendar/index.js'
import { maskPhone, openAtOrAfter, retryDelayMs, withinWindow } from './callback-timing.js'

const weekdays = businessHoursSchema.parse({
  timezone: 'Asia/Shanghai',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])),
  closedDates: ['2026-03-06'],
})

describe('callback timing', () => {
  it('is due at once when the queue is open, at its next opening when it is closed', () => {
    // Tuesday 3 March 2026 10:00 and 21:00 in Shanghai
    expect(openAtOrAfter(weekdays, new Date('2026-03-03T02:00:00Z'))?.toISOString()).toBe('2026-03-03T02:00:00.000Z')
    expect(openAtOrAfter(weekdays, new Date('2026-03-03T13:00:00Z'))?.toISOString()).toBe('2026-03-04T01:00:00.000Z')
    // Thursday evening: Friday is a closed date, so Monday 09:00
    expect(openAtOrAfter(weekdays, new Date('2026-03-05T12:00:00Z'))?.toISOString()).toBe('2026-03-09T01:00:00.000Z')
    // no business hours: always open
    const at = new Date('2026-03-08T04:00:00Z')
    expect(openAtOrAfter(null, at)).toBe(at)
  })

  it('waits retryMinutes, then twice as long after each further miss', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(30, attempts) / 60_000)).toEqual([30, 60, 120, 240])
  })

  it('keeps a time inside a window that may have no end', () => {
    const end = new Date('2026-03-03T10:00:00Z')
    expect(withinWindow(new Date('2026-03-03T09:59:59Z'), end)).toBe(true)
    expect(withinWindow(end, end)).toBe(false)
    expect(withinWindow(new Date('2099-01-01T00:00:00Z'), null)).toBe(true)
  })

  it('masks a phone number down to its country code and last four digits', () => {
    expect(maskPhone('+8613812345678')).toBe('+86*******5678')
    expect(maskPhone('+4930123')).toBe('+49*0123')
    expect(maskPhone('12345')).toBe('*****')
  })
})
