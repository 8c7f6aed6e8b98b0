/** The callback shapes the console reads (core/src/callbacks: GET /api/v1/callbacks…). */
export type CallbackStatus = 'scheduled' | 'due' | 'assigned' | 'completed' | 'failed' | 'cancelled'
export type CallbackOutcome = 'completed' | 'no-answer' | 'busy' | 'voicemail' | 'wrong-number' | 'declined'
export type CallbackMode = 'voice' | 'message'

export const CALLBACK_STATUSES: CallbackStatus[] = ['scheduled', 'due', 'assigned', 'completed', 'failed', 'cancelled']
export const CALLBACK_OUTCOMES: CallbackOutcome[] = [
  'completed',
  'no-answer',
  'busy',
  'voicemail',
  'wrong-number',
  'declined',
]

export interface CallbackAttempt {
  at: string
  agentId: string | null
  /** an outcome, or `missed` when the window ended first */
  outcome: string
  note: string
  attempt: number
}

export interface CallbackRow {
  id: string
  contactId: string | null
  contact: { name: string | null; language: string | null } | null
  conversationId: string | null
  ticketId: number | null
  queueId: string | null
  mode: CallbackMode
  /** as the API gives it: in full for those who place the call, masked otherwise */
  phone: string | null
  phoneMasked: boolean
  note: string
  source: string
  status: CallbackStatus
  priority: number
  /** the place in line it keeps (a queue offer) */
  queuedAt: string | null
  windowStart: string
  windowEnd: string | null
  dueAt: string
  attempts: number
  maxAttempts: number
  retryMinutes: number
  assigneeId: string | null
  outcome: string | null
  history: CallbackAttempt[]
  createdAt: string
  completedAt: string | null
}

export const callbackTone: Record<CallbackStatus, string> = {
  scheduled: 'badge-info',
  due: 'badge-warning',
  assigned: 'badge-primary',
  completed: 'badge-success',
  failed: 'badge-danger',
  cancelled: '',
}

/** Open callbacks first, the soonest due first; finished ones after, newest first. */
export function byDue(a: CallbackRow, b: CallbackRow): number {
  const open = (c: CallbackRow) => c.status === 'scheduled' || c.status === 'due' || c.status === 'assigned'
  if (open(a) !== open(b)) return open(a) ? -1 : 1
  if (open(a)) return Date.parse(a.dueAt) - Date.parse(b.dueAt)
  return Date.parse(b.completedAt ?? b.dueAt) - Date.parse(a.completedAt ?? a.dueAt)
}
