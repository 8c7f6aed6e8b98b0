import type { DayWindow } from './day-window.js'

/** One conversation opened today, as the day's figures need it. */
export interface DayConversation {
  channel: string
  status: string
  intent: string | null
  createdAt: Date
  /** when it (last) entered a queue: it asked for an agent */
  queuedAt: Date | null
  /** when it was (last) given to an agent */
  assignedAt: Date | null
  resolvedAt: Date | null
  /** the visitor's stars (1…5) from Conversation.attributes.rating, if they rated */
  rating: number | null
  /** the first reply an agent sent in it, if any */
  firstAgentReplyAt: Date | null
}

export interface DurationSummary {
  /** how many conversations the figure is made of */
  count: number
  averageMs: number | null
  p90Ms: number | null
}

export interface TodayStats {
  timeZone: string
  date: string
  from: Date
  to: Date
  /** conversations opened today */
  total: number
  byChannel: Array<{ channel: string; count: number }>
  /** 24 entries, hour 0…23 in the time zone, with the count per channel */
  byHour: Array<{ hour: number; total: number; byChannel: Record<string, number> }>
  /** conversations that asked for an agent (were queued) */
  askedForAgent: number
  /** …and reached one (were assigned) */
  answered: number
  /** answered / askedForAgent; null when nobody asked */
  answerRate: number | null
  resolved: number
  /** resolved / total; null when there were none */
  resolutionRate: number | null
  /** from entering the queue to being assigned */
  wait: DurationSummary
  /** from entering the queue to the agent's first reply */
  firstResponse: DurationSummary
  /** null when nobody rated today's conversations */
  csat: { responses: number; averageStars: number; satisfiedRate: number } | null
  topIntents: Array<{ intent: string; count: number }>
  /** true when the day had more conversations than were read (the figures cover the first ones) */
  truncated: boolean
}

const TOP_INTENTS = 8

/**
 * The day's figures from the conversations opened in it (their later fate counts: a conversation
 * opened this morning and resolved this afternoon is one resolved today). Pure: no clock, no I/O.
 */
export function summarizeDay(window: DayWindow, rows: readonly DayConversation[], truncated = false): TodayStats {
  const byChannel = new Map<string, number>()
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, total: 0, byChannel: {} as Record<string, number> }))
  const intents = new Map<string, number>()
  const waits: number[] = []
  const firstResponses: number[] = []
  const ratings: number[] = []
  let askedForAgent = 0
  let answered = 0
  let resolved = 0

  for (const row of rows) {
    byChannel.set(row.channel, (byChannel.get(row.channel) ?? 0) + 1)
    const bucket = byHour[window.hourOf(row.createdAt)]!
    bucket.total++
    bucket.byChannel[row.channel] = (bucket.byChannel[row.channel] ?? 0) + 1
    if (row.intent) intents.set(row.intent, (intents.get(row.intent) ?? 0) + 1)
    if (row.status === 'resolved' && row.resolvedAt) resolved++
    if (row.rating !== null) ratings.push(row.rating)
    if (!row.queuedAt) continue
    askedForAgent++
    if (!row.assignedAt) continue
    answered++
    const wait = row.assignedAt.getTime() - row.queuedAt.getTime()
    if (wait >= 0) waits.push(wait)
    // a reply before the (last) queueing belongs to an earlier hand-off: not this one's first response
    const reply = row.firstAgentReplyAt ? row.firstAgentReplyAt.getTime() - row.queuedAt.getTime() : -1
    if (reply >= 0) firstResponses.push(reply)
  }

  return {
    timeZone: window.timeZone,
    date: window.date,
    from: window.start,
    to: window.end,
    total: rows.length,
    byChannel: [...byChannel].map(([channel, count]) => ({ channel, count })).sort(byCountThenName('channel')),
    byHour,
    askedForAgent,
    answered,
    answerRate: askedForAgent ? answered / askedForAgent : null,
    resolved,
    resolutionRate: rows.length ? resolved / rows.length : null,
    wait: summarizeDurations(waits),
    firstResponse: summarizeDurations(firstResponses),
    csat: ratings.length
      ? {
          responses: ratings.length,
          averageStars: ratings.reduce((a, b) => a + b, 0) / ratings.length,
          satisfiedRate: ratings.filter((r) => r >= 4).length / ratings.length,
        }
      : null,
    topIntents: [...intents]
      .map(([intent, count]) => ({ intent, count }))
      .sort(byCountThenName('intent'))
      .slice(0, TOP_INTENTS),
    truncated,
  }
}

/** Average and 90th percentile (nearest rank: the smallest value with at least 90 % at or below it). */
export function summarizeDurations(values: readonly number[]): DurationSummary {
  if (values.length === 0) return { count: 0, averageMs: null, p90Ms: null }
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil(0.9 * sorted.length)
  return {
    count: sorted.length,
    averageMs: Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    p90Ms: sorted[rank - 1]!,
  }
}

function byCountThenName<K extends string>(key: K) {
  return (a: Record<K, string> & { count: number }, b: Record<K, string> & { count: number }) =>
    b.count - a.count || a[key].localeCompare(b[key])
}
