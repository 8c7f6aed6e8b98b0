/** The ticket shapes the console reads (core/src/tickets: GET /api/v1/tickets…). */
export type TicketStatus = 'open' | 'pending' | 'resolved' | 'closed'
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent'
export type TicketTier = 'L1' | 'L2' | 'L3'
/** the worst of a ticket's running SLA clocks (none: no policy applies) */
export type SlaState = 'none' | 'ok' | 'warning' | 'breached' | 'met'

export const TICKET_STATUSES: TicketStatus[] = ['open', 'pending', 'resolved', 'closed']
export const TICKET_PRIORITIES: TicketPriority[] = ['low', 'normal', 'high', 'urgent']
export const TICKET_TIERS: TicketTier[] = ['L1', 'L2', 'L3']

export interface NamedRef {
  id: string
  name: string
}

export interface TicketRow {
  id: number
  subject: string
  status: TicketStatus
  priority: TicketPriority
  category: string | null
  tier: TicketTier
  assignee: NamedRef | null
  team: NamedRef | null
  contact: { id: string; name: string | null } | null
  source: string
  /** the conversation it was created from */
  conversationId: string | null
  mergedIntoId: number | null
  slaState: SlaState
  slaDueAt: string | null
  version: number
  createdAt: string
  updatedAt: string
}

export type StatusCounts = Record<TicketStatus, number>

export interface TicketPage {
  items: TicketRow[]
  nextCursor: string | null
  counts: StatusCounts
}

export interface TicketConversationRef {
  id: string
  channel: string
  status: string
  createdAt: string
  lastMessageAt: string | null
  linkedAt: string
}

export interface TicketAttachment {
  id: string
  fileName: string
  mimeType: string
  size: number
  noteId: string | null
  uploadedBy: NamedRef | null
  createdAt: string
  /** where the console downloads it */
  url: string
}

export interface TicketDetail extends TicketRow {
  description: string
  contactId: string | null
  assigneeId: string | null
  teamId: string | null
  slaPolicyId: string | null
  contact: { id: string; name: string | null; language: string | null } | null
  statusUrl: string
  conversations: TicketConversationRef[]
  notesCount: number
  attachments: TicketAttachment[]
  resolvedAt: string | null
  closedAt: string | null
}

export interface TicketNote {
  id: string
  body: string
  author: NamedRef | null
  attachments: TicketAttachment[]
}

/** One line of a ticket's history: a change (created, escalated, an SLA warning…) or, for kind note, a note. */
export interface TicketHistoryItem {
  id: string
  /** the order among items of the same time */
  seq: number
  at: string
  /** created | updated | assigned | note | escalated | linked | merged | split | reopened | sla.* | survey | callback */
  kind: string
  actorId: string | null
  actorName: string
  data: unknown
  note: TicketNote | null
}

export interface SlaClockView {
  id: string
  metric: 'first_response' | 'next_response' | 'resolution'
  /** running | paused | met | breached | stopped */
  status: string
  ticketId: number | null
  conversationId: string | null
  targetMinutes: number
  startedAt: string
  /** when it breaches if nothing changes; null while paused or done */
  dueAt: string | null
  warnAt: string | null
  /** business time left before the target (negative: over it); null when done */
  remainingBusinessMs: number | null
  usedBusinessMs: number
  warnedAt: string | null
  breachedAt: string | null
  metAt: string | null
  policy: { id: string; name: string } | null
}

export interface TicketFilters {
  status: TicketStatus | ''
  assignee: '' | 'me' | 'none' | string
  teamId: string
  tier: TicketTier | ''
  priority: TicketPriority | ''
  sla: '' | 'warning' | 'breached'
  q: string
}

export interface CreateTicketInput {
  subject: string
  description?: string
  priority?: TicketPriority
  category?: string
  tier?: TicketTier
  teamId?: string
  assigneeId?: string
}

export interface TicketPatch {
  subject?: string
  description?: string
  status?: TicketStatus
  priority?: TicketPriority
  category?: string | null
  tier?: TicketTier
  teamId?: string | null
  assigneeId?: string | null
  version?: number
}

export interface EscalateInput {
  tier?: TicketTier
  teamId?: string
  assigneeId?: string
  priority?: TicketPriority
  reason: string
}

export const priorityTone: Record<TicketPriority, string> = {
  low: '',
  normal: 'badge-info',
  high: 'badge-warning',
  urgent: 'badge-danger',
}

export const statusTone: Record<TicketStatus, string> = {
  open: 'badge-primary',
  pending: 'badge-warning',
  resolved: 'badge-success',
  closed: '',
}
