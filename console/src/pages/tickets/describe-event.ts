/**
 * How a line of a ticket's history reads: which icon and tone, the changes it made (field: from → to)
 * and the reason or detail worth quoting. The wording is the page's (translation keys under
 * `tickets.history`); this only takes the event's `data` apart, whatever of it is there.
 */
export interface Change {
  field: string
  from: unknown
  to: unknown
  /** the names the event kept beside ids (an escalation's teamName, assigneeName) */
  fromLabel?: string
  toLabel?: string
}

export interface DescribedEvent {
  icon: string
  tone: 'neutral' | 'primary' | 'warning' | 'danger' | 'success' | 'info'
  changes: Change[]
  reason: string | null
  /** the headline's translation key under tickets.history.kinds (dots made underscores) */
  headline: string
  /** the ticket this one was merged into / from, or split into / from */
  otherTicket: number | null
  conversationId: string | null
  metric: string | null
  score: number | null
  /** csat | nps, for a survey answer */
  scale: string | null
  outcome: string | null
}

const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** Escalations and SLA events keep the owner fields; a change of one of these is worth a line. */
const OWNER_FIELDS = ['tier', 'teamId', 'assigneeId', 'priority', 'status']

function changesOf(data: Record<string, unknown>): Change[] {
  // {changes: {status: {from, to}}}
  const changes = record(data.changes)
  const listed = Object.entries(changes).map(([field, value]) => {
    const c = record(value)
    return { field, from: c.from ?? null, to: c.to ?? null }
  })
  if (listed.length) return listed
  // {from: {tier, teamId…}, to: {tier, teamId…}}
  const from = record(data.from)
  const to = record(data.to)
  const fields = new Set([...Object.keys(from), ...Object.keys(to)])
  const label = (side: Record<string, unknown>, field: string) => text(side[field.replace(/Id$/, 'Name')]) ?? undefined
  return [...fields]
    .filter((f) => OWNER_FIELDS.includes(f) || !f.endsWith('Name'))
    .filter((f) => (from[f] ?? null) !== (to[f] ?? null))
    .map((field) => {
      const change: Change = { field, from: from[field] ?? null, to: to[field] ?? null }
      const fromLabel = field.endsWith('Id') ? label(from, field) : undefined
      const toLabel = field.endsWith('Id') ? label(to, field) : undefined
      if (fromLabel) change.fromLabel = fromLabel
      if (toLabel) change.toLabel = toLabel
      return change
    })
}

export function describeEvent(kind: string, rawData: unknown): DescribedEvent {
  const data = record(rawData)
  const base: DescribedEvent = {
    headline: kind.replace(/\./g, '_'),
    icon: 'history',
    tone: 'neutral',
    changes: [],
    reason: text(data.reason) ?? text(data.comment),
    otherTicket: null,
    conversationId: text(data.conversationId),
    metric: text(data.metric),
    score: num(data.score),
    scale: text(data.kind),
    outcome: text(data.outcome),
  }
  switch (kind) {
    case 'created': {
      const splitFrom = num(data.splitFrom) ?? num(data.splitFromId)
      return splitFrom
        ? { ...base, headline: 'createdSplit', icon: 'merge', tone: 'primary', otherTicket: splitFrom }
        : { ...base, icon: 'plus', tone: 'primary' }
    }
    case 'escalated':
      return { ...base, icon: 'transfer', tone: 'warning', changes: changesOf(data) }
    case 'updated':
    case 'assigned':
      return { ...base, icon: kind === 'assigned' ? 'user' : 'edit', changes: changesOf(data) }
    case 'reopened': {
      // {reason, from: 'resolved'}: the status it left
      const from = text(data.from)
      const changes = from ? [{ field: 'status', from, to: 'open' }] : changesOf(data)
      return { ...base, icon: 'refresh', tone: 'info', changes }
    }
    case 'linked':
      return { ...base, icon: 'chat' }
    case 'merged': {
      const into = num(data.intoId)
      const from = num(data.fromId)
      return {
        ...base,
        headline: into ? 'mergedInto' : from ? 'mergedFrom' : 'merged',
        icon: 'merge',
        tone: 'info',
        otherTicket: into ?? from,
      }
    }
    case 'split':
      return { ...base, headline: 'splitOff', icon: 'merge', tone: 'info', otherTicket: num(data.newTicketId) }
    case 'sla.warning':
      return { ...base, icon: 'clock', tone: 'warning' }
    case 'sla.breached':
      return { ...base, icon: 'alert', tone: 'danger' }
    case 'sla.met':
      return { ...base, icon: 'check', tone: data.late === true ? 'warning' : 'success' }
    case 'survey': {
      const low = data.low === true || (base.score !== null && base.scale !== 'nps' && base.score <= 2)
      return { ...base, icon: 'star', tone: low ? 'danger' : 'success' }
    }
    case 'callback':
      return { ...base, icon: 'phone', tone: 'info' }
    case 'note':
      return { ...base, icon: 'note', otherTicket: num(data.movedFrom) }
    default:
      return { ...base, changes: changesOf(data) }
  }
}
