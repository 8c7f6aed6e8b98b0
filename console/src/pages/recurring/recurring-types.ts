/** The recurring-issues API's shapes (core/src/recurring: /api/v1/recurring-issues…). */
export type RecurringStatus = 'open' | 'acknowledged' | 'resolved'
export const RECURRING_STATUSES: RecurringStatus[] = ['open', 'acknowledged', 'resolved']

export interface Proposal {
  question: string
  answer: string
  kbEntryId: string | null
  appliedKbEntryId: string | null
  appliedAt: string | null
}

export interface RecurringIssue {
  id: string
  contactId: string
  issueKey: string
  label: string
  occurrences: number
  conversationIds: string[]
  ticketIds: number[]
  status: RecurringStatus
  proposal: Proposal
  raisedAt: string
  acknowledgedById: string | null
  acknowledgedAt: string | null
  updatedAt: string
}

/** A row of the list: the issue and its contact's name. */
export interface RecurringIssueListItem extends RecurringIssue {
  contactName: string | null
}

export interface RecurringIssueDetail extends RecurringIssue {
  contact: { id: string; name: string | null }
  conversations: Array<{
    id: string
    channel: string
    status: string
    intent: string | null
    createdAt: string
    resolvedAt: string | null
    agent: { id: string; name: string } | null
    firstMessage: string | null
    lastAgentReply: string | null
  }>
  tickets: Array<{ id: number; subject: string; status: string; category: string | null }>
}

export interface RecurringSettings {
  enabled: boolean
  threshold: number
  windowDays: number
  matchIntent: boolean
  matchCategory: boolean
  matchText: boolean
  textSimilarity: number
}

/** "intent:order-status" → { by: 'intent', value: 'order-status' } */
export function issueKind(issueKey: string): { by: 'intent' | 'category' | 'text' | 'other'; value: string } {
  const at = issueKey.indexOf(':')
  const by = at > 0 ? issueKey.slice(0, at) : ''
  const value = at > 0 ? issueKey.slice(at + 1) : issueKey
  return by === 'intent' || by === 'category' || by === 'text' ? { by, value } : { by: 'other', value }
}
