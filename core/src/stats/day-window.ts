import { DateTime } from 'luxon'
import { ErrorCode, userError } from '../errors/index.js'

/** Today in a time zone: from local midnight to `now`, and the hour of day of an instant there. */
export interface DayWindow {
  timeZone: string
  /** the local date, e.g. 2026-11-21 */
  date: string
  start: Date
  end: Date
  /** 0…23 in the zone (the repeated hour of a DST change counts in the same bucket) */
  hourOf(at: Date): number
}

/** The server's own time zone: TZ, else what the operating system says. */
export function serverTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** Today so far in `timeZone` (an IANA name); a 400 naming the field for a zone Luxon does not know. */
export function dayWindow(timeZone: string, now: Date): DayWindow {
  const local = DateTime.fromJSDate(now, { zone: timeZone })
  if (!local.isValid)
    throw userError(ErrorCode.VALIDATION, `Invalid query: timeZone: "${timeZone}" is not an IANA time zone`, {
      status: 400,
      details: [
        { in: 'query', path: 'timeZone', message: `"${timeZone}" is not an IANA time zone, e.g. Asia/Shanghai` },
      ],
    })
  return {
    timeZone,
    date: local.toISODate()!,
    start: local.startOf('day').toJSDate(),
    end: now,
    hourOf: (at) => DateTime.fromJSDate(at, { zone: timeZone }).hour,
  }
}
