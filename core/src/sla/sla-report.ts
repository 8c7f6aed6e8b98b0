import type { Db } from '../storage/index.js'
import { targetMs, UNFINISHED, usedAt, type ClockRow } from './sla-clocks.js'
import type { ReportQuery, ReportRow, SlaReport } from './sla-dto.js'
import type { Policy } from './sla-policies.js'

const MINUTE = 60_000

/** what a clock's group is read from: its ticket, or its conversation */
interface Subject {
  priority: string | null
  category: string | null
  teamId: string | null
}

type Outcome = 'met' | 'breached' | 'open'

/**
 * SLA attainment: the clocks of one metric started in [from, to), grouped, each counted as met
 * (done within its target, or within `withinMinutes` when given), breached (done late, or still
 * counting and already over) or open (still counting, within). Stopped clocks (the ticket was
 * closed unresolved) count only when they had breached. Attainment is met ÷ (met + breached);
 * median and p90 are the business minutes the done clocks took.
 */
export async function slaReport(
  db: Db,
  query: ReportQuery,
  now: Date,
  loadPolicy: (id: string | null) => Promise<Policy | null>,
  /** the teams the viewer oversees: a subject of another team is left out */
  teamInScope: (teamId: string | null) => boolean = () => true,
): Promise<SlaReport> {
  const from = new Date(query.from)
  const to = new Date(query.to)
  const clocks = await db.slaClock.findMany({
    where: {
      metric: query.metric,
      startedAt: { gte: from, lt: to },
      ...(query.subject === 'ticket' ? { ticketId: { not: null } } : { conversationId: { not: null } }),
      ...(query.policyId ? { policyId: query.policyId } : {}),
    },
  })
  const subjects = await subjectsOf(db, query.subject, clocks)
  const rows = new Map<string, { key: string | null; outcomes: Outcome[]; minutes: number[] }>()
  for (const clock of clocks) {
    const subject = subjects.get(clock.ticketId ?? clock.conversationId!)
    if (!subject) continue
    if (query.category && subject.category !== query.category) continue
    if (query.priority && subject.priority !== query.priority) continue
    if (query.teamId && subject.teamId !== query.teamId) continue
    if (!teamInScope(subject.teamId)) continue
    const within = query.withinMinutes ? query.withinMinutes * MINUTE : null
    const outcome = await outcomeOf(clock, within, now, loadPolicy)
    if (!outcome) continue
    const key = groupKey(query.groupBy, clock, subject)
    const row = rows.get(key ?? '\u0000') ?? { key, outcomes: [], minutes: [] }
    row.outcomes.push(outcome)
    if (clock.status === 'met') row.minutes.push(clock.usedBusinessMs / MINUTE)
    rows.set(key ?? '\u0000', row)
  }
  const labels = await labelsOf(
    db,
    query.groupBy,
    [...rows.values()].map((r) => r.key),
  )
  const out = [...rows.values()]
    .map((r) => summarize(r.key, labels(r.key), r.outcomes, r.minutes))
    .sort((a, b) => a.label.localeCompare(b.label))
  const all = [...rows.values()]
  return {
    from,
    to,
    metric: query.metric,
    groupBy: query.groupBy,
    subject: query.subject,
    withinMinutes: query.withinMinutes ?? null,
    rows: out,
    total: summarize(
      null,
      'all',
      all.flatMap((r) => r.outcomes),
      all.flatMap((r) => r.minutes),
    ),
  }
}

async function outcomeOf(
  clock: ClockRow,
  within: number | null,
  now: Date,
  loadPolicy: (id: string | null) => Promise<Policy | null>,
): Promise<Outcome | null> {
  const used = UNFINISHED.includes(clock.status)
    ? usedAt(clock, (await loadPolicy(clock.policyId))?.hours ?? null, now)
    : clock.usedBusinessMs
  // against its own target, a clock breached when its breach fired (at the due time, even if met then)
  const over = within === null ? clock.breachedAt !== null || used > targetMs(clock) : used > within
  if (clock.status === 'met') return over ? 'breached' : 'met'
  if (over) return 'breached'
  return clock.status === 'stopped' ? null : 'open'
}

function groupKey(groupBy: ReportQuery['groupBy'], clock: ClockRow, subject: Subject): string | null {
  if (groupBy === 'priority') return subject.priority
  if (groupBy === 'category') return subject.category
  if (groupBy === 'team') return subject.teamId
  return clock.policyId
}

async function subjectsOf(
  db: Db,
  kind: ReportQuery['subject'],
  clocks: ClockRow[],
): Promise<Map<string | number, Subject>> {
  if (kind === 'ticket') {
    const ids = [...new Set(clocks.map((c) => c.ticketId!))]
    const tickets = await db.ticket.findMany({
      where: { id: { in: ids } },
      select: { id: true, priority: true, category: true, teamId: true },
    })
    return new Map(tickets.map((t) => [t.id, { priority: t.priority, category: t.category, teamId: t.teamId }]))
  }
  const ids = [...new Set(clocks.map((c) => c.conversationId!))]
  const conversations = await db.conversation.findMany({
    where: { id: { in: ids } },
    select: { id: true, priority: true, intent: true, queue: { select: { teamId: true } } },
  })
  return new Map(
    conversations.map((c) => [
      c.id,
      { priority: String(c.priority), category: c.intent, teamId: c.queue?.teamId ?? null },
    ]),
  )
}

async function labelsOf(
  db: Db,
  groupBy: ReportQuery['groupBy'],
  keys: Array<string | null>,
): Promise<(key: string | null) => string> {
  const ids = keys.filter((k): k is string => k !== null)
  if (groupBy === 'team') {
    const teams = await db.team.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
    const names = new Map(teams.map((t) => [t.id, t.name]))
    return (key) => (key === null ? '(no team)' : (names.get(key) ?? key))
  }
  if (groupBy === 'policy') {
    const policies = await db.slaPolicy.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
    const names = new Map(policies.map((p) => [p.id, p.name]))
    return (key) => (key === null ? '(deleted policy)' : (names.get(key) ?? key))
  }
  return (key) => key ?? '(none)'
}

const oneDecimal = (n: number) => Math.round(n * 10) / 10

function summarize(key: string | null, label: string, outcomes: Outcome[], minutes: number[]): ReportRow {
  const met = outcomes.filter((o) => o === 'met').length
  const breached = outcomes.filter((o) => o === 'breached').length
  const sorted = [...minutes].sort((a, b) => a - b)
  const n = sorted.length
  const median = n === 0 ? null : n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
  // nearest rank: the smallest value at or above 90% of the done clocks
  const p90 = n === 0 ? null : sorted[Math.ceil(0.9 * n) - 1]!
  return {
    key,
    label,
    total: outcomes.length,
    met,
    breached,
    open: outcomes.filter((o) => o === 'open').length,
    attainmentPercent: met + breached === 0 ? null : oneDecimal((met / (met + breached)) * 100),
    medianMinutes: median === null ? null : oneDecimal(median),
    p90Minutes: p90 === null ? null : oneDecimal(p90),
  }
}

/** The report as CSV (one row per group, then the total), for spreadsheets. */
export function reportCsv(report: SlaReport): string {
  const cell = (v: string | number | null) => {
    // a label that a spreadsheet would run as a formula is kept as text
    const text = v === null ? '' : typeof v === 'string' && /^[=+\-@]/.test(v) ? `'${v}` : String(v)
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
  }
  const header = ['group', 'total', 'met', 'breached', 'open', 'attainmentPercent', 'medianMinutes', 'p90Minutes']
  const line = (r: ReportRow) =>
    [r.label, r.total, r.met, r.breached, r.open, r.attainmentPercent, r.medianMinutes, r.p90Minutes]
      .map(cell)
      .join(',')
  return [header.join(','), ...report.rows.map(line), line(report.total)].join('\r\n') + '\r\n'
}
