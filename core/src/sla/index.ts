// SLA: policies, clocks in business time, warnings and breaches, escalation rules and attainment
// reports. Depends on the tickets module only through the small port in sla-service.ts
// (onChange, addEvent, escalate). See docs/sla-and-escalation.md and ADR 0005.
export {
  createSlaService,
  conversationSlaBadges,
  SLA_CATCH_UP_JOB,
  type SlaService,
  type SlaDeps,
  type SlaTickets,
} from './sla-service.js'
export { slaRoutes } from './sla-routes.js'
export { SLA_CHECK_JOB } from './sla-clocks.js'
export type { SlaEvent, SlaEventKind, SlaEventListener } from './sla-alerts.js'
export type { ClockView, PolicyView, RuleView, SlaMetric, SlaReport, SlaState } from './sla-dto.js'
export { DEFAULT_REQUEST_KEYWORDS } from './sla-dto.js'
