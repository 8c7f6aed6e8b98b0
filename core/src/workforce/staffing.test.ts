import { describe, expect, it } from 'vitest'
import { expandWeekPattern } from './shift-pattern.js'
import { actualAgents, scheduledAgents } from './staffing.js'

const t = (hhmm: string) => new Date(`2026-11-16T${hhmm}:00Z`)
const hours = (...starts: string[]) => starts.map((s) => ({ start: t(s), end: new Date(t(s).getTime() + 3_600_000) }))

describe('scheduled agents', () => {
  it('counts each shift by the share of the interval it covers', () => {
    const shifts = [
      { userId: 'a', startsAt: t('09:00'), endsAt: t('18:00') },
      { userId: 'b', startsAt: t('09:30'), endsAt: t('11:00') },
      { userId: 'c', startsAt: t('10:00'), endsAt: t('10:15') },
    ]
    // 08:00 nobody; 09:00 a (1) + b (0.5); 10:00 a + b + c (0.25); 11:00 a only
    expect(scheduledAgents(shifts, hours('08:00', '09:00', '10:00', '11:00'))).toEqual([0, 1.5, 2.25, 1])
  })
})

describe('actual agents', () => {
  const now = t('12:30')
  it('averages the time each agent was available, busy or in after-call work', () => {
    const changes = [
      // a: available 09:00, away 09:45, busy 10:10, after-call-work 10:40, available 10:50
      { userId: 'a', presence: 'available', at: t('09:00') },
      { userId: 'a', presence: 'away', at: t('09:45') },
      { userId: 'a', presence: 'busy', at: t('10:10') },
      { userId: 'a', presence: 'after-call-work', at: t('10:40') },
      { userId: 'a', presence: 'available', at: t('10:50') },
      // b: away at 10:30 after being available since before the range
      { userId: 'b', presence: 'away', at: t('10:30') },
    ]
    const before = new Map([['b', 'available']])
    const figures = actualAgents(changes, before, hours('09:00', '10:00', '11:00', '12:00', '13:00'), now)
    // 09:00–10:00: a 45 min + b 60 min = 105/60 = 1.75
    // 10:00–11:00: a 50 min (10:10–11:00) + b 30 min = 80/60 = 1.33
    // 11:00–12:00: a 60 min = 1
    // 12:00–13:00 so far (12:00–12:30): a 30 of 30 min = 1
    // 13:00: not yet → null
    expect(figures).toEqual([1.75, 1.33, 1, 1, null])
  })

  it('counts nobody whose presence before the range is unknown until they change it', () => {
    const changes = [{ userId: 'a', presence: 'away', at: t('09:30') }]
    expect(actualAgents(changes, new Map(), hours('09:00'), now)).toEqual([0])
    expect(actualAgents([], new Map([['x', 'away']]), hours('09:00'), now)).toEqual([0])
  })
})

describe('week pattern', () => {
  it('makes one shift per chosen weekday in the zone, overnight ones ending the next day', () => {
    const shifts = expandWeekPattern({
      days: ['mon', 'wed'],
      from: '09:00',
      to: '18:00',
      timezone: 'Asia/Shanghai',
      weekOf: '2026-11-19',
      weeks: 2,
    })
    expect(shifts.map((s) => s.startsAt.toISOString())).toEqual([
      '2026-11-16T01:00:00.000Z',
      '2026-11-18T01:00:00.000Z',
      '2026-11-23T01:00:00.000Z',
      '2026-11-25T01:00:00.000Z',
    ])
    expect(shifts[0]!.endsAt.toISOString()).toBe('2026-11-16T10:00:00.000Z')
    const night = expandWeekPattern({
      days: ['fri'],
      from: '22:00',
      to: '06:00',
      timezone: 'UTC',
      weekOf: '2026-11-16',
      weeks: 1,
    })
    expect(night).toEqual([{ startsAt: new Date('2026-11-20T22:00:00Z'), endsAt: new Date('2026-11-21T06:00:00Z') }])
  })
})
