import { z } from 'zod'

export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export const TICKET_TIERS = ['L1', 'L2', 'L3'] as const
export const TICKET_SOURCES = ['agent', 'flow', 'api', 'email', 'survey', 'split'] as const
export const ESCALATION_TRIGGERS = ['manual', 'sla.warning', 'sla.breached', 'sentiment', 'customer-request'] as const

export type TicketStatus = (typeof TICKET_STATUSES)[number]
export type TicketPriority = (typeof TICKET_PRIORITIES)[number]
export type TicketTier = (typeof TICKET_TIERS)[number]
export type TicketSource = (typeof TICKET_SOURCES)[number]
export type EscalationTrigger = (typeof ESCALATION_TRIGGERS)[number]

const id = z.string().trim().min(1).max(64)
const subject = z.string().trim().min(1, 'give the ticket a subject').max(300)
const description = z.string().max(20_000)
const category = z.string().trim().min(1).max(100)

export const createTicketInput = z.strictObject({
  subject: subject.optional().describe('required unless a conversation is given (then its first message is used)'),
  description: description.optional(),
  priority: z.enum(TICKET_PRIORITIES).default('normal'),
  category: category.nullable().optional().describe('the intent or category, e.g. after-sales.defect'),
  tier: z.enum(TICKET_TIERS).default('L1'),
  teamId: id.nullable().optional(),
  assigneeId: id.nullable().optional(),
  contactId: id.nullable().optional().describe('taken from the conversation when one is given'),
  conversationId: id.nullable().optional().describe('the conversation it comes from: linked, and its contact taken'),
  source: z.enum(TICKET_SOURCES).default('agent'),
})
export type CreateTicketInput = z.input<typeof createTicketInput>

/** What `POST /api/v1/conversations/{id}/ticket` takes: the conversation is in the path. */
export const createFromConversationInput = createTicketInput.omit({
  conversationId: true,
  contactId: true,
  source: true,
})

export const updateTicketInput = z
  .strictObject({
    subject,
    description,
    status: z.enum(TICKET_STATUSES).describe('pending: waiting on the customer (SLA clocks pause)'),
    priority: z.enum(TICKET_PRIORITIES),
    category: category.nullable(),
    tier: z.enum(TICKET_TIERS),
    teamId: id.nullable(),
    assigneeId: id.nullable(),
    contactId: id.nullable(),
    version: z
      .number()
      .int()
      .min(0)
      .describe('the version you read: a newer one on the server answers 409 instead of overwriting it'),
  })
  .partial()
  .refine((v) => Object.keys(v).some((k) => k !== 'version'), 'give at least one field to change')
export type UpdateTicketInput = z.input<typeof updateTicketInput>

export const escalateTicketInput = z
  .strictObject({
    tier: z.enum(TICKET_TIERS).optional().describe('the tier it goes to; the next one up when not given'),
    teamId: id.nullable().optional().describe('the team that takes it over'),
    assigneeId: id.nullable().optional().describe('who takes it over; without one, the new team’s members are told'),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    reason: z.string().trim().min(1, 'say why it is escalated').max(2000),
    trigger: z.enum(ESCALATION_TRIGGERS).default('manual'),
  })
  .describe('who takes the ticket over and why')
export type EscalateTicketInput = z.input<typeof escalateTicketInput>

export const addNoteInput = z.strictObject({
  body: z.string().trim().min(1, 'write something').max(20_000),
  attachmentIds: z
    .array(id)
    .max(20)
    .optional()
    .describe('files uploaded to this ticket (POST …/attachments) that the note carries'),
})
export type AddNoteInput = z.input<typeof addNoteInput>

export const splitTicketInput = z.strictObject({
  subject,
  conversationIds: z.array(id).max(100).optional().describe('linked conversations that move to the new ticket'),
  noteIds: z.array(id).max(500).optional().describe('notes that move to the new ticket'),
})
export type SplitTicketInput = z.input<typeof splitTicketInput>

export const reopenTicketInput = z.strictObject({
  reason: z.string().trim().min(1, 'say why it is reopened').max(2000),
})

export const mergeTicketInput = z.strictObject({
  intoId: z.number().int().positive().describe('the ticket that stays open and receives this one'),
})

export const linkConversationInput = z.strictObject({ conversationId: id })

/** "open,pending" in a query string, or already a list (a caller in the server) */
const commaList = <T extends readonly [string, ...string[]]>(values: T) =>
  z.union([
    z.array(z.enum(values)).min(1),
    z
      .string()
      .max(200)
      .transform((s) =>
        s
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(values)).min(1)),
  ])

export const TICKET_SORTS = ['-updatedAt', 'updatedAt', '-createdAt', 'createdAt', 'slaDueAt'] as const

export const listTicketsQuery = z.strictObject({
  status: commaList(TICKET_STATUSES).optional().describe('e.g. open,pending'),
  assignee: z
    .union([z.enum(['me', 'none']), id])
    .optional()
    .describe('me, none (unassigned) or a user id'),
  teamId: id.optional().describe('a team id, or none'),
  tier: commaList(TICKET_TIERS).optional(),
  priority: commaList(TICKET_PRIORITIES).optional(),
  category: category.optional(),
  contactId: id.optional(),
  conversationId: id.optional().describe('tickets linked to this conversation'),
  q: z.string().trim().max(200).optional().describe('text in the subject, or a ticket number (12 or #12)'),
  sla: z.enum(['warning', 'breached']).optional().describe('only tickets whose SLA is at warning, or breached'),
  sort: z.enum(TICKET_SORTS).default('-updatedAt').describe('- first: newest first; slaDueAt: soonest due first'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional().describe('nextCursor of the previous page'),
})
export type ListTicketsQuery = z.infer<typeof listTicketsQuery>

const ref = z.object({ id: z.string(), name: z.string() })
const contactRef = z.object({ id: z.string(), name: z.string().nullable() })

export const ticketListItemDto = z.object({
  id: z.number().describe('the ticket number'),
  subject: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.string(),
  category: z.string().nullable(),
  tier: z.string(),
  source: z.string(),
  assignee: ref.nullable(),
  team: ref.nullable(),
  contact: contactRef.nullable(),
  conversationId: z.string().nullable().describe('the conversation it was created from'),
  mergedIntoId: z.number().nullable(),
  slaState: z.string().describe('none | ok | warning | breached | met'),
  slaDueAt: z.date().nullable(),
  version: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
})
export type TicketListItem = z.infer<typeof ticketListItemDto>

export const ticketListDto = z.object({
  items: z.array(ticketListItemDto),
  nextCursor: z.string().nullable(),
  counts: z
    .object({ open: z.number(), pending: z.number(), resolved: z.number(), closed: z.number() })
    .describe('how many tickets of each status match the other filters'),
})
export type TicketList = z.infer<typeof ticketListDto>

export const ticketAttachmentDto = z.object({
  id: z.string(),
  fileName: z.string(),
  mimeType: z.string(),
  size: z.number(),
  noteId: z.string().nullable(),
  uploadedBy: ref.nullable(),
  createdAt: z.date(),
  url: z.string().describe('where to download it (signed in)'),
})
export type TicketAttachmentView = z.infer<typeof ticketAttachmentDto>

export const ticketDetailDto = ticketListItemDto.extend({
  description: z.string(),
  contactId: z.string().nullable(),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  slaPolicyId: z.string().nullable(),
  resolvedAt: z.date().nullable(),
  closedAt: z.date().nullable(),
  contact: contactRef.extend({ language: z.string().nullable() }).nullable(),
  conversations: z.array(
    z.object({
      id: z.string(),
      channel: z.string(),
      status: z.string(),
      createdAt: z.date(),
      lastMessageAt: z.date().nullable(),
      linkedAt: z.date(),
    }),
  ),
  notesCount: z.number(),
  attachments: z.array(ticketAttachmentDto),
  statusUrl: z.string().describe("the customer's status page (no sign-in; unguessable link)"),
})
export type TicketDetail = z.infer<typeof ticketDetailDto>

export const ticketHistoryItemDto = z.object({
  id: z.string(),
  seq: z.number().describe('order among items of the same time'),
  at: z.date(),
  kind: z
    .string()
    .describe(
      'created | updated | assigned | note | escalated | linked | merged | split | reopened | sla.warning | sla.breached | sla.met | survey | callback …',
    ),
  actorId: z.string().nullable(),
  actorName: z.string().describe('a user’s name, "flow: <name>", "SLA"…'),
  data: z.unknown().describe('what changed: e.g. changes {field: {from, to}}, or an escalation’s from/to/reason'),
  note: z
    .object({
      id: z.string(),
      body: z.string(),
      author: ref.nullable(),
      attachments: z.array(ticketAttachmentDto),
    })
    .nullable()
    .describe('for kind note: the note itself'),
})
export type TicketHistoryItem = z.infer<typeof ticketHistoryItemDto>

export const ticketNoteDto = z.object({
  id: z.string(),
  ticketId: z.number(),
  body: z.string(),
  author: ref.nullable(),
  attachments: z.array(ticketAttachmentDto),
  createdAt: z.date(),
})
export type TicketNoteView = z.infer<typeof ticketNoteDto>

export const publicTicketStatusDto = z.object({
  number: z.number(),
  subject: z.string(),
  status: z
    .enum([...TICKET_STATUSES, 'merged'])
    .describe('merged: the request was merged into another one (whose details are not shown here)'),
  statusText: z.object({ en: z.string(), 'zh-CN': z.string() }),
  createdAt: z.date(),
  updatedAt: z.date(),
  resolvedAt: z.date().nullable(),
})
export type PublicTicketStatus = z.infer<typeof publicTicketStatusDto>

export const ticketSettingsDto = z.object({
  customerUpdates: z
    .boolean()
    .describe(
      'tell the customer in their conversation when a ticket is opened, waits on them or is resolved, with the status link',
    ),
})
export type TicketSettings = z.infer<typeof ticketSettingsDto>
export const ticketSettingsInput = z.strictObject({ customerUpdates: z.boolean() })
