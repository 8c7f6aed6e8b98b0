import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Db, Prisma } from '../storage/index.js'

/**
 * Threshold alert rules, kept in the Setting table (one row, key `stats.alert-rules`): what a
 * supervisor configures on the dashboard.
 * - `waiting`: more than `threshold` conversations waiting (in the queue, or in all queues)
 * - `longestWait`: someone has waited more than `threshold` seconds (in the queue, or in any)
 * - `availableAgents`: fewer than `threshold` agents available (members of the queue, or anyone)
 * - `slaAtRisk`: more than `threshold` SLA targets at risk or breached and not met yet: the
 *   conversations of the queue, or (all queues) every open ticket and conversation
 */
export const ALERT_METRICS = ['waiting', 'longestWait', 'availableAgents', 'slaAtRisk'] as const
export type AlertMetric = (typeof ALERT_METRICS)[number]

export const SETTING_KEY = 'stats.alert-rules'
export const MAX_RULES = 50

export const alertRuleInput = z.strictObject({
  id: z.string().trim().min(1).max(64).optional().describe('keep it to update a rule; a new rule gets one'),
  metric: z
    .enum(ALERT_METRICS)
    .describe(
      'waiting (count), longestWait (seconds), availableAgents (count) or slaAtRisk (tickets and conversations whose SLA warned or breached)',
    ),
  queueId: z.string().min(1).max(64).nullable().describe('the queue it watches; null: all queues together'),
  threshold: z
    .number()
    .int('a whole number')
    .min(0, 'at least 0')
    .max(86_400, 'at most 86400')
    .describe('more than this many waiting / seconds / SLA at risk, or fewer than this many agents'),
  enabled: z.boolean().default(true),
})
export const alertRulesInput = z.strictObject({
  rules: z.array(alertRuleInput).max(MAX_RULES, `at most ${MAX_RULES} rules`),
})
export type AlertRuleInput = z.input<typeof alertRuleInput>

export const alertRuleDto = z.object({
  id: z.string(),
  metric: z.enum(ALERT_METRICS),
  queueId: z.string().nullable(),
  threshold: z.number(),
  enabled: z.boolean(),
})
export type AlertRule = z.infer<typeof alertRuleDto>

const stored = z.object({ rules: z.array(alertRuleDto).catch([]) }).catch({ rules: [] })

export async function readAlertRules(db: Db): Promise<AlertRule[]> {
  const row = await db.setting.findUnique({ where: { key: SETTING_KEY } })
  return row ? stored.parse(row.value).rules : []
}

export async function writeAlertRules(db: Db, rules: AlertRule[]): Promise<void> {
  const value = { rules } as unknown as Prisma.InputJsonObject
  await db.setting.upsert({ where: { key: SETTING_KEY }, create: { key: SETTING_KEY, value }, update: { value } })
}

/** New rules get an id; two rules with the same id are refused by the caller. */
export function withIds(rules: z.output<typeof alertRulesInput>['rules']): AlertRule[] {
  return rules.map((r) => ({ ...r, id: r.id ?? randomUUID() }))
}
