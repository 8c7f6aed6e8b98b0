import type { ServerRoute } from '@hapi/hapi'
import { IANAZone } from 'luxon'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import type { AnalyticsService } from './analytics-service.js'
import { metricsToCsv } from './metrics-csv.js'

const tags = ['analytics']
const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => IANAZone.isValidZone(zone), 'not an IANA time zone, e.g. Asia/Shanghai')
  .optional()
  .describe('IANA time zone for the intervals, e.g. Asia/Shanghai')

const metricsQuery = z.strictObject({
  from: z.coerce.date().describe('start of the range (inclusive), ISO 8601'),
  to: z.coerce.date().describe('end of the range (exclusive), ISO 8601'),
  interval: z.enum(['hour', 'day', 'week']).default('day'),
  timeZone,
  groupBy: z.enum(['channel', 'queue', 'intent', 'agent']).optional(),
  queueId: z.string().max(64).optional(),
  channel: z.string().max(64).optional(),
  format: z.enum(['json', 'csv']).default('json'),
})

const topIssuesQuery = z.strictObject({
  weekOf: z.coerce.date().optional().describe('any moment of the week (default: this week)'),
  timeZone,
  limit: z.coerce.number().int().min(1).max(50).default(10),
})

const forecastQuery = z.strictObject({
  queueId: z.string().max(64).optional(),
  horizon: z.coerce.number().int().min(1).max(168).default(48).describe('hours ahead'),
  serviceLevel: z.coerce.number().gt(0).lt(1).default(0.8).describe('share answered within targetSeconds'),
  targetSeconds: z.coerce.number().int().min(1).max(3600).default(20),
  weeks: z.coerce
    .number()
    .int()
    .min(3)
    .max(26)
    .default(6)
    .describe('weeks of history to learn from (at least 3: two seasons to fit and two days to back-test)'),
  pastHours: z.coerce
    .number()
    .int()
    .min(0)
    .max(168)
    .default(0)
    .describe(
      'also the hours just past (their real arrivals), to compare scheduled and actual agents with the required',
    ),
})

const viewerOf = (credentials: { user: { id: string; role: string } } | null) => credentials!.user

export function analyticsRoutes(analytics: AnalyticsService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/analytics/metrics',
      access: 'supervisor',
      tags,
      summary:
        'Contact-centre metrics per interval: volumes, answer and abandon rates, waits, handle times, FCR, containment, SLA, CSAT',
      description:
        'Over the conversations that arrived in [from, to). Every formula is in docs/metrics.md. `format=csv` gives one row per interval (and group).',
      query: metricsQuery,
      handler: async ({ query, credentials, h }) => {
        const result = await analytics.metrics(viewerOf(credentials), query)
        if (query.format === 'csv')
          return h
            .response(metricsToCsv(result))
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="metrics-${query.interval}.csv"`)
        return result
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/analytics/top-issues',
      access: 'supervisor',
      tags,
      summary: 'The week’s most frequent issues (intents) with the change from the week before',
      query: topIssuesQuery,
      handler: async ({ query, credentials }) => analytics.topIssues(viewerOf(credentials), query),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/analytics/forecast',
      access: 'supervisor',
      tags,
      summary:
        'Arrivals forecast per hour (Holt-Winters) with its back-test, and the agents needed per hour (Erlang C) beside the scheduled and actual ones',
      description:
        'Each interval: `requiredAgents` (Erlang C), `scheduled` (agents whose shifts cover it, time-weighted), `actual` (agents available, busy or in after-call work, time-weighted from the presence log; null for intervals still to come) and `gap` = scheduled − required. With `pastHours`, the hours just past come first (`kind: past`, their real arrivals as `volume`).',
      query: forecastQuery,
      handler: async ({ query, credentials }) => analytics.forecast(viewerOf(credentials), query),
    }),
  ]
}
