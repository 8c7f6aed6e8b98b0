/** The analytics API's answers (core/src/analytics), as the reports page reads them. */
export type Interval = 'hour' | 'day' | 'week'
export type Dimension = 'channel' | 'queue' | 'intent' | 'agent'

export interface Percentiles {
  count: number
  averageMs: number | null
  p50Ms: number | null
  p90Ms: number | null
  p95Ms: number | null
}

export interface MetricValues {
  offered: number
  queued: number
  answered: number
  abandoned: number
  answerRate: number | null
  abandonRate: number | null
  resolved: number
  botContained: number
  containmentRate: number | null
  fcr: { resolvedFirstTime: number; decided: number; rate: number | null }
  wait: Percentiles
  abandonAfter: Percentiles
  handle: Percentiles
  firstResponse: Percentiles
  sla: { met: number; breached: number; attainment: number | null }
  csat: { responses: number; average: number | null; satisfiedRate: number | null }
}

export interface GroupValues {
  key: string
  values: MetricValues
}

export interface MetricsResult {
  from: string
  to: string
  interval: Interval
  timeZone: string
  groupBy: Dimension | null
  total: MetricValues
  series: Array<{ start: string; values: MetricValues; groups?: GroupValues[] }>
  groups?: GroupValues[]
  truncated: boolean
}

export interface TopIssues {
  weekStart: string
  timeZone: string
  issues: Array<{
    intent: string
    thisWeek: number
    lastWeek: number
    change: number | null
    trend: 'rising' | 'falling' | 'steady'
  }>
}

export interface ForecastError {
  mae: number
  wape: number | null
  rmse: number
}

export interface Forecast {
  queueId: string | null
  historyStart: string
  historyHours: number
  averageHandleSeconds: number
  model: { method: string; seasonLength: number; fitRmse: number; [param: string]: unknown }
  backtest: ForecastError & { horizonHours: number; naive: ForecastError }
  intervals: Array<{
    start: string
    /** past: an hour gone by (volume = what arrived); forecast: from the current hour on */
    kind: 'past' | 'forecast'
    volume: number
    requiredAgents: number
    expectedServiceLevel: number
    /** agents whose shifts cover the hour (time-weighted) */
    scheduled: number
    /** agents available, busy or in after-call work (time-weighted); null for hours to come */
    actual: number | null
    /** scheduled − required */
    gap: number
  }>
}

/** The key the API gives conversations without a value for the dimension (no queue, no intent…). */
export const NO_GROUP = '(none)'
