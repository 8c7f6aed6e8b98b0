/** <input type="datetime-local"> speaks "YYYY-MM-DDTHH:mm" in the browser's time zone; the API speaks ISO. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

export function fromLocalInput(value: string): string | null {
  if (!value) return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** The next quarter hour at least `minutes` from now. */
export function nextSlot(now: Date, minutes = 60): Date {
  const at = new Date(now.getTime() + minutes * 60_000)
  at.setSeconds(0, 0)
  at.setMinutes(Math.ceil(at.getMinutes() / 15) * 15)
  return at
}

/** Tomorrow at 09:00 local time. */
export function tomorrowMorning(now: Date): Date {
  const at = new Date(now)
  at.setDate(at.getDate() + 1)
  at.setHours(9, 0, 0, 0)
  return at
}
