import Holidays from 'date-holidays'
import { DateTime, IANAZone } from 'luxon'
import { z } from 'zod'

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof weekdays)[number]

const START = /^([01]\d|2[0-3]):[0-5]\d$/
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/
const DATE = /^\d{4}-\d\d-\d\d$/

/** Minutes since midnight of `HH:MM` (`24:00` is 1440). */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number)
  return hours! * 60 + minutes!
}

/**
 * One opening on a day, `[from, to)` in local time, e.g. `["09:00", "12:30"]`. `to` may be `24:00`
 * (midnight at the end of the day); a range past midnight is written as two, one on each day
 * (`["22:00", "24:00"]` on Monday, `["00:00", "06:00"]` on Tuesday), and counts as one opening.
 */
const timeRange = z
  .tuple([
    z.string().regex(START, 'a start time HH:MM from 00:00 to 23:59'),
    z.string().regex(END, 'an end time HH:MM from 00:01 to 24:00'),
  ])
  .refine(([from, to]) => !START.test(from) || !END.test(to) || minutesOf(to) > minutesOf(from), {
    error: (issue) => {
      const [from, to] = issue.input as [string, string]
      return `${from}–${to} ends before it starts; for hours past midnight write ${from}–24:00 on this day and 00:00–${to} on the next`
    },
  })

const dayHours = z.array(timeRange).max(6)

const calendarDate = z
  .string()
  .regex(DATE, 'a date YYYY-MM-DD')
  .refine((date) => !DATE.test(date) || DateTime.fromISO(date).isValid, {
    error: (issue) => `${String(issue.input)} is not a date of the calendar`,
  })

let holidayCountries: Set<string> | undefined
/** The countries date-holidays has a calendar of (ISO 3166-1 alpha-2). */
function holidayCountryKnown(code: string): boolean {
  holidayCountries ??= new Set(Object.keys(new Holidays().getCountries()))
  return holidayCountries.has(code)
}

/**
 * When something is open: weekly hours in a time zone, a country's public holidays closed, extra
 * closed dates, and extra open dates (make-up working days) that override both. The same document
 * serves the flows' business-hours node and the queues. Dates and hours are local to `timezone`.
 */
export const businessHoursSchema = z.strictObject({
  /** an IANA time zone, e.g. Asia/Shanghai or Europe/Berlin */
  timezone: z
    .string()
    .max(64)
    .refine((zone) => IANAZone.isValidZone(zone), {
      error: (issue) => `unknown time zone "${String(issue.input)}"; use an IANA name such as Asia/Shanghai`,
    })
    .default('Asia/Shanghai'),
  weekly: z.strictObject(
    Object.fromEntries(weekdays.map((d) => [d, dayHours.optional()])) as Record<
      Weekday,
      z.ZodOptional<typeof dayHours>
    >,
  ),
  /** public holidays of this country (ISO code, e.g. CN) count as closed */
  holidayCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a country code of two capital letters, e.g. CN')
    .refine((code) => !/^[A-Z]{2}$/.test(code) || holidayCountryKnown(code), {
      error: (issue) => `there is no public holiday calendar for "${String(issue.input)}"`,
    })
    .optional(),
  /** extra closed dates (YYYY-MM-DD) */
  closedDates: z.array(calendarDate).max(366).default([]),
  /** extra open dates that override the weekly hours and holidays, e.g. make-up working days */
  openDates: z
    .array(z.strictObject({ date: calendarDate, hours: dayHours }))
    .max(366)
    .default([]),
})
export type BusinessHours = z.output<typeof businessHoursSchema>
export type BusinessHoursInput = z.input<typeof businessHoursSchema>

/**
 * Business hours as stored (a JSON column): null when there are none (always open) or when the
 * stored value is not a valid document (written by hand, not through the API), which counts as
 * always open rather than stopping work.
 */
export function storedBusinessHours(value: unknown): BusinessHours | null {
  if (value === null || value === undefined) return null
  const parsed = businessHoursSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}
