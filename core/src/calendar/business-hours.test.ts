import { describe, expect, it } from 'vitest'
import { businessHoursSchema, businessHoursState, isOpen, type BusinessHoursInput } from './index.js'

const hours = (input: BusinessHoursInput) => businessHoursSchema.parse(input)
const at = (iso: string) => new Date(iso)
const stateAt = (input: BusinessHoursInput, iso: string) => {
  const state = businessHoursState(hours(input), at(iso))
  return { open: state.open, nextChangeAt: state.nextChangeAt?.toISOString() ?? null }
}
const problems = (input: unknown) =>
  (businessHoursSchema.safeParse(input).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`)

const shanghaiWeek: BusinessHoursInput = {
  timezone: 'Asia/Shanghai',
  weekly: {
    mon: [['09:00', '21:00']],
    tue: [['09:00', '21:00']],
    wed: [['09:00', '21:00']],
    thu: [['09:00', '21:00']],
    fri: [['09:00', '21:00']],
    sat: [['10:00', '18:00']],
  },
}

describe('business hours: the document', () => {
  it('names the field of a bad time zone, a range that ends before it starts, a date that does not exist, an unknown holiday calendar', () => {
    expect(
      problems({
        timezone: 'Mars/Olympus',
        weekly: { mon: [['18:00', '09:00']], tue: [['25:00', '26:00']] },
        holidayCountry: 'XX',
        closedDates: ['2026-02-30', 'soon'],
        openDates: [{ date: '2026-13-01', hours: [] }],
      }),
    ).toEqual([
      'timezone: unknown time zone "Mars/Olympus"; use an IANA name such as Asia/Shanghai',
      'weekly.mon.0: 18:00–09:00 ends before it starts; for hours past midnight write 18:00–24:00 on this day and 00:00–09:00 on the next',
      'weekly.tue.0.0: a start time HH:MM from 00:00 to 23:59',
      'weekly.tue.0.1: an end time HH:MM from 00:01 to 24:00',
      'holidayCountry: there is no public holiday calendar for "XX"',
      'closedDates.0: 2026-02-30 is not a date of the calendar',
      'closedDates.1: a date YYYY-MM-DD',
      'openDates.0.date: 2026-13-01 is not a date of the calendar',
    ])
    expect(problems({ weekly: { mon: [['09:00', '09:00']] } })).toHaveLength(1)
    expect(problems({ weekly: { sun: [['22:00', '24:00']] }, holidayCountry: 'CN' })).toEqual([])
  })

  it('keeps the flow node’s defaults: Asia/Shanghai, no closed or open dates', () => {
    expect(hours({ weekly: {} })).toEqual({ timezone: 'Asia/Shanghai', weekly: {}, closedDates: [], openDates: [] })
  })
})

describe('business hours: open at an instant, and the next change', () => {
  it('follows the weekly hours in their own time zone, not the server’s', () => {
    // Monday 2026-03-02 08:59 and 09:00 in Shanghai (UTC+8)
    expect(isOpen(hours(shanghaiWeek), at('2026-03-02T00:59:00Z'))).toBe(false)
    expect(isOpen(hours(shanghaiWeek), at('2026-03-02T01:00:00Z'))).toBe(true)
    // the same instant is 02:00 in Berlin: closed there
    expect(isOpen(hours({ ...shanghaiWeek, timezone: 'Europe/Berlin' }), at('2026-03-02T01:00:00Z'))).toBe(false)
    // ranges are [from, to): closed at 21:00 sharp
    expect(stateAt(shanghaiWeek, '2026-03-02T12:59:59Z')).toEqual({
      open: true,
      nextChangeAt: '2026-03-02T13:00:00.000Z',
    })
    expect(stateAt(shanghaiWeek, '2026-03-02T13:00:00Z')).toEqual({
      open: false,
      nextChangeAt: '2026-03-03T01:00:00.000Z',
    })
    // Saturday evening: closed over Sunday until Monday 09:00
    expect(stateAt(shanghaiWeek, '2026-03-07T11:00:00Z')).toEqual({
      open: false,
      nextChangeAt: '2026-03-09T01:00:00.000Z',
    })
  })

  it('closes on public holidays, on closed dates, and opens on open dates even on a holiday or a Sunday', () => {
    const withHolidays = { ...shanghaiWeek, holidayCountry: 'CN' }
    // National Day, Thursday 2026-10-01 10:00 in Shanghai
    expect(isOpen(hours(shanghaiWeek), at('2026-10-01T02:00:00Z'))).toBe(true)
    expect(isOpen(hours(withHolidays), at('2026-10-01T02:00:00Z'))).toBe(false)
    // the evening before the Golden Week: its public holidays are the 1st to the 3rd, Sunday the 4th has no hours
    expect(stateAt(withHolidays, '2026-09-30T14:00:00Z')).toEqual({
      open: false,
      nextChangeAt: '2026-10-05T01:00:00.000Z',
    })
    // the rest of the week off as closed dates: the next opening is after it
    const goldenWeek = { ...withHolidays, closedDates: ['2026-10-05', '2026-10-06', '2026-10-07'] }
    expect(stateAt(goldenWeek, '2026-09-30T14:00:00Z')).toEqual({
      open: false,
      nextChangeAt: '2026-10-08T01:00:00.000Z',
    })
    const adjusted = {
      ...withHolidays,
      closedDates: ['2026-03-03'],
      openDates: [{ date: '2026-10-02', hours: [['10:00', '16:00']] }],
    } as BusinessHoursInput
    expect(isOpen(hours(adjusted), at('2026-03-03T02:00:00Z'))).toBe(false)
    expect(stateAt(adjusted, '2026-10-02T01:00:00Z')).toEqual({ open: false, nextChangeAt: '2026-10-02T02:00:00.000Z' })
    expect(stateAt(adjusted, '2026-10-02T02:00:00Z')).toEqual({ open: true, nextChangeAt: '2026-10-02T08:00:00.000Z' })
    const sunday = {
      ...shanghaiWeek,
      openDates: [{ date: '2026-03-08', hours: [['09:00', '12:00']] }],
    } as BusinessHoursInput
    expect(isOpen(hours(sunday), at('2026-03-08T02:00:00Z'))).toBe(true)
  })

  it('treats ranges that meet at midnight as one overnight opening', () => {
    const nights: BusinessHoursInput = {
      timezone: 'UTC',
      weekly: {
        mon: [['22:00', '24:00']],
        tue: [
          ['00:00', '06:00'],
          ['09:00', '10:00'],
        ],
      },
    }
    // Monday 2026-03-02
    expect(stateAt(nights, '2026-03-02T21:00:00Z')).toEqual({ open: false, nextChangeAt: '2026-03-02T22:00:00.000Z' })
    expect(stateAt(nights, '2026-03-02T23:30:00Z')).toEqual({ open: true, nextChangeAt: '2026-03-03T06:00:00.000Z' })
    expect(stateAt(nights, '2026-03-03T05:59:00Z')).toEqual({ open: true, nextChangeAt: '2026-03-03T06:00:00.000Z' })
    expect(stateAt(nights, '2026-03-03T06:00:00Z')).toEqual({ open: false, nextChangeAt: '2026-03-03T09:00:00.000Z' })
    // a week that never closes, and one that never opens
    const allDay = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
    )
    expect(stateAt({ timezone: 'UTC', weekly: allDay }, '2026-03-02T12:00:00Z')).toEqual({
      open: true,
      nextChangeAt: null,
    })
    expect(stateAt({ timezone: 'UTC', weekly: allDay, closedDates: ['2026-03-05'] }, '2026-03-02T12:00:00Z')).toEqual({
      open: true,
      nextChangeAt: '2026-03-05T00:00:00.000Z',
    })
    expect(stateAt({ timezone: 'UTC', weekly: {} }, '2026-03-02T12:00:00Z')).toEqual({
      open: false,
      nextChangeAt: null,
    })
  })

  it('keeps local opening times across daylight-saving changes', () => {
    const berlin: BusinessHoursInput = {
      timezone: 'Europe/Berlin',
      weekly: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['09:00', '17:00']]]),
      ),
    }
    // Saturday 2026-03-28 closes at 17:00 CET (16:00Z); Sunday opens at 09:00 CEST (07:00Z), after the clocks went forward
    expect(stateAt(berlin, '2026-03-28T15:59:00Z')).toEqual({ open: true, nextChangeAt: '2026-03-28T16:00:00.000Z' })
    expect(stateAt(berlin, '2026-03-28T17:00:00Z')).toEqual({ open: false, nextChangeAt: '2026-03-29T07:00:00.000Z' })
    // and back on Sunday 2026-10-25: 09:00 CET is 08:00Z
    expect(stateAt(berlin, '2026-10-24T20:00:00Z')).toEqual({ open: false, nextChangeAt: '2026-10-25T08:00:00.000Z' })
    // a range starting in the skipped hour (02:30 does not exist on 2026-03-29) starts when the clocks say 03:30
    const early = { timezone: 'Europe/Berlin', weekly: { sun: [['02:30', '05:00']] } } as BusinessHoursInput
    expect(stateAt(early, '2026-03-29T00:00:00Z')).toEqual({ open: false, nextChangeAt: '2026-03-29T01:30:00.000Z' })
    expect(stateAt(early, '2026-03-29T02:00:00Z')).toEqual({ open: true, nextChangeAt: '2026-03-29T03:00:00.000Z' })
  })
})
