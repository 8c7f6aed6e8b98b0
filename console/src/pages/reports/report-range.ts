import type { Interval } from './report-types'

/** The date ranges the reports offer; a custom range is two calendar days, both included. */
export const PRESETS = ['today', 'last7', 'last30', 'custom'] as const
export type Preset = (typeof PRESETS)[number]

export interface DateRange {
  /** inclusive */
  from: Date
  /** exclusive */
  to: Date
}

const DAY = 86_400_000

/** yyyy-mm-dd of a local date (what <input type="date"> shows). */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** Local midnight of a yyyy-mm-dd, or null when it is not a date. */
export function parseDay(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return null
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  return Number.isNaN(date.getTime()) || isoDay(date) !== day ? null : date
}

function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate())
}

function addDays(date: Date, days: number): Date {
  // by the calendar, not by 24 h: a day with a DST change is still one day
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days)
}

/**
 * The range a preset stands for at `now` (local time): today and the last 7 / 30 days run to now,
 * a custom range from the first day's midnight to the midnight after the last day. Null when the
 * custom days are missing or the wrong way round.
 */
export function rangeOf(preset: Preset, now: Date, custom?: { from: string; to: string }): DateRange | null {
  const today = startOfDay(now)
  if (preset === 'today') return { from: today, to: now }
  if (preset === 'last7') return { from: addDays(today, -6), to: now }
  if (preset === 'last30') return { from: addDays(today, -29), to: now }
  const from = parseDay(custom?.from ?? '')
  const last = parseDay(custom?.to ?? '')
  if (!from || !last || last < from) return null
  return { from, to: addDays(last, 1) }
}

/** The interval that suits a range: hours for a day or two, days up to two months, weeks beyond. */
export function defaultInterval(range: DateRange): Interval {
  const days = (range.to.getTime() - range.from.getTime()) / DAY
  if (days <= 2) return 'hour'
  if (days <= 62) return 'day'
  return 'week'
}

/** The browser's IANA time zone: the reports' days and hours are the reader's own. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}
