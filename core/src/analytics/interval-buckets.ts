import { DateTime } from 'luxon'

export type Interval = 'hour' | 'day' | 'week'

/** The start of the interval an instant falls in, in a time zone (weeks start on Monday, ISO). */
export function bucketStart(at: Date, interval: Interval, timeZone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone })
  return local.startOf(interval === 'week' ? 'week' : interval).toISO({ suppressMilliseconds: true })!
}

/** Every interval start from `from` (inclusive) to `to` (exclusive), so quiet intervals appear with zeros. */
export function bucketStarts(from: Date, to: Date, interval: Interval, timeZone: string, max = 5000): string[] {
  const out: string[] = []
  let cursor = DateTime.fromJSDate(from, { zone: timeZone }).startOf(interval === 'week' ? 'week' : interval)
  const end = to.getTime()
  while (cursor.toMillis() < end && out.length < max) {
    out.push(cursor.toISO({ suppressMilliseconds: true })!)
    cursor = cursor.plus({ [`${interval}s`]: 1 })
  }
  return out
}
