import { businessHoursState, type BusinessHours } from '../calendar/index.js'

/**
 * The first instant at or after `at` when the queue is open: `at` itself when it is open (or has
 * no business hours), its next opening when closed; null when it does not open within the
 * calendar's horizon.
 */
export function openAtOrAfter(hours: BusinessHours | null, at: Date): Date | null {
  if (!hours) return at
  const state = businessHoursState(hours, at)
  return state.open ? at : state.nextChangeAt
}

/** The wait before attempt `attempts + 1`: retryMinutes, then twice as long after each further miss. */
export function retryDelayMs(retryMinutes: number, attempts: number): number {
  return retryMinutes * 60_000 * 2 ** Math.max(0, attempts - 1)
}

/** Whether a time still falls inside a window that may have no end. */
export function withinWindow(at: Date, windowEnd: Date | null): boolean {
  return windowEnd === null || at.getTime() < windowEnd.getTime()
}

/** "+8613812345678" → "+86*******5678": enough for a person to recognise, not to dial. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length)
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4)
}
