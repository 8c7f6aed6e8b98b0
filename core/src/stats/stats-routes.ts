import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { activeAlertDto } from './alert-monitor.js'
import { alertRuleDto, alertRulesInput } from './alert-rules.js'
import type { StatsService } from './stats-service.js'

const tags = ['stats']

const duration = z.object({
  count: z.number(),
  averageMs: z.number().nullable(),
  p90Ms: z.number().nullable().describe('90th percentile, nearest rank'),
})

const todayDto = z.object({
  timeZone: z.string(),
  date: z.string().describe('the local date, YYYY-MM-DD'),
  from: z.date(),
  to: z.date(),
  total: z.number().describe('conversations opened today'),
  byChannel: z.array(z.object({ channel: z.string(), count: z.number() })),
  byHour: z.array(z.object({ hour: z.number(), total: z.number(), byChannel: z.record(z.string(), z.number()) })),
  askedForAgent: z.number().describe('of them, how many were queued for an agent'),
  answered: z.number().describe('of those, how many reached an agent'),
  answerRate: z.number().nullable(),
  resolved: z.number(),
  resolutionRate: z.number().nullable(),
  wait: duration.describe('from entering the queue to being assigned'),
  firstResponse: duration.describe("from entering the queue to the agent's first reply"),
  csat: z
    .object({ responses: z.number(), averageStars: z.number(), satisfiedRate: z.number() })
    .nullable()
    .describe('from the web chat rating (1–5 stars); null when nobody rated'),
  topIntents: z.array(z.object({ intent: z.string(), count: z.number() })),
  truncated: z.boolean(),
})

const liveDto = z.object({
  at: z.date(),
  timeZone: z.string(),
  queues: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      teamId: z.string().nullable(),
      waiting: z.number(),
      oldestQueuedAt: z.date().nullable(),
      longestWaitMs: z.number(),
      estimatedWaitMs: z.number().nullable().describe('what the last in line can expect; null when unknown'),
      memberIds: z.array(z.string()),
      standbyIds: z.array(z.string()),
      available: z.number().describe('members available now'),
    }),
  ),
  sla: z
    .object({
      atRisk: z.number().describe('open tickets and conversations whose SLA warned and has not breached'),
      breached: z.number().describe('open tickets and conversations whose SLA breached and is not met yet'),
      tickets: z
        .array(
          z.object({
            id: z.number(),
            subject: z.string(),
            slaState: z.string().describe('warning | breached'),
            slaDueAt: z.date().nullable().describe('the earliest due time of its running clocks; null while paused'),
            teamId: z.string().nullable(),
          }),
        )
        .describe('the 10 most urgent: breached first, then at risk, earliest due first'),
    })
    .describe("tickets of the viewer's teams or of no team, conversations of the queues they see"),
  alerts: z.array(activeAlertDto),
})

export function statsRoutes(stats: StatsService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/stats/live',
      access: 'supervisor',
      tags,
      summary:
        'Queues now (waiting, longest and estimated wait, members available), SLA at risk, and the alerts that are on',
      response: liveDto,
      handler: async ({ credentials }) => stats.live(credentials!.user),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/stats/today',
      access: 'supervisor',
      tags,
      summary: "Today's volumes by channel and hour, answer and resolution rates, waits, first response, CSAT, intents",
      description:
        'Counts the conversations opened since local midnight in the server’s time zone (or `timeZone`, an IANA name).',
      query: z.strictObject({ timeZone: z.string().min(1).max(64).optional() }),
      response: todayDto,
      handler: async ({ credentials, query }) => stats.today(credentials!.user, { timeZone: query.timeZone }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/stats/alerts',
      access: 'supervisor',
      tags,
      summary: 'The threshold alerts that are on now',
      response: z.array(activeAlertDto),
      handler: async ({ credentials }) => stats.activeAlerts(credentials!.user),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/stats/alert-rules',
      access: 'supervisor',
      tags,
      summary: 'The threshold alert rules',
      response: z.object({ rules: z.array(alertRuleDto) }),
      handler: async () => ({ rules: await stats.alertRules() }),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/stats/alert-rules',
      access: 'supervisor',
      tags,
      summary:
        'Replace the threshold alert rules (more than N waiting, wait over M seconds, fewer than K available, more than S at SLA risk)',
      payload: alertRulesInput,
      response: z.object({ rules: z.array(alertRuleDto) }),
      handler: async ({ payload, actor }) => ({ rules: await stats.setAlertRules(actor, payload) }),
    }),
  ]
}
