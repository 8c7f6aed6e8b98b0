import type { Server } from '@hapi/hapi'
import { z } from 'zod'
import type { RouteMeta } from './define-route.js'

type JsonSchema = Record<string, unknown>

/** JSON Schema for a zod schema; dates travel as ISO 8601 strings. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: (ctx) => {
      const def = (ctx.zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def
      if (def.type === 'date') {
        ctx.jsonSchema.type = 'string'
        ctx.jsonSchema.format = 'date-time'
      }
    },
  }) as JsonSchema
  delete out.$schema
  return out
}

const errorSchema = {
  type: 'object',
  required: ['statusCode', 'error', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    code: { type: 'string', description: 'stable error code, listed in docs/errors.md' },
    message: { type: 'string' },
    details: { description: 'e.g. the fields that failed validation: [{ in, path, message }]' },
  },
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return []
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] }
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    description: s.description,
    schema: s,
  }))
}

/** The OpenAPI 3.1 description of every route declared with defineRoute. */
export function buildOpenApi(server: Server, info: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of server.table()) {
    const meta = route.settings.plugins?.switchboard as RouteMeta | undefined
    if (!meta) continue
    const responses: Record<string, unknown> = {
      [meta.status]: meta.response
        ? { description: 'Success', content: { 'application/json': { schema: jsonSchema(meta.response, 'output') } } }
        : { description: 'Success' },
    }
    const errorRef = (description: string) => ({
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    })
    if (!meta.response && meta.status === 200) {
      delete responses['200']
      responses['204'] = { description: 'Done (no content)' }
    }
    if (meta.params || meta.query || meta.payload)
      responses['400'] = errorRef('Invalid input: every wrong field is listed in details')
    if (meta.access !== 'public') {
      responses['401'] = errorRef('Not signed in')
      if (meta.access !== 'authenticated') responses['403'] = errorRef(`Signed in without role ${meta.access}`)
    }
    if (meta.params) responses['404'] = errorRef('Not found')
    paths[route.path] ??= {}
    paths[route.path]![route.method] = {
      operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: meta.summary,
      description: [
        meta.description,
        meta.access === 'public'
          ? 'Public.'
          : meta.access === 'authenticated'
            ? 'Any signed-in user.'
            : `Needs role **${meta.access}** or above.`,
      ]
        .filter(Boolean)
        .join('\n\n'),
      tags: meta.tags,
      'x-switchboard-access': meta.access,
      security: meta.access === 'public' ? [] : [{ bearerAuth: [] }, { cookieAuth: [] }],
      parameters: [...parametersOf(meta.params, 'path'), ...parametersOf(meta.query, 'query')],
      ...(meta.payload
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(meta.payload, 'input') } },
            },
          }
        : {}),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: info.version,
      description:
        'REST API of Switchboard, the self-hosted contact center. Sign in with POST /api/v1/auth/login, then send `Authorization: Bearer <token>`.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'auth', description: 'Sign in and out, your own profile, API tokens' },
      { name: 'users', description: 'Admins, supervisors and agents' },
      { name: 'teams', description: 'Groups of users' },
      { name: 'contacts', description: 'Customers and their channel identities (personal data encrypted at rest)' },
      {
        name: 'conversations',
        description: 'Conversations across channels: threads, replies, notes, resolve and reopen',
      },
      { name: 'routing', description: 'Agents’ presence, capacity and skills, waiting positions, transfers' },
      {
        name: 'queues',
        description: 'Queues: settings, business hours, team, members; the waiting line, open or closed',
      },
      { name: 'calendar', description: 'Business hours: check a weekly schedule, holidays and special dates' },
      {
        name: 'analytics',
        description: 'Metrics by interval (CSV too), top issues of the week, forecasts and staffing',
      },
      { name: 'stats', description: 'The supervisor dashboard: live queues, today’s figures, threshold alerts' },
      {
        name: 'flows',
        description: 'Flows, versions, validation, simulation, flow tests, triggers and the node-type catalog',
      },
      { name: 'runs', description: 'Runs of published flows: start, deliver input and events, trace' },
      { name: 'nlu', description: 'The built-in intent classifier and its intents' },
      { name: 'knowledge base', description: 'FAQ entries and their search' },
      {
        name: 'canned responses',
        description: 'Saved replies agents insert by shortcut, with variables filled for a conversation',
      },
      {
        name: 'tickets',
        description:
          'Tickets: from a conversation, flow or the API; notes, attachments, history, merge, split, escalation',
      },
      { name: 'sla', description: 'SLA policies, live SLA clocks, escalation rules and attainment reports' },
      { name: 'callbacks', description: 'Promised calls back: windows, retries, assignment when due, outcomes' },
      { name: 'surveys', description: 'Follow-up CSAT/NPS surveys and their answers' },
      {
        name: 'recurring issues',
        description: 'The same contact with the same problem again: alerts and proposed knowledge-base updates',
      },
      {
        name: 'quality',
        description:
          'Automatic quality inspection: QA rules, results per conversation, reviews, agent and team scorecards',
      },
      {
        name: 'workforce',
        description: 'Agents’ shifts (the rota): plan, change, week patterns; scheduled and actual staffing',
      },
      {
        name: 'voice',
        description:
          'Calls with agents: the softphone’s registration, hold, keys, attended transfer, hang-up; call recordings',
      },
      {
        name: 'plugins',
        description: 'Install, configure and watch plugins; call their actions; screen-pop panels for a contact',
      },
      { name: 'jobs', description: 'Scheduled work: session expiry, callbacks, surveys, SLA timers' },
      { name: 'webhooks', description: 'Outbound webhooks: signed event deliveries to your URLs, their attempts' },
      { name: 'audit', description: 'Who did what, for admins' },
    ],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'a login token (sbs_…) or an API token (sbt_…)' },
        cookieAuth: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  }
}
