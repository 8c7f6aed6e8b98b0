// Stats: the supervisor dashboard's live and today's figures, and threshold alerts. See docs/supervisor-guide.md.
export { createStatsService, type StatsService, type StatsDeps } from './stats-service.js'
export { statsRoutes } from './stats-routes.js'
export type { ActiveAlert } from './alert-monitor.js'
export type { AlertRule, AlertMetric } from './alert-rules.js'
export type { TodayStats } from './summarize-day.js'
export { summarizeDay, summarizeDurations } from './summarize-day.js'
export { serverTimeZone } from './day-window.js'
export { registerContactCentreGauges } from './prometheus-gauges.js'
