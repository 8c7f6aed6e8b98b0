/**
 * Scheduled and actual agents per interval: pure arithmetic over shifts and the presence log.
 * Both are time-weighted averages over the interval, so a shift that covers half of an hour
 * counts 0.5 for it, and an agent available for 45 minutes of it counts 0.75.
 */

/** The presences in which an agent is working: taking work, on work, or wrapping it up. */
export const WORKING_PRESENCES: ReadonlySet<string> = new Set(['available', 'busy', 'after-call-work'])

export interface StaffingInterval {
  start: Date
  end: Date
}

export interface ShiftSpan {
  userId: string
  startsAt: Date
  endsAt: Date
}

export interface PresenceChange {
  userId: string
  presence: string
  at: Date
}

const overlapMs = (aStart: number, aEnd: number, bStart: number, bEnd: number) =>
  Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart))

const round2 = (value: number) => Math.round(value * 100) / 100

/** Scheduled agents per interval: the shifts' overlap with it divided by its length, summed. */
export function scheduledAgents(shifts: ShiftSpan[], intervals: StaffingInterval[]): number[] {
  return intervals.map(({ start, end }) => {
    const s = start.getTime()
    const e = end.getTime()
    let covered = 0
    for (const shift of shifts) covered += overlapMs(s, e, shift.startsAt.getTime(), shift.endsAt.getTime())
    return round2(covered / (e - s))
  })
}

/**
 * Actual agents per interval from the presence log: the time each agent spent in a working
 * presence during the interval (up to `now`), divided by the interval's elapsed length. An
 * agent's presence before their first change in the log is `before.get(userId)` (their last
 * change before the range), or not working when the log knows nothing earlier. Intervals that
 * start at or after `now` have no actual figure (null).
 */
export function actualAgents(
  changes: PresenceChange[],
  before: ReadonlyMap<string, string>,
  intervals: StaffingInterval[],
  now: Date,
): Array<number | null> {
  const byAgent = new Map<string, PresenceChange[]>()
  for (const change of changes) {
    const list = byAgent.get(change.userId) ?? []
    list.push(change)
    byAgent.set(change.userId, list)
  }
  for (const userId of before.keys()) if (!byAgent.has(userId)) byAgent.set(userId, [])
  // each agent's working spans [from, to)
  const spans: Array<[number, number]> = []
  const nowMs = now.getTime()
  for (const [userId, list] of byAgent) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime())
    let working = WORKING_PRESENCES.has(before.get(userId) ?? 'offline')
    let since = Number.NEGATIVE_INFINITY
    for (const change of list) {
      const at = change.at.getTime()
      const next = WORKING_PRESENCES.has(change.presence)
      if (working && !next) spans.push([since, at])
      if (!working && next) since = at
      working = next
    }
    if (working) spans.push([since, nowMs])
  }
  return intervals.map(({ start, end }) => {
    const s = start.getTime()
    const e = Math.min(end.getTime(), nowMs)
    if (e <= s) return null
    let worked = 0
    for (const [from, to] of spans) worked += overlapMs(s, e, from, to)
    return round2(worked / (e - s))
  })
}
