import { z } from 'zod'
import type { Db, Prisma } from '../storage/index.js'

export const RECURRING_SETTINGS_KEY = 'recurring-issues.settings'

const settingsShape = {
  enabled: z.boolean().describe('look for recurring issues at all'),
  threshold: z
    .number()
    .int('a whole number')
    .min(2, 'at least 2')
    .max(50, 'at most 50')
    .describe('this many contacts about the same problem raise an alert'),
  windowDays: z.number().min(1, 'at least 1 day').max(90, 'at most 90 days').describe('within this many days'),
  matchIntent: z.boolean().describe('the same intent (what the bot or NLU recognised) counts as the same problem'),
  matchCategory: z.boolean().describe('the same ticket category counts as the same problem'),
  matchText: z.boolean().describe("similar wording of the customer's first messages counts as the same problem"),
  textSimilarity: z
    .number()
    .min(0.2, 'at least 0.2')
    .max(1, 'at most 1')
    .describe('how alike the wording must be (Jaccard of word signatures, 0.2–1; 1: the same words)'),
}

export const recurringSettingsDto = z.object(settingsShape)
export type RecurringSettings = z.infer<typeof recurringSettingsDto>

export const DEFAULT_RECURRING_SETTINGS: RecurringSettings = {
  enabled: true,
  threshold: 3,
  windowDays: 7,
  matchIntent: true,
  matchCategory: true,
  matchText: true,
  textSimilarity: 0.4,
}

export const updateRecurringSettingsInput = z
  .strictObject(settingsShape)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one setting to change')
export type UpdateRecurringSettingsInput = z.input<typeof updateRecurringSettingsInput>

export async function readRecurringSettings(db: Db): Promise<RecurringSettings> {
  const row = await db.setting.findUnique({ where: { key: RECURRING_SETTINGS_KEY } })
  const stored = (row?.value ?? {}) as Record<string, unknown>
  const merged: Record<string, unknown> = { ...DEFAULT_RECURRING_SETTINGS }
  for (const [name, schema] of Object.entries(settingsShape)) {
    const parsed = name in stored ? (schema as z.ZodType).safeParse(stored[name]) : null
    if (parsed?.success) merged[name] = parsed.data
  }
  return merged as RecurringSettings
}

export async function writeRecurringSettings(db: Db, settings: RecurringSettings): Promise<void> {
  const value = settings as unknown as Prisma.InputJsonObject
  await db.setting.upsert({
    where: { key: RECURRING_SETTINGS_KEY },
    create: { key: RECURRING_SETTINGS_KEY, value },
    update: { value },
  })
}
