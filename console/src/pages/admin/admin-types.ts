/** The shapes of the admin API (core/src/users, teams, queues, routing, plugins, kb, nlu) as the console reads them. */
import type { Role } from '../../api/types'

export type Locale = 'en' | 'zh-CN'
export type Localized = { en: string; 'zh-CN': string }

export interface UserRow {
  id: string
  email: string
  name: string
  role: Role
  locale: Locale
  active: boolean
  teams: { id: string; name: string }[]
  createdAt: string
  updatedAt: string
}

export interface TeamRow {
  id: string
  name: string
  description: string
  members: { id: string; email: string; name: string; role: Role }[]
  createdAt: string
}

export interface AgentRow {
  userId: string
  name: string
  email: string
  presence: string
  reason: string | null
  since: string
  capacity: Record<string, number>
  load: Record<string, number>
}

export type TimeRange = [string, string]
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

/** The business-hours document of core/src/calendar (the same as the flows' business-hours node). */
export interface BusinessHours {
  timezone: string
  weekly: Partial<Record<Weekday, TimeRange[]>>
  holidayCountry?: string
  closedDates: string[]
  openDates: { date: string; hours: TimeRange[] }[]
}

export interface QueueRow {
  id: string
  name: string
  description: string
  priority: number
  requiredSkills: { skill: string; minLevel: number }[]
  agingPerMinute: number
  overflowAfterSeconds: number | null
  stickyMinutes: number
  businessHours: BusinessHours | null
  teamId: string | null
  members: { userId: string; name: string; email: string; standby: boolean }[]
  waiting: number
  oldestQueuedAt: string | null
  longestWaitMs: number
  open: boolean
  nextChangeAt: string | null
}

export interface QueueStatsEvent {
  type: 'queue.stats'
  queueId: string
  waiting: number
  oldestQueuedAt: string | null
}

export interface SkillLevel {
  skill: string
  level: number
}

export interface PluginRow {
  name: string
  version: string
  title: Localized
  description: Localized
  kinds: string[]
  enabled: boolean
  disabledReason: string | null
  implements: string[]
  actions: string[]
  calls: number
  failures: number
  circuit: 'closed' | 'open' | 'half-open'
  icon: string
  installedAt: string
  updatedAt: string
}

export interface PluginDetail extends PluginRow {
  manifest: Record<string, unknown>
  readme: string
  config: Record<string, unknown>
  secretsSet: string[]
  previousVersion: string | null
}

export interface PluginLogLine {
  at: string
  level: 'debug' | 'info' | 'warn' | 'error'
  message: string
  fields?: Record<string, unknown>
}

export interface KbEntry {
  id: string
  question: string
  answer: string
  tags: string[]
  variants: string[]
  language: string | null
  updatedAt: string
}

export interface Intent {
  id: string
  name: string
  description: string
  examples: string[]
  updatedAt: string
}

export interface Classification {
  intent: string | null
  confidence: number
  ranking: { intent: string; score: number }[]
}

export interface KbHit {
  id: string
  question: string
  answer: string
  score: number
}
