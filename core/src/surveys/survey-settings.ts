import { z } from 'zod'
import type { Db, Prisma } from '../storage/index.js'

/** The Setting row that holds the survey settings. */
export const SURVEY_SETTINGS_KEY = 'surveys.settings'

export const SURVEY_KINDS = ['csat', 'nps'] as const
export type SurveyKind = (typeof SURVEY_KINDS)[number]
export const LOW_SCORE_ACTIONS = ['reopen', 'create-ticket', 'none'] as const

/** Score ranges: CSAT 1–5 stars, NPS 0–10. */
export const SCORE_RANGE: Record<SurveyKind, { min: number; max: number }> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
}
/** a score at or below this is low unless the admin says otherwise */
export const DEFAULT_LOW_SCORE: Record<SurveyKind, number> = { csat: 2, nps: 6 }

const localized = z.strictObject({
  'zh-CN': z.string().trim().min(1).max(1000),
  en: z.string().trim().min(1).max(1000),
})

export const DEFAULT_QUESTIONS = {
  csat: {
    'zh-CN':
      '您好！我们前几天为您处理了咨询，想请您为本次服务打个分：请回复 1–5 的数字（5 = 非常满意，1 = 非常不满意），也可以在数字后面写下您的意见。',
    en: 'Hello! We helped you a few days ago. How did we do? Reply with a number from 1 to 5 (5 = excellent, 1 = very poor); you may add a comment after the number.',
  },
  nps: {
    'zh-CN':
      '您好！您有多大可能把我们推荐给朋友或同事？请回复 0–10 的数字（10 = 非常可能，0 = 完全不可能），也可以在数字后面写下原因。',
    en: 'Hello! How likely are you to recommend us to a friend or colleague? Reply with a number from 0 to 10 (10 = extremely likely, 0 = not at all); you may add a reason after the number.',
  },
} as const
export const DEFAULT_THANKS = {
  'zh-CN': '感谢您的评价！您的意见会帮助我们做得更好。',
  en: 'Thank you for your feedback! It helps us do better.',
} as const
export const DEFAULT_LOW_SCORE_REPLY = {
  'zh-CN': '非常抱歉没有让您满意，我们的主管会尽快跟进。',
  en: 'We are sorry we let you down. A supervisor will follow up with you shortly.',
} as const

const settingsShape = {
  enabled: z
    .boolean()
    .describe('send a survey automatically after every resolved conversation (send-survey flow nodes work either way)'),
  kind: z.enum(SURVEY_KINDS).describe('csat: 1–5; nps: 0–10 (how likely to recommend)'),
  delayHours: z.number().min(0).max(720).describe('how long after the resolution the survey goes out (0–720)'),
  channels: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[a-z][a-z0-9-]{1,31}$/, 'a channel name such as webchat'),
    )
    .max(50)
    .describe('the channels surveys go out on; empty: every text channel (never voice or phone)'),
  lowScoreThreshold: z
    .number()
    .int('a whole number')
    .nullable()
    .describe('a score at or below this is low; null: the default for the kind (CSAT 2, NPS 6)'),
  lowScoreAction: z
    .enum(LOW_SCORE_ACTIONS)
    .describe(
      "reopen: reopen the conversation's ticket (or create one when there is none); create-ticket: always a new ticket; none: only tell supervisors",
    ),
  expiresAfterHours: z.number().min(1).max(2160).describe('an answer later than this after sending is not taken'),
  questions: z
    .strictObject({ csat: localized, nps: localized })
    .describe('what the customer is asked, per kind, in Chinese and English'),
  thanks: localized.describe('the reply to an answer'),
  lowScoreReply: localized.describe('the reply to a low score'),
}

export const surveySettingsDto = z.object(settingsShape)
export type SurveySettings = z.infer<typeof surveySettingsDto>

export const DEFAULT_SURVEY_SETTINGS: SurveySettings = {
  enabled: true,
  kind: 'csat',
  delayHours: 72,
  channels: [],
  lowScoreThreshold: null,
  lowScoreAction: 'reopen',
  expiresAfterHours: 168,
  questions: { csat: { ...DEFAULT_QUESTIONS.csat }, nps: { ...DEFAULT_QUESTIONS.nps } },
  thanks: { ...DEFAULT_THANKS },
  lowScoreReply: { ...DEFAULT_LOW_SCORE_REPLY },
}

/** PUT takes any of the fields; those not given keep their value. */
export const updateSurveySettingsInput = z
  .strictObject(settingsShape)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one setting to change')
export type UpdateSurveySettingsInput = z.input<typeof updateSurveySettingsInput>

/** The whole settings after a change: the low-score threshold must fit the kind's range. */
export const checkedSurveySettings = z.object(settingsShape).superRefine((s, ctx) => {
  if (s.lowScoreThreshold === null) return
  const { min, max } = SCORE_RANGE[s.kind]
  if (s.lowScoreThreshold < min || s.lowScoreThreshold >= max)
    ctx.addIssue({
      code: 'custom',
      path: ['lowScoreThreshold'],
      message: `for ${s.kind} give ${min}–${max - 1} (a score at or below it is low), or null for the default ${DEFAULT_LOW_SCORE[s.kind]}`,
    })
})

export function lowScoreThreshold(settings: SurveySettings, kind: SurveyKind): number {
  return settings.kind === kind && settings.lowScoreThreshold !== null
    ? settings.lowScoreThreshold
    : DEFAULT_LOW_SCORE[kind]
}

/** Stored settings over the defaults; a value that no longer fits falls back to its default. */
export async function readSurveySettings(db: Db): Promise<SurveySettings> {
  const row = await db.setting.findUnique({ where: { key: SURVEY_SETTINGS_KEY } })
  const stored = (row?.value ?? {}) as Record<string, unknown>
  const merged: Record<string, unknown> = { ...DEFAULT_SURVEY_SETTINGS }
  for (const [name, schema] of Object.entries(settingsShape)) {
    if (!(name in stored)) continue
    const parsed = (schema as z.ZodType).safeParse(stored[name])
    if (parsed.success) merged[name] = parsed.data
  }
  const checked = checkedSurveySettings.safeParse(merged)
  return checked.success ? checked.data : { ...(merged as SurveySettings), lowScoreThreshold: null }
}

export async function writeSurveySettings(db: Db, settings: SurveySettings): Promise<void> {
  const value = settings as unknown as Prisma.InputJsonObject
  await db.setting.upsert({
    where: { key: SURVEY_SETTINGS_KEY },
    create: { key: SURVEY_SETTINGS_KEY, value },
    update: { value },
  })
}

/** Whether surveys go out on a channel: never by voice; else the admin's list (empty: all). */
export function channelAllowed(settings: SurveySettings, channel: string): boolean {
  if (channel === 'voice' || channel === 'phone') return false
  return settings.channels.length === 0 || settings.channels.includes(channel)
}
