import { DateTime } from 'luxon'
import { DEFAULT_HORIZON_DAYS } from './business-hours-state.js'
import type { BusinessHours } from './business-hours.js'
import { openingSpansOn } from './opening-spans.js'

/**
 * Business-time arithmetic over a calendar's openings (weekly hours in their time zone, public
 * holidays, closed and open dates): SLA clocks count only the time it is open. `null` hours mean
 * around the clock, where business time is plain elapsed time.
 */

function localDay(hours: BusinessHours, at: number): DateTime {
  const local = DateTime.fromMillis(at, { zone: hours.timezone })
  if (!local.isValid) throw new Error(`unknown time zone "${hours.timezone}"`)
  return local.startOf('day')
}

/**
 * The instant at which `ms` of business time will have passed since `from`: e.g. 4 business hours
 * from Friday 17:00 with 09:00–18:00 on weekdays is Monday 12:00. A deadline that falls exactly on
 * a closing time is that closing time, not the next opening. Null when the calendar does not open
 * for that long within `horizonDays` (a calendar with no hours never reaches a deadline).
 */
export function addBusinessTime(
  hours: BusinessHours | null,
  from: Date,
  ms: number,
  horizonDays = DEFAULT_HORIZON_DAYS,
): Date | null {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`addBusinessTime: ${ms} is not a duration`)
  const t = from.getTime()
  if (!hours || ms === 0) return new Date(t + ms)
  let left = ms
  let day = localDay(hours, t)
  for (let i = 0; i < horizonDays; i++, day = day.plus({ days: 1 })) {
    for (const [spanStart, end] of openingSpansOn(hours, day)) {
      if (end <= t) continue
      const start = Math.max(spanStart, t)
      if (end - start >= left) return new Date(start + left)
      left -= end - start
    }
  }
  return null
}

/**
 * The latest instant from which `ms` of business time lead up to `to` (adding it back gives `to`,
 * or the opening time `to` falls in after a closed stretch): e.g. 2 business hours before Monday
 * 10:00 is Friday 17:00 with 09:00–18:00 on weekdays. Null beyond `horizonDays` back.
 */
export function subtractBusinessTime(
  hours: BusinessHours | null,
  to: Date,
  ms: number,
  horizonDays = DEFAULT_HORIZON_DAYS,
): Date | null {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`subtractBusinessTime: ${ms} is not a duration`)
  const t = to.getTime()
  if (!hours || ms === 0) return new Date(t - ms)
  let left = ms
  let day = localDay(hours, t)
  for (let i = 0; i < horizonDays; i++, day = day.minus({ days: 1 })) {
    for (const [start, spanEnd] of openingSpansOn(hours, day).reverse()) {
      if (start >= t) continue
      const end = Math.min(spanEnd, t)
      if (end - start >= left) return new Date(end - left)
      left -= end - start
    }
  }
  return null
}

/** How much business time lies in `[from, to)`, in milliseconds (0 when `to` is not after `from`). */
export function businessTimeBetween(hours: BusinessHours | null, from: Date, to: Date): number {
  const a = from.getTime()
  const b = to.getTime()
  if (b <= a) return 0
  if (!hours) return b - a
  let total = 0
  for (let day = localDay(hours, a); day.toMillis() < b; day = day.plus({ days: 1 })) {
    for (const [start, end] of openingSpansOn(hours, day)) {
      const overlap = Math.min(end, b) - Math.max(start, a)
      if (overlap > 0) total += overlap
    }
  }
  return total
}
