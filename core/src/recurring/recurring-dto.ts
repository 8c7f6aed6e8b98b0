import { z } from 'zod'

export const RECURRING_STATUSES = ['open', 'acknowledged', 'resolved'] as const

export const listRecurringQuery = z.strictObject({
  status: z.enum(RECURRING_STATUSES).optional(),
  contactId: z.string().trim().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
export type ListRecurringQuery = z.infer<typeof listRecurringQuery>

export const proposalDto = z.object({
  question: z.string().describe("the customer's wording (the most representative of the contacts)"),
  answer: z.string().describe("the existing entry's answer, or the agent's last reply; empty when there is none"),
  kbEntryId: z.string().nullable().describe('the closest knowledge-base entry; null: a new entry is proposed'),
  appliedKbEntryId: z.string().nullable().describe('the entry it was applied to, once applied'),
  appliedAt: z.date().nullable(),
})

export const recurringIssueDto = z.object({
  id: z.string(),
  contactId: z.string(),
  issueKey: z.string().describe('what was the same: intent:<name> | category:<name> | text:<signature words>'),
  label: z.string(),
  occurrences: z.number(),
  conversationIds: z.array(z.string()),
  ticketIds: z.array(z.number()),
  status: z.enum(RECURRING_STATUSES),
  proposal: proposalDto,
  raisedAt: z.date(),
  acknowledgedById: z.string().nullable(),
  acknowledgedAt: z.date().nullable(),
  updatedAt: z.date(),
})
export type RecurringIssueView = z.infer<typeof recurringIssueDto>

export const recurringIssueListItemDto = recurringIssueDto.extend({
  contactName: z.string().nullable().describe("the contact's name (decrypted), null when unknown"),
})
export type RecurringIssueListItem = z.infer<typeof recurringIssueListItemDto>

export const recurringIssueDetailDto = recurringIssueDto.extend({
  contact: z.object({ id: z.string(), name: z.string().nullable() }),
  conversations: z.array(
    z.object({
      id: z.string(),
      channel: z.string(),
      status: z.string(),
      intent: z.string().nullable(),
      createdAt: z.date(),
      resolvedAt: z.date().nullable(),
      agent: z.object({ id: z.string(), name: z.string() }).nullable(),
      firstMessage: z.string().nullable().describe("the customer's first message"),
      lastAgentReply: z.string().nullable(),
    }),
  ),
  tickets: z.array(
    z.object({ id: z.number(), subject: z.string(), status: z.string(), category: z.string().nullable() }),
  ),
})
export type RecurringIssueDetail = z.infer<typeof recurringIssueDetailDto>

export const applyProposalInput = z.strictObject({
  question: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .optional()
    .describe("the entry's question; the proposal's when not given"),
  answer: z.string().trim().min(1).max(5000).optional().describe("the entry's answer; the proposal's when not given"),
  kbEntryId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .nullable()
    .optional()
    .describe("update this entry; null: create a new one; not given: the proposal's"),
})
export type ApplyProposalInput = z.input<typeof applyProposalInput>

export const applyProposalDto = z.object({
  issue: recurringIssueDto,
  kbEntry: z.object({ id: z.string(), question: z.string(), answer: z.string(), created: z.boolean() }),
})
