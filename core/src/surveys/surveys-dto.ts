import { z } from 'zod'
import { SURVEY_KINDS } from './survey-settings.js'

export const SURVEY_STATUSES = ['scheduled', 'sent', 'answered', 'expired', 'cancelled'] as const

const id = z.string().trim().min(1).max(64)
const time = z.coerce.date()

export const listSurveysQuery = z.strictObject({
  from: time.optional().describe('surveys due (sendAt) at or after this time (ISO)'),
  to: time.optional().describe('surveys due before this time (ISO)'),
  agentId: id.optional(),
  teamId: id.optional(),
  kind: z.enum(SURVEY_KINDS).optional(),
  status: z.enum(SURVEY_STATUSES).optional(),
  conversationId: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
export type ListSurveysQuery = z.infer<typeof listSurveysQuery>

export const summaryQuery = listSurveysQuery.omit({ status: true, conversationId: true, limit: true })
export type SurveySummaryQuery = z.infer<typeof summaryQuery>

export const surveyDto = z.object({
  id: z.string(),
  kind: z.enum(SURVEY_KINDS),
  status: z.enum(SURVEY_STATUSES),
  conversationId: z.string().nullable(),
  ticketId: z.number().nullable(),
  contactId: z.string().nullable(),
  agentId: z.string().nullable(),
  teamId: z.string().nullable(),
  sendAt: z.date(),
  sentAt: z.date().nullable(),
  answeredAt: z.date().nullable(),
  score: z.number().nullable(),
  comment: z.string().nullable(),
  low: z.boolean().nullable().describe('whether the score is low (at or below the threshold); null until answered'),
  followUpTicketId: z.number().nullable().describe('the ticket a low score reopened or created'),
  createdAt: z.date(),
})
export type SurveyView = z.infer<typeof surveyDto>

const figures = z.object({
  sent: z.number().describe('surveys that went out (sent, answered or expired)'),
  answered: z.number(),
  responseRate: z.number().nullable().describe('answered / sent (0–1)'),
  csat: z
    .object({
      responses: z.number(),
      average: z.number().describe('average score, 1–5'),
      satisfiedRate: z.number().describe('share of 4 and 5 (0–1)'),
    })
    .nullable(),
  nps: z
    .object({
      responses: z.number(),
      promoters: z.number().describe('9–10'),
      passives: z.number().describe('7–8'),
      detractors: z.number().describe('0–6'),
      score: z.number().describe('% promoters − % detractors (−100 to 100)'),
    })
    .nullable(),
})

export const summaryDto = z.object({
  from: z.date().nullable(),
  to: z.date().nullable(),
  overall: figures,
  byAgent: z.array(figures.extend({ agentId: z.string(), name: z.string().nullable() })),
  byTeam: z.array(figures.extend({ teamId: z.string(), name: z.string().nullable() })),
})
export type SurveySummary = z.infer<typeof summaryDto>
