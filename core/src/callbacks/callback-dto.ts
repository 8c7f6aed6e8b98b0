import { z } from 'zod'

export const CALLBACK_MODES = ['voice', 'message'] as const
export type CallbackMode = (typeof CALLBACK_MODES)[number]

/** flow: a flow node; queue-offer: a queued customer took the offer; chat/agent: an agent; api: an API token */
export type CallbackSource = 'flow' | 'queue-offer' | 'chat' | 'agent' | 'api'

export const CALLBACK_STATUSES = ['scheduled', 'due', 'assigned', 'completed', 'failed', 'cancelled'] as const
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number]
/** the callback is still to be made: a second one for the same conversation is refused meanwhile */
export const ACTIVE_STATUSES: CallbackStatus[] = ['scheduled', 'due', 'assigned']

export const CALLBACK_OUTCOMES = ['completed', 'no-answer', 'busy', 'voicemail', 'wrong-number', 'declined'] as const
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number]
/** outcomes after which another attempt is worth it (while attempts and the window last) */
export const RETRYABLE_OUTCOMES: readonly string[] = ['no-answer', 'busy', 'voicemail']
/** recorded by the server when the window ended before the callback was completed */
export const MISSED_OUTCOME = 'missed'

const time = z.iso.datetime({ offset: true })
const note = z.string().trim().max(1000)
const phone = z.string().trim().min(3).max(40).describe('the number to call; the contact’s phone when not given')
const mode = z.enum(CALLBACK_MODES)
const attemptSettings = {
  priority: z.number().int().min(0).max(100).optional().describe('its priority in the queue (default 0)'),
  maxAttempts: z.number().int().min(1).max(10).default(2).describe('attempts before it fails (default 2)'),
  retryMinutes: z
    .number()
    .int()
    .min(1)
    .max(1440)
    .default(30)
    .describe('the first retry this long after a missed attempt; each later one waits twice as long'),
}

export const createCallbackInput = z.strictObject({
  contactId: z.string().min(1).max(64).optional().describe('whom to call back (or give conversationId)'),
  conversationId: z.string().min(1).max(64).optional().describe('the conversation it belongs to'),
  queue: z.string().min(1).max(100).optional().describe('queue id or name; the conversation’s queue when not given'),
  mode: mode.default('voice').describe('voice: an agent calls the number; message: on the customer’s channel'),
  phone: phone.optional(),
  note: note.default(''),
  windowStart: time.optional().describe('not before this time (ISO); now when not given'),
  windowEnd: time.optional().describe('not after this time (ISO); without it the promise has no end'),
  ...attemptSettings,
})
export type CreateCallbackInput = z.input<typeof createCallbackInput>

export const callbackOfferInput = z.strictObject({
  phone: phone.optional(),
  note: note.default(''),
  mode: mode.optional().describe('voice when a phone number is known or the conversation is a call; otherwise message'),
  queue: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('queue id or name, for a conversation that is in none; the conversation’s queue otherwise'),
  windowStart: time.optional().describe('not before this time; now (the customer keeps their place) when not given'),
  windowEnd: time.optional(),
  ...attemptSettings,
})
export type CallbackOfferInput = z.input<typeof callbackOfferInput>

export const updateCallbackInput = z
  .strictObject({
    windowStart: time.describe('reschedule: not before this time'),
    windowEnd: time.nullable().describe('the window’s new end, or null for none'),
    note,
    phone: phone.nullable(),
    status: z.literal('cancelled').describe('cancel the callback'),
    maxAttempts: attemptSettings.maxAttempts.unwrap(),
    retryMinutes: attemptSettings.retryMinutes.unwrap(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
export type UpdateCallbackInput = z.infer<typeof updateCallbackInput>

export const outcomeInput = z.strictObject({
  outcome: z.enum(CALLBACK_OUTCOMES),
  note: note.default(''),
})
export type OutcomeInput = z.input<typeof outcomeInput>

const statusList = z
  .string()
  .max(200)
  .transform((s) => s.split(',').map((x) => x.trim()))
  .pipe(z.array(z.enum(CALLBACK_STATUSES)).min(1))

export const listCallbacksQuery = z.strictObject({
  status: statusList.optional().describe('one status or several, comma-separated (e.g. due,assigned)'),
  assignee: z.string().max(64).optional().describe('`me`, or a user id'),
  from: time.optional().describe('due at or after this time'),
  to: time.optional().describe('due before this time'),
  queueId: z.string().max(64).optional(),
  contactId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
export type ListCallbacksQuery = z.infer<typeof listCallbacksQuery>

export const historyEntryDto = z.object({
  at: z.string(),
  agentId: z.string().nullable(),
  outcome: z.string(),
  note: z.string(),
  attempt: z.number(),
})
export type HistoryEntry = z.infer<typeof historyEntryDto>

export const callbackDto = z.object({
  id: z.string(),
  contactId: z.string().nullable(),
  contact: z.object({ name: z.string().nullable(), language: z.string().nullable() }).nullable(),
  conversationId: z.string().nullable(),
  ticketId: z.number().nullable(),
  queueId: z.string().nullable(),
  mode: z.string().describe('voice | message'),
  phone: z.string().nullable().describe('the number to call; masked (+86*******5678) when `phoneMasked`'),
  phoneMasked: z.boolean().describe('true for agents the callback is not (yet) theirs'),
  note: z.string(),
  source: z.string().describe('flow | queue-offer | chat | agent | api'),
  status: z.string().describe('scheduled | due | assigned | completed | failed | cancelled'),
  priority: z.number(),
  queuedAt: z.date().nullable().describe('the place in line it keeps (a queue offer)'),
  windowStart: z.date(),
  windowEnd: z.date().nullable(),
  dueAt: z.date().describe('the next attempt'),
  attempts: z.number(),
  maxAttempts: z.number(),
  retryMinutes: z.number(),
  assigneeId: z.string().nullable(),
  outcome: z.string().nullable(),
  history: z.array(historyEntryDto),
  createdById: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  completedAt: z.date().nullable(),
})
export type CallbackView = z.infer<typeof callbackDto>
