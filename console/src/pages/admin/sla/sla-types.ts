/** The SLA admin API's shapes (core/src/sla: /api/v1/sla/policies, /api/v1/escalation-rules, /api/v1/sla/report). */
import type { BusinessHours } from '../admin-types'

export type SlaMetric = 'first_response' | 'next_response' | 'resolution'
export const SLA_METRICS: SlaMetric[] = ['first_response', 'next_response', 'resolution']
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export const TIERS = ['L1', 'L2', 'L3'] as const
export const SUBJECTS = ['ticket', 'conversation'] as const
export const CHANNELS = ['webchat', 'wechat', 'voice', 'email', 'sms', 'api']

export interface SlaTargets {
  firstResponse?: number
  nextResponse?: number
  resolution?: number
}

export interface SlaPolicy {
  id: string
  name: string
  description: string
  enabled: boolean
  position: number
  conditions: {
    priorities?: string[]
    categories?: string[]
    customerTags?: string[]
    channels?: string[]
    appliesTo: string[]
  }
  targets: SlaTargets
  warnBeforeMinutes: number
  businessHours: BusinessHours | null
  createdAt: string
  updatedAt: string
}

export type RuleTrigger = 'sla.warning' | 'sla.breached' | 'sentiment' | 'customer-request'
export const RULE_TRIGGERS: RuleTrigger[] = ['sla.breached', 'sla.warning', 'customer-request', 'sentiment']

export interface RuleConditions {
  metrics?: SlaMetric[]
  priorities?: string[]
  categories?: string[]
  tiers?: string[]
  sentiments?: string[]
  keywords?: string[]
}

export interface EscalationRule {
  id: string
  name: string
  enabled: boolean
  position: number
  trigger: RuleTrigger
  conditions: RuleConditions
  action: { tier?: string; teamId?: string; assigneeId?: string; priority?: string }
  createdAt: string
  updatedAt: string
}

export interface ReportRow {
  key: string | null
  label: string
  total: number
  met: number
  breached: number
  open: number
  attainmentPercent: number | null
  medianMinutes: number | null
  p90Minutes: number | null
}

export interface SlaReport {
  from: string
  to: string
  metric: SlaMetric
  groupBy: 'priority' | 'category' | 'team' | 'policy'
  subject: 'ticket' | 'conversation'
  withinMinutes: number | null
  rows: ReportRow[]
  total: ReportRow
}

/** The words customers use to ask for someone higher up (the server's default for customer-request rules). */
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

/** "90" → 90 minutes; a target is entered in minutes or hours. */
export type TimeUnit = 'min' | 'h'
export function toMinutes(value: number | '' | null | undefined, unit: TimeUnit): number | undefined {
  if (value === '' || value === null || value === undefined || Number.isNaN(Number(value))) return undefined
  return Math.round(Number(value) * (unit === 'h' ? 60 : 1))
}
/** the unit a stored target reads best in: whole hours in hours, anything else in minutes */
export function fromMinutes(minutes: number | undefined): { value: number | ''; unit: TimeUnit } {
  if (minutes === undefined) return { value: '', unit: 'min' }
  return minutes >= 60 && minutes % 60 === 0 ? { value: minutes / 60, unit: 'h' } : { value: minutes, unit: 'min' }
}

/** "refund, delivery ,, vip" → ['refund', 'delivery', 'vip'] */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,，\n]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ]
}
