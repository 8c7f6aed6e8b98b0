import { DateTime } from 'luxon'
import { WEEKDAYS } from './workforce-dto.js'

/**
 * The shifts of a week pattern: for each week from the Monday of `weekOf`, each chosen weekday,
 * from `from` to `to` local time in the zone (an end at or before the start is the next day).
 * Local times follow the zone's daylight-saving rules.
 */
export function expandWeekPattern(pattern: {
  days: ReadonlyArray<(typeof WEEKDAYS)[number]>
  from: string
  to: string
  timezone: string
  weekOf: string
  weeks: number
}): Array<{ startsAt: Date; endsAt: Date }> {
  const [fromH, fromM] = pattern.from.split(':').map(Number) as [number, number]
  const [toH, toM] = pattern.to.split(':').map(Number) as [number, number]
  const overnight = toH * 60 + toM <= fromH * 60 + fromM
  const monday = DateTime.fromISO(pattern.weekOf, { zone: pattern.timezone }).startOf('week')
  const days = [...new Set(pattern.days)].map((d) => WEEKDAYS.indexOf(d)).sort((a, b) => a - b)
  const spans: Array<{ startsAt: Date; endsAt: Date }> = []
  for (let week = 0; week < pattern.weeks; week++)
    for (const day of days) {
      const date = monday.plus({ weeks: week, days: day })
      const start = date.set({ hour: fromH, minute: fromM, second: 0, millisecond: 0 })
      const end = date.plus({ days: overnight ? 1 : 0 }).set({ hour: toH, minute: toM, second: 0, millisecond: 0 })
      spans.push({ startsAt: start.toJSDate(), endsAt: end.toJSDate() })
    }
  return spans
}
