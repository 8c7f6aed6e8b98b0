import { z } from 'zod'
import { checkExpression } from '../flows/index.js'
import { regexProblem } from './phrase-match.js'
import { normalizePhrase } from './text-normalize.js'

export const QA_KINDS = ['forbidden-phrase', 'required-phrase', 'timing', 'sentiment', 'resolution'] as const
export type QaKind = (typeof QA_KINDS)[number]
export const QA_CATEGORIES = ['attitude', 'compliance', 'resolution', 'process'] as const
export type QaCategory = (typeof QA_CATEGORIES)[number]

const id = z.string().trim().min(1).max(64)
const localized = z.object({ en: z.string(), 'zh-CN': z.string() })

// ── rules ──

const phraseText = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((text) => normalizePhrase(text) !== '', 'a phrase needs at least one letter, digit or sign besides spaces')

const regex = z
  .string()
  .min(1)
  .max(500)
  .superRefine((pattern, ctx) => {
    const problem = regexProblem(pattern)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
  .describe('a regular expression (JavaScript syntax), matched case-insensitively against the normalised text')

export const phraseInput = z.strictObject({
  text: phraseText.describe('the phrase, e.g. 没办法 or "I don\'t know"; hits are named by it'),
  variants: z.array(phraseText).max(20).default([]).describe('other ways of saying it, e.g. 没有办法, 没法子'),
  regexes: z.array(regex).max(10).default([]),
})

const speaker = z
  .enum(['agent', 'customer', 'any'])
  .default('agent')
  .describe('whose messages are inspected: the agent (default), the customer, or both')

const phrases = z.array(phraseInput).min(1, 'give at least one phrase').max(100)

export const forbiddenPhraseConfig = z.strictObject({ phrases, speaker })

export const requiredPhraseConfig = z.strictObject({
  phrases,
  speaker,
  match: z
    .enum(['any', 'all'])
    .default('any')
    .describe('any: one of the phrases is enough (e.g. the notice in Chinese or English); all: each must be said'),
  within: z
    .strictObject({
      position: z.enum(['first', 'last']),
      messages: z.number().int().min(1).max(50),
    })
    .optional()
    .describe("where it must be said, e.g. {position: first, messages: 3}: within the speaker's first 3 messages"),
})

export const timingConfig = z.strictObject({
  measure: z
    .enum(['first-response', 'silence', 'call-silence'])
    .describe(
      "first-response: from queueing to the agent's first message; silence: a customer message the agent leaves unanswered (calls: a gap in the transcript); call-silence: calls only, a gap of more than `seconds` between two segments of the call's transcript",
    ),
  seconds: z.number().int().min(1).max(86_400).describe('the limit in seconds'),
})

export const sentimentConfig = z.strictObject({
  lastMessages: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(2)
    .describe("how many of the customer's last messages are read"),
  useConversationSentiment: z
    .boolean()
    .default(true)
    .describe("use the conversation's sentiment when a flow or plugin has set it, instead of the built-in word lists"),
})

export const resolutionConfig = z.strictObject({
  lastMessages: z.number().int().min(1).max(10).default(3).describe("how many of the agent's last messages are read"),
  llm: z
    .boolean()
    .default(true)
    .describe('ask the LLM plugin (when one is configured) instead of the built-in heuristics'),
  rubric: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .describe('extra criteria for the LLM, e.g. "a refund needs an amount"'),
})

export const ruleScopeInput = z
  .strictObject({
    channels: z.array(id).max(50).optional().describe('only these channels, e.g. ["voice"] for calls'),
    queueIds: z.array(id).max(200).optional(),
    intents: z.array(z.string().trim().min(1).max(100)).max(200).optional(),
    when: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .superRefine((expression, ctx) => {
        const problem = checkExpression(expression)
        if (problem) ctx.addIssue({ code: 'custom', message: problem })
      })
      .optional()
      .describe('a JSONata condition over the conversation, e.g. attributes.orderAmount > 500 (see docs/qa-rules.md)'),
  })
  .default({})

const ruleName = z.string().trim().min(1).max(120)

function ruleDefinition<N extends z.ZodType<string>>(name: N) {
  const common = {
    name,
    description: z.string().trim().max(1000).default(''),
    enabled: z.boolean().default(true),
    weight: z.number().int().min(0).max(100).default(10).describe('points off the score (0–100) for each hit'),
    scope: ruleScopeInput,
  }
  const category = (fallback: QaCategory) =>
    z.enum(QA_CATEGORIES).default(fallback).describe('the scorecard column it counts in')
  return z.discriminatedUnion('kind', [
    z.strictObject({
      ...common,
      kind: z.literal('forbidden-phrase'),
      category: category('attitude'),
      config: forbiddenPhraseConfig,
    }),
    z.strictObject({
      ...common,
      kind: z.literal('required-phrase'),
      category: category('compliance'),
      config: requiredPhraseConfig,
    }),
    z.strictObject({ ...common, kind: z.literal('timing'), category: category('process'), config: timingConfig }),
    z.strictObject({
      ...common,
      kind: z.literal('sentiment'),
      category: category('attitude'),
      config: sentimentConfig.default({ lastMessages: 2, useConversationSentiment: true }),
    }),
    z.strictObject({
      ...common,
      kind: z.literal('resolution'),
      category: category('resolution'),
      config: resolutionConfig.default({ lastMessages: 3, llm: true }),
    }),
  ])
}

export const createRuleInput = ruleDefinition(ruleName)
export type CreateRuleInput = z.input<typeof createRuleInput>
export type RuleDefinition = z.output<typeof createRuleInput>

export const updateRuleInput = z
  .strictObject({
    name: ruleName,
    description: z.string().trim().max(1000),
    enabled: z.boolean(),
    category: z.enum(QA_CATEGORIES),
    weight: z.number().int().min(0).max(100),
    scope: ruleScopeInput,
    config: z
      .record(z.string(), z.unknown())
      .describe("the rule's whole config (replaces the old one), as for its kind"),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
export type UpdateRuleInput = z.input<typeof updateRuleInput>

export const listRulesQuery = z.strictObject({
  kind: z.enum(QA_KINDS).optional(),
  enabled: z.enum(['true', 'false']).optional(),
})

export const ruleDto = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  kind: z.enum(QA_KINDS),
  category: z.enum(QA_CATEGORIES),
  weight: z.number(),
  scope: z.record(z.string(), z.unknown()),
  config: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
  updatedAt: z.date(),
})
export type RuleView = z.infer<typeof ruleDto>

export const testRuleInput = z
  .strictObject({
    rule: ruleDefinition(ruleName.default('test')),
    text: z.string().min(1).max(10_000).optional().describe('a text to try the rule on (one message)'),
    speaker: z.enum(['agent', 'customer']).default('agent').describe('who says `text`'),
    conversationId: id.optional().describe('or a conversation to try it on'),
  })
  .refine((v) => (v.text === undefined) !== (v.conversationId === undefined), {
    message: 'give either text or conversationId',
    path: ['text'],
  })
export type TestRuleInput = z.input<typeof testRuleInput>

// ── results ──

export const hitDto = z.object({
  id: z.string().describe('stable within the result: rule, message and offset'),
  ruleId: z.string(),
  ruleName: z.string(),
  kind: z.enum(QA_KINDS),
  category: z.enum(QA_CATEGORIES),
  weight: z.number(),
  messageId: z.string().nullable().describe('the message it was found in; null for something missing'),
  seq: z.number().nullable(),
  start: z.number().nullable().describe("offset in the message's body (UTF-16 code units, as String.slice)"),
  end: z.number().nullable(),
  excerpt: z.string().nullable(),
  phrase: z.string().nullable().describe('the phrase (as the rule names it) that was said or is missing'),
  speaker: z.enum(['agent', 'customer', 'bot']).nullable(),
  source: z.enum(['phrase', 'missing', 'timing', 'lexicon', 'conversation', 'heuristic', 'llm']),
  explanation: localized,
  detail: z.record(z.string(), z.unknown()).optional(),
  recordingId: z.string().optional().describe('calls: the recording whose transcript segment it was found in'),
  offsetMs: z.number().nullable().optional().describe('calls: where in the recording the segment starts (ms)'),
  accepted: z.boolean().describe('false when a supervisor overrode it: it no longer counts'),
})
export type QaHit = z.infer<typeof hitDto>

export const categoryScoresDto = z
  .object({
    attitude: z.number().nullable(),
    compliance: z.number().nullable(),
    resolution: z.number().nullable(),
    process: z.number().nullable(),
  })
  .describe('0–100 each; null when no rule of that category applied to the conversation')
export type CategoryScores = z.infer<typeof categoryScoresDto>

export const reviewDto = z.object({
  id: z.string(),
  reviewerId: z.string().nullable(),
  reviewerName: z.string().nullable(),
  verdict: z.enum(['agree', 'override']),
  overrides: z.array(
    z.object({ ruleId: z.string(), messageId: z.string().nullable().optional(), accepted: z.boolean() }),
  ),
  score: z.number().nullable(),
  note: z.string().optional().describe('the reviewers’ own note about the case; not shown to agents'),
  coachingNote: z.string(),
  createdAt: z.date(),
})
export type ReviewView = z.infer<typeof reviewDto>

export const resultDto = z.object({
  id: z.string(),
  conversationId: z.string(),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  teamId: z.string().nullable(),
  queueId: z.string().nullable(),
  channel: z.string(),
  score: z.number().describe('after deductions, and after a supervisor’s review when there is one'),
  autoScore: z.number().describe('what the rules alone gave'),
  categoryScores: categoryScoresDto,
  hits: z.array(hitDto),
  status: z.enum(['auto', 'reviewed']),
  evaluatedFor: z.date().nullable().describe('the resolution of the conversation it inspected'),
  evaluatedAt: z.date(),
  reevaluatedAfterReview: z
    .boolean()
    .describe(
      'inspected again (reopened and resolved, or on request) after a review; the review’s overrides were applied again',
    ),
  review: reviewDto.nullable().describe('the latest review, with its coaching note'),
})
export type ResultView = z.infer<typeof resultDto>

export const transcriptLineDto = z.object({
  id: z.string(),
  seq: z.number(),
  speaker: z.enum(['agent', 'customer', 'bot']),
  body: z.string(),
  at: z.date(),
})

export const resultDetailDto = resultDto.extend({
  reviews: z.array(reviewDto),
  transcript: z.array(transcriptLineDto),
})

const time = z.coerce.date()

export const listResultsQuery = z.strictObject({
  from: time.optional().describe('conversations resolved at or after (ISO)'),
  to: time.optional().describe('conversations resolved before (ISO)'),
  agentId: id.optional().describe('an agent, or "me"; agents may only ask for themselves'),
  teamId: id.optional(),
  queueId: id.optional(),
  ruleId: id.optional().describe('only results this rule hit (an accepted hit)'),
  minScore: z.coerce.number().int().min(0).max(100).optional(),
  maxScore: z.coerce.number().int().min(0).max(100).optional(),
  status: z.enum(['auto', 'reviewed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export type ListResultsQuery = z.infer<typeof listResultsQuery>

export const reviewInput = z
  .strictObject({
    verdict: z.enum(['agree', 'override']),
    overrides: z
      .array(
        z.strictObject({
          ruleId: id,
          messageId: id.nullable().optional().describe("the hit's message; omitted: every hit of the rule"),
          accepted: z.boolean().describe('false: the hit is wrong and no longer counts; true: it counts again'),
        }),
      )
      .max(200)
      .default([]),
    score: z.number().int().min(0).max(100).optional().describe('the score you set (instead of the one from the hits)'),
    note: z.string().trim().max(2000).default(''),
    coachingNote: z.string().trim().max(2000).default('').describe('shown to the agent with the result'),
  })
  .superRefine((v, ctx) => {
    if (v.verdict === 'agree' && (v.overrides.length > 0 || v.score !== undefined))
      ctx.addIssue({ code: 'custom', path: ['verdict'], message: 'agree takes no overrides nor score; use override' })
    if (v.verdict === 'override' && v.overrides.length === 0 && v.score === undefined)
      ctx.addIssue({ code: 'custom', path: ['overrides'], message: 'an override needs overrides or a score' })
  })
export type ReviewInput = z.input<typeof reviewInput>

export const reevaluateInput = z
  .strictObject({
    from: time.describe('conversations resolved at or after (ISO)'),
    to: time.describe('conversations resolved before (ISO)'),
  })
  .refine((v) => v.to.getTime() > v.from.getTime(), { message: 'to must be after from', path: ['to'] })
  .refine((v) => v.to.getTime() - v.from.getTime() <= 93 * 86_400_000, {
    message: 'at most 93 days at a time',
    path: ['to'],
  })

export const reevaluateDto = z.object({
  scheduled: z.number().describe('conversations put on the inspection queue'),
  truncated: z.boolean().describe('more conversations are in the range: ask again from `continueFrom`'),
  continueFrom: z.date().nullable(),
})

// ── scorecards ──

export const scorecardQuery = z.strictObject({
  from: time.describe('conversations resolved at or after (ISO)'),
  to: time.describe('conversations resolved before (ISO)'),
  groupBy: z.enum(['agent', 'team']).default('agent'),
  agentId: id.optional(),
  teamId: id.optional(),
  interval: z.enum(['day', 'week']).default('week').describe('the intervals of `over time`'),
  timeZone: z.string().min(1).max(64).optional().describe('IANA time zone for the intervals, e.g. Asia/Shanghai'),
})
export type ScorecardQuery = z.infer<typeof scorecardQuery>
export const myScorecardQuery = scorecardQuery.omit({ groupBy: true, agentId: true, teamId: true })

const figures = z.object({
  conversations: z.number().describe('conversations inspected'),
  averageScore: z.number().nullable(),
  categories: categoryScoresDto.describe('average per category (over the conversations where it applied)'),
  csat: z
    .object({ responses: z.number(), average: z.number().nullable() })
    .describe('answered CSAT surveys (1–5) of the agent/team in the range'),
  averageHandleSeconds: z.number().nullable().describe('assigned → resolved, over the inspected conversations'),
})

export const scorecardDto = figures.extend({
  agentId: z.string().nullable().optional(),
  teamId: z.string().nullable().optional(),
  name: z.string().nullable(),
  hitsByRule: z.array(z.object({ ruleId: z.string(), ruleName: z.string(), category: z.string(), hits: z.number() })),
  intervals: z.array(figures.extend({ start: z.string() })),
})
export type Scorecard = z.infer<typeof scorecardDto>

export const scorecardsDto = z.object({
  from: z.date(),
  to: z.date(),
  groupBy: z.enum(['agent', 'team']),
  interval: z.enum(['day', 'week']),
  timeZone: z.string(),
  scorecards: z.array(scorecardDto),
})
export type Scorecards = z.infer<typeof scorecardsDto>
