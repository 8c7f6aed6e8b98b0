import type { BusinessHours, TimeRange, Weekday } from '../admin-types'
import { WEEKDAYS } from '../admin-types'

/** Mon–Fri 09:00–18:00 in the browser's time zone: where a new schedule starts. */
export function defaultBusinessHours(): BusinessHours {
  const nine: TimeRange[] = [['09:00', '18:00']]
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai'
  return {
    timezone,
    weekly: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine },
    holidayCountry: timezone === 'Asia/Shanghai' ? 'CN' : undefined,
    closedDates: [],
    openDates: [],
  }
}

/** A deep copy with every weekday present (an empty list for a closed day), so the editor can bind to it. */
export function editableHours(hours: BusinessHours): BusinessHours {
  const weekly = Object.fromEntries(
    WEEKDAYS.map((d) => [d, (hours.weekly[d] ?? []).map(([a, b]) => [a, b] as TimeRange)]),
  ) as Record<Weekday, TimeRange[]>
  return {
    timezone: hours.timezone,
    weekly,
    holidayCountry: hours.holidayCountry,
    closedDates: [...(hours.closedDates ?? [])],
    openDates: (hours.openDates ?? []).map((d) => ({
      date: d.date,
      hours: d.hours.map(([a, b]) => [a, b] as TimeRange),
    })),
  }
}

/** The document as the API takes it: closed days left out, no empty holiday country. */
export function hoursForApi(hours: BusinessHours): BusinessHours {
  const weekly: BusinessHours['weekly'] = {}
  for (const d of WEEKDAYS) if (hours.weekly[d]?.length) weekly[d] = hours.weekly[d]
  return {
    timezone: hours.timezone,
    weekly,
    ...(hours.holidayCountry ? { holidayCountry: hours.holidayCountry } : {}),
    closedDates: [...hours.closedDates].sort(),
    openDates: [...hours.openDates].sort((a, b) => a.date.localeCompare(b.date)),
  }
}

/** Every IANA time zone the browser knows (the server checks with the same database). */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] }
  const zones = intl.supportedValuesOf?.('timeZone') ?? []
  return zones.includes('UTC') ? zones : ['UTC', ...zones]
}

/** Countries with a public-holiday calendar that shops using this most often pick. */
export const HOLIDAY_COUNTRIES = ['CN', 'HK', 'MO', 'TW', 'SG', 'MY', 'JP', 'KR', 'US', 'GB', 'DE', 'FR', 'AU', 'CA']
