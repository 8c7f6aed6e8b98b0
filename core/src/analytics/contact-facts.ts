/**
 * One conversation as the metrics see it: when it arrived, whether it asked for an agent, was
 * answered or abandoned, how long it waited and was handled, whether the bot contained it, whether
 * the customer had to come back, how they rated it and whether its SLA was met. Every metric is a
 * count or a duration over these facts (docs/metrics.md gives each formula).
 */
export interface ContactFact {
  conversationId: string
  contactId: string
  channel: string
  queueId: string | null
  intent: string | null
  /** the agent who handled it (the current or last assignee) */
  agentId: string | null
  createdAt: Date
  queuedAt: Date | null
  assignedAt: Date | null
  firstAgentReplyAt: Date | null
  resolvedAt: Date | null
  status: string
  /** CSAT 1–5 from a follow-up survey, else the web chat's end-of-chat stars */
  csat: number | null
  /** whether a ticket was opened from or linked to it */
  hasTicket: boolean
  /** its first-response SLA: met, breached, or none measured */
  sla: 'met' | 'breached' | null
  /** when the same contact opened its next conversation (same intent when it has one), if they did */
  nextContactAt: Date | null
}

/** how long after a resolution a new contact about the same thing still counts as "came back" */
export const FCR_WINDOW_MS = 7 * 86_400_000

export const isQueued = (f: ContactFact) => f.queuedAt !== null
export const isAnswered = (f: ContactFact) => f.queuedAt !== null && f.assignedAt !== null
/** asked for an agent and ended before reaching one (the customer left, or it was closed while waiting) */
export const isAbandoned = (f: ContactFact) => f.queuedAt !== null && f.assignedAt === null && f.status === 'resolved'
export const isResolved = (f: ContactFact) => f.status === 'resolved' && f.resolvedAt !== null
/** resolved without ever asking for an agent: the bot (or self-service) handled it */
export const isContained = (f: ContactFact) => isResolved(f) && f.queuedAt === null

/**
 * First-contact resolution is decided once the window after the resolution has passed: resolved,
 * no ticket, and the contact did not come back within it. null while still undecided.
 */
export function firstContactResolved(f: ContactFact, now: Date): boolean | null {
  if (!isResolved(f)) return null
  const windowEnd = f.resolvedAt!.getTime() + FCR_WINDOW_MS
  const cameBack = f.nextContactAt !== null && f.nextContactAt.getTime() <= windowEnd
  if (cameBack || f.hasTicket) return false
  return windowEnd <= now.getTime() ? true : null
}

export const waitMs = (f: ContactFact) => (isAnswered(f) ? f.assignedAt!.getTime() - f.queuedAt!.getTime() : null)
export const abandonAfterMs = (f: ContactFact) =>
  isAbandoned(f) ? f.resolvedAt!.getTime() - f.queuedAt!.getTime() : null
export const handleMs = (f: ContactFact) =>
  isAnswered(f) && f.resolvedAt ? f.resolvedAt.getTime() - f.assignedAt!.getTime() : null
/** from entering the queue to the agent's first reply (a reply before the queueing belongs to an earlier hand-off) */
export const firstResponseMs = (f: ContactFact) => {
  if (!isAnswered(f) || !f.firstAgentReplyAt) return null
  const ms = f.firstAgentReplyAt.getTime() - f.queuedAt!.getTime()
  return ms >= 0 ? ms : null
}

/** The stars of a conversation's rating attribute (the web chat's end-of-chat rating), if valid. */
export function ratingOf(attributes: unknown): number | null {
  const rating = (attributes as { rating?: unknown } | null)?.rating
  return typeof rating === 'number' && Number.isFinite(rating) && rating >= 1 && rating <= 5 ? rating : null
}
