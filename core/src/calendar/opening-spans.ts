import { DateTime } from 'luxon'
import { minutesOf, weekdays, type BusinessHours } from './business-hours.js'
import { publicHolidays, type Span } from './public-holidays.js'

/**
 * The open spans of one local day, as instants, sorted and merged. Every span lies within the day
 * (`24:00` is the next midnight), so an instant is open exactly when a span of its own local day
 * holds it. An open date replaces the day's hours and ignores holidays; a closed date closes it;
 * otherwise the weekly hours, less the country's public holidays.
 */
export function openingSpansOn(hours: BusinessHours, day: DateTime): Span[] {
  const date = day.toISODate()!
  const special = hours.openDates.find((d) => d.date === date)
  const ranges = special
    ? special.hours
    : hours.closedDates.includes(date)
      ? []
      : (hours.weekly[weekdays[day.weekday - 1]!] ?? [])
  let spans = ranges
    .map(([from, to]): Span => [localInstant(day, from), localInstant(day, to)])
    .filter(([start, end]) => end > start)
  if (!special && hours.holidayCountry && spans.length > 0) {
    const holidays = [day.year - 1, day.year, day.year + 1].flatMap((y) => publicHolidays(hours.holidayCountry!, y))
    spans = withoutSpans(spans, holidays)
  }
  return merged(spans)
}

/** The instant of a local `HH:MM` (or `24:00`) on a day; a time skipped by a DST change moves forward. */
function localInstant(day: DateTime, time: string): number {
  const minutes = minutesOf(time)
  if (minutes === 1440) return day.plus({ days: 1 }).startOf('day').toMillis()
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: day.zone },
  ).toMillis()
}

function withoutSpans(spans: Span[], cuts: Span[]): Span[] {
  let rest = spans
  for (const [cutStart, cutEnd] of cuts) {
    rest = rest.flatMap(([start, end]): Span[] => {
      if (cutEnd <= start || cutStart >= end) return [[start, end]]
      const kept: Span[] = []
      if (cutStart > start) kept.push([start, cutStart])
      if (cutEnd < end) kept.push([cutEnd, end])
      return kept
    })
  }
  return rest
}

function merged(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  for (const [start, end] of sorted) {
    const last = out.at(-1)
    if (last && start <= last[1]) last[1] = Math.max(last[1], end)
    else out.push([start, end])
  }
  return out
}
