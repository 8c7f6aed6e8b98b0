/** The surveys API's shapes (core/src/surveys: /api/v1/surveys, /summary, /settings). */
export type SurveyKind = 'csat' | 'nps'
export type Localized = { en: string; 'zh-CN': string }

export interface SurveySettings {
  enabled: boolean
  kind: SurveyKind
  delayHours: number
  channels: string[]
  lowScoreThreshold: number | null
  lowScoreAction: 'reopen' | 'create-ticket' | 'none'
  expiresAfterHours: number
  questions: { csat: Localized; nps: Localized }
  thanks: Localized
  lowScoreReply: Localized
}

export interface SurveyFigures {
  sent: number
  answered: number
  responseRate: number | null
  csat: { responses: number; average: number; satisfiedRate: number } | null
  nps: { responses: number; promoters: number; passives: number; detractors: number; score: number } | null
}

export interface SurveySummary {
  from: string | null
  to: string | null
  overall: SurveyFigures
  byAgent: Array<SurveyFigures & { agentId: string; name: string | null }>
  byTeam: Array<SurveyFigures & { teamId: string; name: string | null }>
}

export interface SurveyRow {
  id: string
  kind: SurveyKind
  status: 'scheduled' | 'sent' | 'answered' | 'expired' | 'cancelled'
  conversationId: string | null
  ticketId: number | null
  contactId: string | null
  agentId: string | null
  teamId: string | null
  sendAt: string
  sentAt: string | null
  answeredAt: string | null
  score: number | null
  comment: string | null
  low: boolean | null
  followUpTicketId: number | null
  createdAt: string
}

/** the default low-score threshold of each kind (the server's) */
export const DEFAULT_LOW: Record<SurveyKind, number> = { csat: 2, nps: 6 }
export const SCALE: Record<SurveyKind, { min: number; max: number }> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
}

/** 0.8765 → "87.7%"; null → "—" */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`
}
