import { z } from 'zod'
import { businessHoursSchema } from '../calendar/index.js'

export const SLA_METRICS = ['first_response', 'next_response', 'resolution'] as const
export type SlaMetric = (typeof SLA_METRICS)[number]
/** the policy's target field of each metric */
export const TARGET_OF: Record<SlaMetric, 'firstResponse' | 'nextResponse' | 'resolution'> = {
  first_response: 'firstResponse',
  next_response: 'nextResponse',
  resolution: 'resolution',
}

export const SLA_SUBJECTS = ['ticket', 'conversation'] as const
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export const TIERS = ['L1', 'L2', 'L3'] as const
/** Ticket.slaState */
export const SLA_STATES = ['none', 'ok', 'warning', 'breached', 'met'] as const
export type SlaState = (typeof SLA_STATES)[number]

/** a year of minutes: longer targets are mistakes */
const MAX_MINUTES = 525_600
const minutes = (what: string) =>
  z
    .number({ error: `${what}: a whole number of business minutes` })
    .int(`${what}: a whole number of business minutes`)
    .min(1, `${what}: at least 1 minute`)
    .max(MAX_MINUTES, `${what}: at most ${MAX_MINUTES} minutes (a year)`)

const names = z.array(z.string().trim().min(1).max(100)).max(50)

const policyConditionsObject = z.strictObject({
  priorities: z
    .array(z.enum(PRIORITIES))
    .max(4)
    .optional()
    .describe('ticket priorities it applies to; any when absent'),
  categories: names.optional().describe('ticket categories (for conversations: their intent); any when absent'),
  customerTags: names.optional().describe('contact tags, e.g. ["vip"]: the contact must have one of them'),
  channels: names.optional().describe("channels, e.g. ['webchat', 'voice']; a ticket's is its conversation's"),
  appliesTo: z
    .array(z.enum(SLA_SUBJECTS))
    .min(1, 'say what it applies to: ticket, conversation or both')
    .max(2)
    .default(['ticket'])
    .describe('tickets, conversations or both'),
})
export const policyConditions = policyConditionsObject.default({ appliesTo: ['ticket'] })
export type PolicyConditions = z.output<typeof policyConditions>

export const policyTargets = z
  .strictObject({
    firstResponse: minutes('firstResponse').optional().describe('business minutes to the first agent answer'),
    nextResponse: minutes('nextResponse').optional().describe('business minutes to answer each new customer message'),
    resolution: minutes('resolution').optional().describe('business minutes to resolve'),
  })
  .refine((t) => Object.values(t).some((v) => v !== undefined), {
    error: 'give at least one target: firstResponse, nextResponse or resolution (business minutes)',
  })
export type PolicyTargets = z.output<typeof policyTargets>

const policyFields = {
  name: z.string().trim().min(1, 'give the policy a name').max(100),
  description: z.string().max(1000),
  enabled: z.boolean(),
  position: z.number().int().min(0).max(10_000).describe('lower first: the first enabled policy that matches applies'),
  conditions: policyConditionsObject,
  targets: policyTargets,
  warnBeforeMinutes: z
    .number()
    .int()
    .min(0)
    .max(MAX_MINUTES)
    .describe('warn this many business minutes before a target is missed; 0: no warning'),
  businessHours: businessHoursSchema
    .nullable()
    .describe('the calendar the targets count in (the queues’ shape); null: around the clock'),
}

/** warnBeforeMinutes must leave time before each target */
function warnBeforeTargets(value: { warnBeforeMinutes?: number; targets?: PolicyTargets }, ctx: z.RefinementCtx): void {
  const warn = value.warnBeforeMinutes ?? 0
  if (!value.targets || warn === 0) return
  for (const [name, target] of Object.entries(value.targets))
    if (target !== undefined && warn >= target)
      ctx.addIssue({
        code: 'custom',
        path: ['warnBeforeMinutes'],
        message: `${warn} minutes is not before the ${name} target (${target} minutes); warn earlier than each target or use 0`,
      })
}

export const createPolicyInput = z
  .strictObject({
    ...policyFields,
    conditions: policyConditions,
    description: policyFields.description.default(''),
    enabled: policyFields.enabled.default(true),
    position: policyFields.position.default(0),
    warnBeforeMinutes: policyFields.warnBeforeMinutes.default(0),
    businessHours: policyFields.businessHours.default(null),
  })
  .superRefine(warnBeforeTargets)
export type CreatePolicyInput = z.input<typeof createPolicyInput>

export const updatePolicyInput = z
  .strictObject(policyFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
export type UpdatePolicyInput = z.input<typeof updatePolicyInput>

export const policyDto = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  position: z.number(),
  conditions: z.object({
    priorities: z.array(z.string()).optional(),
    categories: z.array(z.string()).optional(),
    customerTags: z.array(z.string()).optional(),
    channels: z.array(z.string()).optional(),
    appliesTo: z.array(z.string()),
  }),
  targets: z.object({
    firstResponse: z.number().optional(),
    nextResponse: z.number().optional(),
    resolution: z.number().optional(),
  }),
  warnBeforeMinutes: z.number(),
  businessHours: z.unknown().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
})
export type PolicyView = z.infer<typeof policyDto>

// ── escalation rules ──

export const ESCALATION_RULE_TRIGGERS = ['sla.warning', 'sla.breached', 'sentiment', 'customer-request'] as const
export type EscalationRuleTrigger = (typeof ESCALATION_RULE_TRIGGERS)[number]

/** What a customer writes when they ask for someone higher up: the customer-request trigger's default words. */
export const DEFAULT_REQUEST_KEYWORDS = [
  'manager',
  'supervisor',
  'escalate',
  'complaint',
  '投诉',
  '领导',
  '经理',
  '主管',
  '升级处理',
]

const ruleConditionsObject = z.strictObject({
  metrics: z.array(z.enum(SLA_METRICS)).max(3).optional().describe('SLA triggers: only these clocks'),
  priorities: z.array(z.enum(PRIORITIES)).max(4).optional(),
  categories: names.optional(),
  tiers: z.array(z.enum(TIERS)).max(3).optional().describe('only tickets at these tiers'),
  sentiments: names.optional().describe('sentiment trigger: these sentiments (default ["negative"])'),
  keywords: z
    .array(z.string().trim().min(1).max(100))
    .max(100)
    .optional()
    .describe(
      `customer-request trigger: words that ask for escalation (default: ${DEFAULT_REQUEST_KEYWORDS.join(', ')})`,
    ),
})
export const ruleConditions = ruleConditionsObject.default({})
export type RuleConditions = z.output<typeof ruleConditions>

const userOrTeamId = z.string().trim().min(1).max(64)
export const ruleAction = z
  .strictObject({
    tier: z.enum(TIERS).optional().describe('the tier the ticket moves to'),
    teamId: userOrTeamId.optional().describe('the team that takes it over'),
    assigneeId: userOrTeamId.optional().describe('who takes it over'),
    priority: z.enum(PRIORITIES).optional(),
  })
  .refine((a) => Object.values(a).some((v) => v !== undefined), {
    error: 'say what the escalation does: tier, teamId, assigneeId and/or priority',
  })
export type RuleAction = z.output<typeof ruleAction>

const ruleFields = {
  name: z.string().trim().min(1, 'give the rule a name').max(100),
  enabled: z.boolean(),
  position: z.number().int().min(0).max(10_000).describe('lower first: the first enabled rule that matches acts'),
  trigger: z.enum(ESCALATION_RULE_TRIGGERS),
  conditions: ruleConditionsObject,
  action: ruleAction,
}

/** conditions that only one trigger reads are refused on another, so a rule never looks stricter than it is */
function conditionsFitTrigger(
  value: { trigger?: EscalationRuleTrigger; conditions?: RuleConditions },
  ctx: z.RefinementCtx,
): void {
  if (!value.trigger || !value.conditions) return
  const only: Array<[keyof RuleConditions, EscalationRuleTrigger[]]> = [
    ['metrics', ['sla.warning', 'sla.breached']],
    ['sentiments', ['sentiment']],
    ['keywords', ['customer-request']],
  ]
  for (const [field, triggers] of only)
    if (value.conditions[field] !== undefined && !triggers.includes(value.trigger))
      ctx.addIssue({
        code: 'custom',
        path: ['conditions', field],
        message: `${field} applies to the trigger${triggers.length > 1 ? 's' : ''} ${triggers.join(' and ')}, not ${value.trigger}`,
      })
}

export const createRuleInput = z
  .strictObject({
    ...ruleFields,
    conditions: ruleConditions,
    enabled: ruleFields.enabled.default(true),
    position: ruleFields.position.default(0),
  })
  .superRefine(conditionsFitTrigger)
export type CreateRuleInput = z.input<typeof createRuleInput>

export const updateRuleInput = z
  .strictObject(ruleFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
export type UpdateRuleInput = z.input<typeof updateRuleInput>

export const ruleDto = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  position: z.number(),
  trigger: z.string(),
  conditions: z.record(z.string(), z.unknown()),
  action: z.object({
    tier: z.string().optional(),
    teamId: z.string().optional(),
    assigneeId: z.string().optional(),
    priority: z.string().optional(),
  }),
  createdAt: z.date(),
  updatedAt: z.date(),
})
export type RuleView = z.infer<typeof ruleDto>

// ── clocks and reports ──

export const clocksQuery = z
  .strictObject({
    ticketId: z.coerce.number().int().positive().optional(),
    conversationId: z.string().trim().min(1).max(64).optional(),
  })
  .refine((q) => (q.ticketId === undefined) !== (q.conversationId === undefined), {
    error: 'give either ticketId or conversationId',
  })

export const clockDto = z.object({
  id: z.string(),
  metric: z.enum(SLA_METRICS),
  status: z.string().describe('running | paused | met | breached | stopped'),
  ticketId: z.number().nullable(),
  conversationId: z.string().nullable(),
  targetMinutes: z.number(),
  startedAt: z.date(),
  dueAt: z.date().nullable().describe('when it breaches if nothing changes (done: when it was due); null while paused'),
  warnAt: z.date().nullable(),
  remainingBusinessMs: z
    .number()
    .nullable()
    .describe('business time left before the target (negative: over it); null when done'),
  usedBusinessMs: z.number().describe('business time counted so far (to the moment it was met, when met)'),
  warnedAt: z.date().nullable(),
  breachedAt: z.date().nullable(),
  metAt: z.date().nullable(),
  policy: z.object({ id: z.string(), name: z.string() }).nullable(),
})
export type ClockView = z.infer<typeof clockDto>

export const REPORT_GROUPS = ['priority', 'category', 'team', 'policy'] as const
export type ReportGroup = (typeof REPORT_GROUPS)[number]

/** the longest period a report covers */
export const MAX_REPORT_DAYS = 366

export const reportQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).describe('clocks started from this instant (inclusive)'),
    to: z.iso.datetime({ offset: true }).describe('… up to this instant (exclusive)'),
    metric: z.enum(SLA_METRICS).default('resolution'),
    groupBy: z.enum(REPORT_GROUPS).default('policy'),
    subject: z.enum(SLA_SUBJECTS).default('ticket').describe('ticket clocks or conversation clocks'),
    category: z.string().trim().min(1).max(100).optional().describe('only tickets of this category'),
    priority: z.enum(PRIORITIES).optional(),
    teamId: z.string().trim().min(1).max(64).optional(),
    policyId: z.string().trim().min(1).max(64).optional(),
    withinMinutes: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_MINUTES)
      .optional()
      .describe('count as met what was done within this many business minutes, instead of each clock’s target'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => new Date(q.from) < new Date(q.to), { error: 'from must be before to', path: ['to'] })
  .refine((q) => new Date(q.to).getTime() - new Date(q.from).getTime() <= MAX_REPORT_DAYS * 86_400_000, {
    error: `a report covers at most ${MAX_REPORT_DAYS} days`,
    path: ['to'],
  })
export type ReportQuery = z.infer<typeof reportQuery>

export const reportRowDto = z.object({
  key: z.string().nullable().describe('the group: a priority, category, team id or policy id (null: none)'),
  label: z.string().describe('what the console shows for the group'),
  total: z.number().describe('clocks started in the period'),
  met: z.number().describe('done within the target (or withinMinutes)'),
  breached: z.number().describe('done late, or over the target and not done yet'),
  open: z.number().describe('still counting and within the target'),
  attainmentPercent: z.number().nullable().describe('met ÷ (met + breached) × 100, one decimal; null when none'),
  medianMinutes: z.number().nullable().describe('business minutes to done, of the done ones'),
  p90Minutes: z.number().nullable(),
})
export const reportDto = z.object({
  from: z.date(),
  to: z.date(),
  metric: z.enum(SLA_METRICS),
  groupBy: z.enum(REPORT_GROUPS),
  subject: z.enum(SLA_SUBJECTS),
  withinMinutes: z.number().nullable(),
  rows: z.array(reportRowDto),
  total: reportRowDto.describe('all groups together'),
})
export type SlaReport = z.infer<typeof reportDto>
export type ReportRow = z.infer<typeof reportRowDto>
