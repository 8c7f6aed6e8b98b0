/** The quality inspection API's answers (core/src/qa/qa-dto.ts), as the console reads them. */
export const QA_KINDS = ['forbidden-phrase', 'required-phrase', 'timing', 'sentiment', 'resolution'] as const
export type QaKind = (typeof QA_KINDS)[number]
export const QA_CATEGORIES = ['attitude', 'compliance', 'resolution', 'process'] as const
export type QaCategory = (typeof QA_CATEGORIES)[number]
export type Speaker = 'agent' | 'customer' | 'bot'

export interface Phrase {
  text: string
  variants: string[]
  regexes: string[]
}

export interface RuleScope {
  channels?: string[]
  queueIds?: string[]
  intents?: string[]
  when?: string
}

export interface QaRule {
  id: string
  name: string
  description: string
  enabled: boolean
  kind: QaKind
  category: QaCategory
  weight: number
  scope: RuleScope
  config: Record<string, unknown>
  createdAt: string
  updatedAt: string
}

export interface QaHit {
  id: string
  ruleId: string
  ruleName: string
  kind: QaKind
  category: QaCategory
  weight: number
  messageId: string | null
  seq: number | null
  start: number | null
  end: number | null
  excerpt: string | null
  phrase: string | null
  speaker: Speaker | null
  source: 'phrase' | 'missing' | 'timing' | 'lexicon' | 'conversation' | 'heuristic' | 'llm'
  explanation: { en: string; 'zh-CN': string }
  detail?: Record<string, unknown>
  accepted: boolean
}

export type CategoryScores = Record<QaCategory, number | null>

export interface QaReview {
  id: string
  reviewerId: string | null
  reviewerName: string | null
  verdict: 'agree' | 'override'
  overrides: Array<{ ruleId: string; messageId?: string | null; accepted: boolean }>
  score: number | null
  note: string
  coachingNote: string
  createdAt: string
}

export interface QaResult {
  id: string
  conversationId: string
  agentId: string | null
  agentName: string | null
  teamId: string | null
  queueId: string | null
  channel: string
  score: number
  autoScore: number
  categoryScores: CategoryScores
  hits: QaHit[]
  status: 'auto' | 'reviewed'
  evaluatedFor: string | null
  evaluatedAt: string
  reevaluatedAfterReview: boolean
  review: QaReview | null
}

export interface TranscriptLine {
  id: string
  seq: number
  speaker: Speaker
  body: string
  at: string
}

export interface QaResultDetail extends QaResult {
  reviews: QaReview[]
  transcript: TranscriptLine[]
}

export interface ScorecardFigures {
  conversations: number
  averageScore: number | null
  categories: CategoryScores
  csat: { responses: number; average: number | null }
  averageHandleSeconds: number | null
}

export interface Scorecard extends ScorecardFigures {
  agentId?: string | null
  teamId?: string | null
  name: string | null
  hitsByRule: Array<{ ruleId: string; ruleName: string; category: string; hits: number }>
  intervals: Array<ScorecardFigures & { start: string }>
}

export interface Scorecards {
  from: string
  to: string
  groupBy: 'agent' | 'team'
  interval: 'day' | 'week'
  timeZone: string
  scorecards: Scorecard[]
}

export interface RuleTestAnswer {
  applies: boolean
  reason: string | null
  error: string | null
  hits: QaHit[]
  found: Array<{ phrase: string; messageId: string; seq: number; start: number; end: number }>
}

/** How a score reads at a glance: 90 and up good, under 70 poor. */
export function scoreTone(score: number | null): 'good' | 'fair' | 'poor' | 'none' {
  if (score === null) return 'none'
  return score >= 90 ? 'good' : score >= 70 ? 'fair' : 'poor'
}
