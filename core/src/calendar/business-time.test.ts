import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addBusinessTime,
  businessHoursSchema,
  businessTimeBetween,
  subtractBusinessTime,
  type BusinessHoursInput,
} from './index.js'

const HOUR = 3_600_000
const hours = (input: BusinessHoursInput) => businessHoursSchema.parse(input)
const add = (input: BusinessHoursInput | null, from: string, ms: number) =>
  addBusinessTime(input ? hours(input) : null, new Date(from), ms)?.toISOString() ?? null
const between = (input: BusinessHoursInput | null, from: string, to: string) =>
  businessTimeBetween(input ? hours(input) : null, new Date(from), new Date(to))

const weekdays = (timezone: string, from: string, to: string, holidayCountry?: string): BusinessHoursInput => ({
  timezone,
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [[from, to]]])),
  ...(holidayCountry ? { holidayCountry } : {}),
})
const allWeek = (timezone: string): BusinessHoursInput => ({
  timezone,
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])),
})
const shanghai = weekdays('Asia/Shanghai', '09:00', '18:00')
const shanghaiCN = weekdays('Asia/Shanghai', '09:00', '18:00', 'CN')

describe('business time: adding', () => {
  it('skips the weekend and a public holiday (Qingming, Monday 2027-04-05, in Shanghai)', () => {
    // Friday 2027-04-02 17:00 (+08:00) plus 4 business hours: 1 h on Friday, then Tuesday 09:00 + 3 h
    expect(add(shanghaiCN, '2027-04-02T09:00:00Z', 4 * HOUR)).toBe('2027-04-06T04:00:00.000Z')
    expect(add(shanghaiCN, '2027-04-02T09:00:00Z', 3 * HOUR)).toBe('2027-04-06T03:00:00.000Z')
    // without the holiday calendar, Monday counts
    expect(add(shanghai, '2027-04-02T09:00:00Z', 4 * HOUR)).toBe('2027-04-05T04:00:00.000Z')
    // or the Monday as a closed date
    expect(add({ ...shanghai, closedDates: ['2027-04-05'] }, '2027-04-02T09:00:00Z', 4 * HOUR)).toBe(
      '2027-04-06T04:00:00.000Z',
    )
  })

  it('starts counting at the next opening when begun while closed, and ends at a closing time exactly', () => {
    // Saturday 10:00 + 30 min → Monday 09:30
    expect(add(shanghai, '2027-04-03T02:00:00Z', 30 * 60_000)).toBe('2027-04-05T01:30:00.000Z')
    // Friday 17:00 + 1 h is Friday 18:00, not Monday 09:00
    expect(add(shanghai, '2027-04-02T09:00:00Z', HOUR)).toBe('2027-04-02T10:00:00.000Z')
    // nothing to add: the instant itself, open or not
    expect(add(shanghai, '2027-04-03T02:00:00Z', 0)).toBe('2027-04-03T02:00:00.000Z')
  })

  it('crosses the Golden Week holidays of Asia/Shanghai', () => {
    // Wednesday 2026-09-30 17:00 + 2 h: 1 h that evening; Thursday 1st and Friday 2nd are public holidays
    expect(add(shanghaiCN, '2026-09-30T09:00:00Z', 2 * HOUR)).toBe('2026-10-05T02:00:00.000Z')
  })

  it('runs through an overnight opening that meets at midnight', () => {
    const nights: BusinessHoursInput = {
      timezone: 'UTC',
      weekly: { mon: [['22:00', '24:00']], tue: [['00:00', '06:00']] },
    }
    expect(add(nights, '2026-03-02T21:00:00Z', 3 * HOUR)).toBe('2026-03-03T01:00:00.000Z')
    expect(between(nights, '2026-03-02T21:00:00Z', '2026-03-03T09:00:00Z')).toBe(8 * HOUR)
  })

  it('keeps local opening hours across daylight-saving changes (America/New_York)', () => {
    const ny = weekdays('America/New_York', '09:00', '17:00')
    // Friday 2026-03-06 16:00 EST + 2 h → Monday 2026-03-09 10:00 EDT (the clocks went forward on Sunday)
    expect(add(ny, '2026-03-06T21:00:00Z', 2 * HOUR)).toBe('2026-03-09T14:00:00.000Z')
    // Friday 2026-10-30 16:00 EDT + 2 h → Monday 2026-11-02 10:00 EST
    expect(add(ny, '2026-10-30T20:00:00Z', 2 * HOUR)).toBe('2026-11-02T15:00:00.000Z')
    // around the clock: the spring Sunday has 23 hours, the autumn one 25
    expect(between(allWeek('America/New_York'), '2026-03-07T17:00:00Z', '2026-03-08T16:00:00Z')).toBe(23 * HOUR)
    expect(between(allWeek('America/New_York'), '2026-10-31T16:00:00Z', '2026-11-01T17:00:00Z')).toBe(25 * HOUR)
  })

  it('never reaches a deadline on a calendar that never opens; around the clock is plain time', () => {
    expect(add({ timezone: 'UTC', weekly: {} }, '2026-03-02T00:00:00Z', 60_000)).toBeNull()
    expect(between({ timezone: 'UTC', weekly: {} }, '2026-03-02T00:00:00Z', '2026-04-02T00:00:00Z')).toBe(0)
    expect(add(null, '2026-03-07T10:00:00Z', 4 * HOUR)).toBe('2026-03-07T14:00:00.000Z')
    expect(between(null, '2026-03-07T10:00:00Z', '2026-03-07T14:00:00Z')).toBe(4 * HOUR)
    expect(() => addBusinessTime(null, new Date(), -1)).toThrow(RangeError)
  })
})

describe('business time: going back', () => {
  it('finds where a stretch of business time began', () => {
    const sub = (input: BusinessHoursInput | null, to: string, ms: number) =>
      subtractBusinessTime(input ? hours(input) : null, new Date(to), ms)?.toISOString() ?? null
    // 2 business hours before Monday 2027-04-12 10:00 in Shanghai: Friday 17:00
    expect(sub(shanghai, '2027-04-12T02:00:00Z', 2 * HOUR)).toBe('2027-04-09T09:00:00.000Z')
    // 4 hours before Tuesday 12:00 over Qingming: Friday 17:00
    expect(sub(shanghaiCN, '2027-04-06T04:00:00Z', 4 * HOUR)).toBe('2027-04-02T09:00:00.000Z')
    // from a closed moment (Sunday noon), back from Friday's closing
    expect(sub(shanghai, '2027-04-04T04:00:00Z', HOUR)).toBe('2027-04-02T09:00:00.000Z')
    expect(sub(null, '2027-04-04T04:00:00Z', HOUR)).toBe('2027-04-04T03:00:00.000Z')
    expect(sub({ timezone: 'UTC', weekly: {} }, '2027-04-04T04:00:00Z', HOUR)).toBeNull()
  })

  it('measures back exactly what was taken away', () => {
    const cal = hours(weekdays('America/New_York', '09:00', '17:00', 'US'))
    const start = new Date('2026-02-01T00:00:00Z').getTime()
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 * 86_400_000 }),
        fc.integer({ min: 1, max: 60 * HOUR }),
        (offset, ms) => {
          const to = new Date(start + offset)
          const from = subtractBusinessTime(cal, to, ms)!
          expect(businessTimeBetween(cal, from, to)).toBe(ms)
          expect(businessTimeBetween(cal, new Date(from.getTime() + 1), to)).toBe(ms - 1)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('business time: measuring', () => {
  it('counts only open time, holidays and weekends left out', () => {
    // Friday 17:00 → Tuesday 12:00 over Qingming: 1 h + 3 h
    expect(between(shanghaiCN, '2027-04-02T09:00:00Z', '2027-04-06T04:00:00Z')).toBe(4 * HOUR)
    // a whole working week in Shanghai: 5 × 9 h
    expect(between(shanghai, '2027-03-28T16:00:00Z', '2027-04-04T16:00:00Z')).toBe(45 * HOUR)
    expect(between(shanghai, '2027-04-06T04:00:00Z', '2027-04-02T09:00:00Z')).toBe(0)
  })

  it('measures back exactly what was added (any start, any duration up to two weeks of business time)', () => {
    const cal = hours(shanghaiCN)
    const start = new Date('2026-09-01T00:00:00Z').getTime()
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 120 * 86_400_000 }),
        fc.integer({ min: 0, max: 90 * HOUR }),
        (offset, ms) => {
          const from = new Date(start + offset)
          const due = addBusinessTime(cal, from, ms)!
          expect(businessTimeBetween(cal, from, due)).toBe(ms)
          // and not a millisecond earlier
          if (ms > 0) expect(businessTimeBetween(cal, from, new Date(due.getTime() - 1))).toBe(ms - 1)
        },
      ),
      { numRuns: 60 },
    )
  })
})
