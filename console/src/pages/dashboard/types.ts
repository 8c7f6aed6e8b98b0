/** What the dashboard reads from /api/v1/stats/* and /api/v1/agents (see core/src/stats/stats-routes.ts). */
import type { Presence } from '../../api/types'

export interface LiveQueue {
  id: string
  name: string
  teamId: string | null
  waiting: number
  oldestQueuedAt: string | null
  longestWaitMs: number
  estimatedWaitMs: number | null
  memberIds: string[]
  standbyIds: string[]
  available: number
}

export type AlertMetric = 'waiting' | 'longestWait' | 'availableAgents' | 'slaAtRisk'

export interface ActiveAlert {
  id: string
  ruleId: string
  metric: AlertMetric
  queueId: string | null
  queueName: string | null
  teamId: string | null
  threshold: number
  value: number
  raisedAt: string
}

/** An open ticket whose SLA warned or breached (the live board lists the 10 most urgent). */
export interface TicketAtRisk {
  id: number
  subject: string
  slaState: string
  slaDueAt: string | null
  teamId: string | null
}

/** SLA at risk in the supervisor's scope: tickets of their teams (or none) and conversations of their queues. */
export interface LiveSla {
  atRisk: number
  breached: number
  tickets: TicketAtRisk[]
}

export interface LiveStats {
  at: string
  timeZone: string
  queues: LiveQueue[]
  sla: LiveSla
  alerts: ActiveAlert[]
}

export interface AgentRow {
  userId: string
  name: string
  email: string
  presence: Presence
  reason: string | null
  since: string
  capacity: Record<string, number>
  load: Record<string, number>
  idleSince: string
}

export interface DurationSummary {
  count: number
  averageMs: number | null
  p90Ms: number | null
}

export interface TodayStats {
  timeZone: string
  date: string
  from: string
  to: string
  total: number
  byChannel: Array<{ channel: string; count: number }>
  byHour: Array<{ hour: number; total: number; byChannel: Record<string, number> }>
  askedForAgent: number
  answered: number
  answerRate: number | null
  resolved: number
  resolutionRate: number | null
  wait: DurationSummary
  firstResponse: DurationSummary
  csat: { responses: number; averageStars: number; satisfiedRate: number } | null
  topIntents: Array<{ intent: string; count: number }>
  truncated: boolean
}

export interface AlertRule {
  id?: string
  metric: AlertMetric
  queueId: string | null
  threshold: number
  enabled: boolean
}
