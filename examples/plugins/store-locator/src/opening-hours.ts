import type { ListedStore, Weekday } from './store-list.js'

const weekdays: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

/** The weekday and minute of the day at `at`, in the stores' time zone. */
export function localTime(at: Date, utcOffsetHours: number): { day: Weekday; minute: number } {
  const local = new Date(at.getTime() + utcOffsetHours * 3_600_000)
  return { day: weekdays[local.getUTCDay()]!, minute: local.getUTCHours() * 60 + local.getUTCMinutes() }
}

function previousDay(day: Weekday): Weekday {
  return weekdays[(weekdays.indexOf(day) + 6) % 7]!
}

const toMinute = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** "10:00-14:00, 17:00-02:00" → minute ranges; a range past midnight ends the next day. */
function ranges(hours: string | undefined): Array<[number, number]> {
  return (hours ?? '')
    .split(',')
    .map((part) => /^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(part))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [toMinute(m[1]!), toMinute(m[2]!)])
}

/** Whether the store is open at that local time, counting last night's hours past midnight. */
export function isOpen(store: ListedStore, time: { day: Weekday; minute: number }): boolean {
  const today = ranges(store.openingHours[time.day]).some(([open, close]) =>
    close > open ? time.minute >= open && time.minute < close : time.minute >= open,
  )
  const lastNight = ranges(store.openingHours[previousDay(time.day)]).some(
    ([open, close]) => close <= open && time.minute < close,
  )
  return today || lastNight
}

/** Today's hours as the shop wrote them, or null when it is closed all day. */
export function hoursOn(store: ListedStore, day: Weekday): string | null {
  const hours = store.openingHours[day]?.trim()
  return hours ? hours : null
}
