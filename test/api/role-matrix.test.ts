import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RouteMeta } from '../../core/src/http/define-route.js'
import { systemActor } from '../../core/src/audit/index.js'
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js'

/**
 * Every REST route and the least role it needs. A new route must be added here, so nobody
 * exposes one by accident; the test then calls each route as nobody, agent, supervisor and
 * admin and checks 401 / 403 / allowed.
 */
const expected: Record<string, RouteMeta['access']> = {
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'authenticated',
  'GET /api/v1/auth/me': 'authenticated',
  'PATCH /api/v1/auth/me': 'authenticated',
  'GET /api/v1/auth/tokens': 'authenticated',
  'POST /api/v1/auth/tokens': 'authenticated',
  'DELETE /api/v1/auth/tokens/{id}': 'authenticated',
  'GET /api/v1/users': 'supervisor',
  'POST /api/v1/users': 'admin',
  'GET /api/v1/users/{id}': 'supervisor',
  'GET /api/v1/users/directory': 'agent',
  'PATCH /api/v1/users/{id}': 'admin',
  'GET /api/v1/teams': 'agent',
  'GET /api/v1/teams/{id}': 'agent',
  'POST /api/v1/teams': 'admin',
  'PATCH /api/v1/teams/{id}': 'admin',
  'DELETE /api/v1/teams/{id}': 'admin',
  'PUT /api/v1/teams/{id}/members/{userId}': 'admin',
  'DELETE /api/v1/teams/{id}/members/{userId}': 'admin',
  'GET /api/v1/contacts': 'agent',
  'POST /api/v1/contacts': 'agent',
  'GET /api/v1/contacts/{id}': 'agent',
  'PATCH /api/v1/contacts/{id}': 'agent',
  'POST /api/v1/contacts/{id}/merge': 'agent',
  'POST /api/v1/contacts/{id}/identities': 'agent',
  'GET /api/v1/contacts/{id}/history': 'agent',
  'GET /api/v1/canned-responses': 'agent',
  'POST /api/v1/canned-responses': 'agent',
  'GET /api/v1/canned-responses/variables': 'agent',
  'POST /api/v1/canned-responses/preview': 'agent',
  'GET /api/v1/canned-responses/{id}': 'agent',
  'PATCH /api/v1/canned-responses/{id}': 'agent',
  'DELETE /api/v1/canned-responses/{id}': 'agent',
  'GET /api/v1/analytics/metrics': 'supervisor',
  'GET /api/v1/analytics/top-issues': 'supervisor',
  'GET /api/v1/analytics/forecast': 'supervisor',
  // [routes:tickets]
  'GET /api/v1/tickets': 'agent',
  'POST /api/v1/tickets': 'agent',
  'POST /api/v1/conversations/{id}/ticket': 'agent',
  'GET /api/v1/tickets/settings': 'supervisor',
  'PUT /api/v1/tickets/settings': 'admin',
  'GET /api/v1/tickets/{id}': 'agent',
  'PATCH /api/v1/tickets/{id}': 'agent',
  'POST /api/v1/tickets/{id}/escalate': 'agent',
  'POST /api/v1/tickets/{id}/reopen': 'agent',
  'GET /api/v1/tickets/{id}/history': 'agent',
  'POST /api/v1/tickets/{id}/notes': 'agent',
  'POST /api/v1/tickets/{id}/attachments': 'agent',
  'GET /api/v1/tickets/{id}/attachments/{attachmentId}': 'agent',
  'POST /api/v1/tickets/{id}/conversations': 'agent',
  'GET /api/v1/tickets/{id}/conversations/{conversationId}/messages': 'agent',
  'POST /api/v1/tickets/{id}/merge': 'agent',
  'POST /api/v1/tickets/{id}/split': 'agent',
  'GET /api/v1/public/tickets/{token}': 'public',
  // [routes:sla]
  'GET /api/v1/sla/policies': 'supervisor',
  'POST /api/v1/sla/policies': 'admin',
  'GET /api/v1/sla/policies/{id}': 'supervisor',
  'PATCH /api/v1/sla/policies/{id}': 'admin',
  'DELETE /api/v1/sla/policies/{id}': 'admin',
  'GET /api/v1/sla/clocks': 'agent',
  'GET /api/v1/sla/report': 'supervisor',
  'GET /api/v1/escalation-rules': 'supervisor',
  'POST /api/v1/escalation-rules': 'admin',
  'GET /api/v1/escalation-rules/{id}': 'supervisor',
  'PATCH /api/v1/escalation-rules/{id}': 'admin',
  'DELETE /api/v1/escalation-rules/{id}': 'admin',
  // [routes:callbacks-surveys-recurring]
  'GET /api/v1/surveys/settings': 'admin',
  'PUT /api/v1/surveys/settings': 'admin',
  'GET /api/v1/surveys': 'supervisor',
  'GET /api/v1/surveys/summary': 'supervisor',
  'GET /api/v1/recurring-issues/settings': 'admin',
  'PUT /api/v1/recurring-issues/settings': 'admin',
  'GET /api/v1/recurring-issues': 'supervisor',
  'GET /api/v1/recurring-issues/{id}': 'supervisor',
  'POST /api/v1/recurring-issues/{id}/acknowledge': 'supervisor',
  'POST /api/v1/recurring-issues/{id}/resolve': 'supervisor',
  'POST /api/v1/recurring-issues/{id}/apply-proposal': 'admin',
  'GET /api/v1/callbacks': 'agent',
  'POST /api/v1/callbacks': 'agent',
  'GET /api/v1/callbacks/{id}': 'agent',
  'PATCH /api/v1/callbacks/{id}': 'agent',
  'POST /api/v1/callbacks/{id}/outcome': 'agent',
  'POST /api/v1/conversations/{id}/callback-offer': 'agent',
  // [routes:voice-calls]
  'GET /api/v1/voice/softphone': 'agent',
  'POST /api/v1/voice/calls': 'agent',
  'GET /api/v1/voice/calls/{conversationId}': 'agent',
  'POST /api/v1/voice/calls/{conversationId}/hold': 'agent',
  'POST /api/v1/voice/calls/{conversationId}/dtmf': 'agent',
  'POST /api/v1/voice/calls/{conversationId}/hangup': 'agent',
  'POST /api/v1/voice/calls/{conversationId}/consult': 'agent',
  'POST /api/v1/voice/calls/{conversationId}/consult/complete': 'agent',
  'POST /api/v1/voice/calls/{conversationId}/consult/cancel': 'agent',
  // [routes:voice-recording]
  'GET /api/v1/conversations/{id}/recordings': 'agent',
  'GET /api/v1/recordings/{id}/audio': 'agent',
  'DELETE /api/v1/recordings/{id}': 'admin',
  'DELETE /api/v1/contacts/{id}/recordings': 'admin',
  // [routes:workforce]
  'GET /api/v1/workforce/shifts': 'supervisor',
  'POST /api/v1/workforce/shifts': 'supervisor',
  'POST /api/v1/workforce/shifts/bulk': 'supervisor',
  'PATCH /api/v1/workforce/shifts/{id}': 'supervisor',
  'DELETE /api/v1/workforce/shifts/{id}': 'supervisor',
  // [routes:qa]
  'GET /api/v1/qa/rules': 'supervisor',
  'POST /api/v1/qa/rules': 'admin',
  'POST /api/v1/qa/rules/test': 'admin',
  'GET /api/v1/qa/rules/{id}': 'supervisor',
  'PATCH /api/v1/qa/rules/{id}': 'admin',
  'DELETE /api/v1/qa/rules/{id}': 'admin',
  'GET /api/v1/qa/results': 'agent',
  'GET /api/v1/qa/results/{id}': 'agent',
  'POST /api/v1/qa/results/{id}/review': 'supervisor',
  'GET /api/v1/qa/scorecards': 'supervisor',
  'GET /api/v1/qa/scorecards/me': 'agent',
  'POST /api/v1/qa/reevaluate': 'admin',
  'GET /api/v1/conversations/{id}/suggestions': 'agent',
  'POST /api/v1/conversations/{id}/draft': 'agent',
  'POST /api/v1/nlu/classify': 'agent',
  'GET /api/v1/nlu/intents': 'agent',
  'POST /api/v1/nlu/intents': 'admin',
  'GET /api/v1/nlu/intents/{id}': 'agent',
  'PATCH /api/v1/nlu/intents/{id}': 'admin',
  'DELETE /api/v1/nlu/intents/{id}': 'admin',
  'GET /api/v1/plugins': 'supervisor',
  'POST /api/v1/plugins': 'admin',
  'POST /api/v1/plugins/install-folder': 'admin',
  'GET /api/v1/plugins/{name}': 'supervisor',
  'PUT /api/v1/plugins/{name}/config': 'admin',
  'POST /api/v1/plugins/{name}/enable': 'admin',
  'POST /api/v1/plugins/{name}/disable': 'admin',
  'DELETE /api/v1/plugins/{name}': 'admin',
  'GET /api/v1/plugins/{name}/logs': 'supervisor',
  'POST /api/v1/plugins/{name}/health': 'admin',
  'POST /api/v1/actions/{ref}': 'agent',
  'GET /api/v1/capabilities': 'supervisor',
  'PUT /api/v1/capabilities/{name}/provider': 'admin',
  'GET /api/v1/contacts/{id}/panels': 'agent',
  'GET /api/v1/conversations': 'agent',
  'GET /api/v1/conversations/{id}': 'agent',
  'GET /api/v1/conversations/{id}/messages': 'agent',
  'POST /api/v1/conversations/{id}/messages': 'agent',
  'POST /api/v1/conversations/{id}/typing': 'agent',
  'PATCH /api/v1/conversations/{id}': 'agent',
  'GET /api/v1/conversations/inbox': 'agent',
  'POST /api/v1/conversations/{id}/read': 'agent',
  'POST /api/v1/conversations/{id}/attachments': 'agent',
  'GET /api/v1/agents/me': 'agent',
  'PUT /api/v1/agents/me/presence': 'agent',
  'PUT /api/v1/agents/{id}/presence': 'supervisor',
  'PUT /api/v1/agents/{id}/capacity': 'supervisor',
  'GET /api/v1/agents': 'supervisor',
  'GET /api/v1/queues/waiting': 'agent',
  'GET /api/v1/agents/{id}/skills': 'supervisor',
  'PUT /api/v1/agents/{id}/skills': 'admin',
  'GET /api/v1/skills': 'supervisor',
  'GET /api/v1/queues': 'agent',
  'GET /api/v1/queues/{id}': 'agent',
  'POST /api/v1/queues': 'admin',
  'PATCH /api/v1/queues/{id}': 'admin',
  'DELETE /api/v1/queues/{id}': 'admin',
  'PUT /api/v1/queues/{id}/members': 'admin',
  'PUT /api/v1/queues/{id}/members/{userId}': 'admin',
  'DELETE /api/v1/queues/{id}/members/{userId}': 'admin',
  'POST /api/v1/business-hours/preview': 'supervisor',
  'POST /api/v1/conversations/{id}/transfer': 'agent',
  'GET /api/v1/stats/live': 'supervisor',
  'GET /api/v1/stats/today': 'supervisor',
  'GET /api/v1/stats/alerts': 'supervisor',
  'GET /api/v1/stats/alert-rules': 'supervisor',
  'PUT /api/v1/stats/alert-rules': 'supervisor',
  'POST /api/v1/kb/search': 'agent',
  'GET /api/v1/kb/entries': 'agent',
  'POST /api/v1/kb/entries': 'admin',
  'GET /api/v1/kb/entries/{id}': 'agent',
  'PATCH /api/v1/kb/entries/{id}': 'admin',
  'DELETE /api/v1/kb/entries/{id}': 'admin',
  'GET /api/v1/jobs': 'supervisor',
  'GET /api/v1/jobs/{id}': 'supervisor',
  'DELETE /api/v1/jobs/{id}': 'admin',
  'GET /api/v1/audit': 'admin',
  'GET /api/v1/webhooks': 'admin',
  'POST /api/v1/webhooks': 'admin',
  'GET /api/v1/webhooks/event-types': 'admin',
  'GET /api/v1/webhooks/{id}': 'admin',
  'PATCH /api/v1/webhooks/{id}': 'admin',
  'DELETE /api/v1/webhooks/{id}': 'admin',
  'POST /api/v1/webhooks/{id}/test': 'admin',
  'POST /api/v1/webhooks/{id}/secret': 'admin',
  'GET /api/v1/webhooks/{id}/deliveries': 'admin',
  'GET /api/v1/flows': 'supervisor',
  'POST /api/v1/flows': 'admin',
  'GET /api/v1/flows/{id}': 'supervisor',
  'PUT /api/v1/flows/{id}/draft': 'admin',
  'DELETE /api/v1/flows/{id}': 'admin',
  'POST /api/v1/flows/{id}/publish': 'admin',
  'GET /api/v1/flows/{id}/versions': 'supervisor',
  'GET /api/v1/flows/{id}/versions/{version}': 'supervisor',
  'POST /api/v1/flows/{id}/rollback': 'admin',
  'GET /api/v1/flows/{id}/diff': 'supervisor',
  'GET /api/v1/flows/{id}/editors': 'supervisor',
  'POST /api/v1/flows/diff': 'supervisor',
  'POST /api/v1/flows/validate': 'supervisor',
  'POST /api/v1/flows/import': 'admin',
  'GET /api/v1/flows/{id}/export': 'supervisor',
  'POST /api/v1/flows/{id}/simulate': 'supervisor',
  'POST /api/v1/flows/simulate': 'supervisor',
  'POST /api/v1/flows/{id}/test': 'supervisor',
  'GET /api/v1/flows/{id}/runs': 'supervisor',
  'GET /api/v1/flow-templates': 'supervisor',
  'GET /api/v1/node-types': 'agent',
  'POST /api/v1/node-types/{type}/ports': 'agent',
  'POST /api/v1/runs': 'admin',
  'POST /api/v1/runs/{id}/events': 'admin',
  'GET /api/v1/runs/{id}': 'supervisor',
  'GET /api/v1/flows/{id}/triggers': 'supervisor',
  'POST /api/v1/flows/{id}/triggers': 'admin',
  'DELETE /api/v1/flows/{id}/triggers/{triggerId}': 'admin',
  // [routes:channels]
  'GET /api/v1/channels': 'supervisor',
  'GET /api/v1/flow-triggers/schedule-preview': 'supervisor',
}
const rank = { agent: 1, supervisor: 2, admin: 3 } as const
type Role = keyof typeof rank

let t: TestApp
const apiTokens: Partial<Record<Role, string>> = {}

beforeAll(async () => {
  t = await createTestApp()
  for (const role of ['agent', 'supervisor', 'admin'] as const) {
    const user = await t.app.services.users.create(systemActor('test'), {
      email: `matrix-${role}@test.local`,
      password: TEST_PASSWORD,
      role,
    })
    // API tokens, so the logout route cannot end the login the matrix keeps using
    apiTokens[role] = (await t.app.services.auth.createApiToken(user.id, { name: 'matrix' })).token
  }
})
afterAll(() => t?.close())

function routes() {
  return t.app.server
    .table()
    .filter((r) => r.path.startsWith('/api/v1/'))
    .map((r) => ({
      key: `${r.method.toUpperCase()} ${r.path}`,
      method: r.method,
      path: r.path,
      meta: r.settings.plugins?.switchboard as RouteMeta | undefined,
    }))
}

describe('role × route matrix', () => {
  it('every /api/v1 route is declared with defineRoute and listed in this matrix', () => {
    const found = routes()
    expect(found.filter((r) => !r.meta).map((r) => r.key)).toEqual([])
    expect(Object.fromEntries(found.map((r) => [r.key, r.meta!.access]))).toEqual(expected)
  })

  it('answers 401 without credentials, 403 to a role below the route, and lets the right roles through', async () => {
    const failures: string[] = []
    for (const route of routes()) {
      const url = route.path.replace(/\{[^}]+\}/g, 'does-not-exist')
      const payload = ['post', 'put', 'patch'].includes(route.method) ? {} : undefined
      const access = expected[route.key]!
      if (access === 'public') continue
      const anonymous = await t.app.server.inject({ method: route.method, url, payload })
      if (anonymous.statusCode !== 401)
        failures.push(`${route.key} without credentials → ${anonymous.statusCode}, expected 401`)
      for (const role of ['agent', 'supervisor', 'admin'] as const) {
        const res = await t.app.server.inject({
          method: route.method,
          url,
          payload,
          headers: { authorization: `Bearer ${apiTokens[role]}` },
        })
        const allowed = access === 'authenticated' || rank[role] >= rank[access]
        if (allowed && (res.statusCode === 401 || res.statusCode === 403))
          failures.push(`${route.key} as ${role} → ${res.statusCode}, expected to be let through`)
        if (!allowed && res.statusCode !== 403)
          failures.push(`${route.key} as ${role} → ${res.statusCode}, expected 403`)
        if (!allowed) {
          const body = JSON.parse(res.payload) as { code: string; message: string }
          if (body.code !== 'SB_ERR_FORBIDDEN' || !body.message.includes(access))
            failures.push(`${route.key} as ${role}: 403 body ${res.payload}`)
        }
      }
    }
    expect(failures).toEqual([])
  })

  it('the session cookie gets the same answers as the bearer token', async () => {
    const login = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'matrix-supervisor@test.local', password: TEST_PASSWORD },
    })
    const cookie = String(login.headers['set-cookie']).split(';')[0]!
    for (const [url, expected] of [
      ['/api/v1/users', 200],
      ['/api/v1/audit', 403],
      ['/api/v1/flows', 200],
    ] as const) {
      expect((await t.app.server.inject({ url, headers: { cookie } })).statusCode, url).toBe(expected)
    }
  })

  it('rejects a malformed, unknown or revoked bearer token with 401', async () => {
    const cases = ['Bearer', 'Basic abc', 'Bearer sbt_unknown', 'Bearer sbs_unknown', 'Bearer nonsense']
    for (const authorization of cases) {
      const res = await t.app.server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization } })
      expect(res.statusCode, authorization).toBe(401)
      expect(JSON.parse(res.payload).code).toBe('SB_ERR_UNAUTHENTICATED')
    }
  })
})
