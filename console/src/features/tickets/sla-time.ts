/** How the console words the time left on an SLA clock: "2 d 3 h", "1 h 05 min", "12 min", "<1 min". */
export interface SpanParts {
  days: number
  hours: number
  minutes: number
}

export function spanParts(ms: number): SpanParts {
  const minutes = Math.floor(Math.abs(ms) / 60_000)
  return { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 }
}

/** The translation key and its values for a span (keys under `tickets.span`). */
export function spanKey(ms: number): { key: string; values: Record<string, number | string> } {
  const { days, hours, minutes } = spanParts(ms)
  if (days > 0) return { key: 'tickets.span.dh', values: { d: days, h: hours } }
  if (hours > 0) return { key: 'tickets.span.hm', values: { h: hours, m: String(minutes).padStart(2, '0') } }
  if (minutes > 0) return { key: 'tickets.span.m', values: { m: minutes } }
  return { key: 'tickets.span.lessThanMinute', values: {} }
}

export type SlaTone = 'ok' | 'warning' | 'breached' | 'met' | 'none'

/**
 * The badge's tone: the server's state, except that a clock whose due time has passed while the page
 * was open already shows as breached (the server's job will say the same a moment later).
 */
export function slaTone(state: string | null | undefined, dueAt: string | null | undefined, now: number): SlaTone {
  if (state === 'met') return 'met'
  if (state === 'breached') return 'breached'
  if (state === 'warning' || state === 'ok') {
    if (dueAt && Date.parse(dueAt) <= now) return 'breached'
    return state
  }
  return 'none'
}
