import { DateTime } from 'luxon'
import type { BusinessHours } from './business-hours.js'
import { openingSpansOn } from './opening-spans.js'

/** Whether it is open at an instant, and when that next changes (null: not within `horizonDays`). */
export interface BusinessHoursState {
  open: boolean
  nextChangeAt: Date | null
}

/** How far ahead the next change is looked for; beyond it, it is reported as never. */
export const DEFAULT_HORIZON_DAYS = 400

function localDay(hours: BusinessHours, at: Date): DateTime {
  const local = DateTime.fromJSDate(at, { zone: hours.timezone })
  if (!local.isValid) throw new Error(`unknown time zone "${hours.timezone}"`)
  return local.startOf('day')
}

/** Whether `at` falls within the business hours. */
export function isOpen(hours: BusinessHours, at: Date): boolean {
  const t = at.getTime()
  return openingSpansOn(hours, localDay(hours, at)).some(([start, end]) => start <= t && t < end)
}

/**
 * Whether it is open at `at` and the next instant that changes: the close of the current opening
 * when open (openings that meet across midnight count as one), the next opening when closed.
 * Openings are `[from, to)`: open at `from`, closed at `to`.
 */
export function businessHoursState(
  hours: BusinessHours,
  at: Date,
  horizonDays = DEFAULT_HORIZON_DAYS,
): BusinessHoursState {
  const t = at.getTime()
  if (alwaysOpen(hours, at)) return { open: true, nextChangeAt: null }
  let day = localDay(hours, at)
  /** the opening that holds `at`, as far as it is known to reach */
  let current: [number, number] | null = null
  for (let i = 0; i < horizonDays; i++, day = day.plus({ days: 1 })) {
    for (const [start, end] of openingSpansOn(hours, day)) {
      if (end <= t) continue
      if (!current) {
        if (start > t) return { open: false, nextChangeAt: new Date(start) }
        current = [start, end]
      } else if (start <= current[1]) current[1] = Math.max(current[1], end)
      else return { open: true, nextChangeAt: new Date(current[1]) }
    }
    // the opening ends before the next day begins: nothing later can extend it
    if (current && current[1] < day.plus({ days: 1 }).startOf('day').toMillis())
      return { open: true, nextChangeAt: new Date(current[1]) }
  }
  return { open: current !== null, nextChangeAt: null }
}

/** Every day 00:00–24:00, no holidays, no closed date ahead: open for good, without walking the calendar. */
function alwaysOpen(hours: BusinessHours, at: Date): boolean {
  const allDay = Object.values(hours.weekly).filter((ranges) =>
    ranges?.some(([f, t]) => f === '00:00' && t === '24:00'),
  )
  if (allDay.length < 7 || hours.holidayCountry) return false
  const today = DateTime.fromJSDate(at, { zone: hours.timezone }).toISODate()!
  return !hours.closedDates.some((d) => d >= today) && !hours.openDates.some((d) => d.date >= today)
}
