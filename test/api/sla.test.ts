import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioApp, type ScenarioApp } from '../support/scenario-app.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

/** a parsed JSON body, read as the test expects */
type Json = ReturnType<typeof JSON.parse>

type Call = (
  token: string,
  method: string,
  url: string,
  payload?: unknown,
) => Promise<{ status: number; body: Json; headers: Record<string, unknown>; raw: string }>

const caller =
  (server: () => TestApp['app']['server']): Call =>
  async (token, method, url, payload) => {
    const res = await server().inject({ method, url, headers: bearer(token), payload: payload as object })
    let body: unknown = null
    try {
      body = JSON.parse(res.payload || 'null')
    } catch {
      body = res.payload
    }
    return { status: res.statusCode, body, headers: res.headers, raw: res.payload }
  }
const paths = (body: { details?: Array<{ path: string }> }) => (body.details ?? []).map((d) => d.path)

describe('SLA policies and escalation rules: the API', () => {
  let t: TestApp
  let call: Call
  let admin: string
  let supervisor: string
  let teamId: string

  beforeAll(async () => {
    t = await createTestApp()
    call = caller(() => t.app.server)
    admin = (await t.tokenFor('admin')).token
    supervisor = (await t.tokenFor('supervisor')).token
    teamId = (await call(admin, 'POST', '/api/v1/teams', { name: 'L2 experts' })).body.id
  })
  afterAll(() => t?.close())

  it('refuses a policy with each wrong field named, and writes nothing', async () => {
    const bad = await call(admin, 'POST', '/api/v1/sla/policies', {
      name: ' ',
      targets: {},
      conditions: { appliesTo: [], priorities: ['asap'] },
      businessHours: { timezone: 'Mars/Olympus', weekly: { mon: [['18:00', '09:00']] } },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.code).toBe('SB_ERR_VALIDATION')
    expect(paths(bad.body).sort()).toEqual(
      [
        'name',
        'targets',
        'conditions.appliesTo',
        'conditions.priorities.0',
        'businessHours.timezone',
        'businessHours.weekly.mon.0',
      ].sort(),
    )
    const lateWarning = await call(admin, 'POST', '/api/v1/sla/policies', {
      name: 'Late warning',
      targets: { firstResponse: 30, resolution: 240 },
      warnBeforeMinutes: 30,
    })
    expect(lateWarning.status).toBe(400)
    expect(lateWarning.body.details).toEqual([
      {
        in: 'payload',
        path: 'warnBeforeMinutes',
        message:
          '30 minutes is not before the firstResponse target (30 minutes); warn earlier than each target or use 0',
      },
    ])
    const fractional = await call(admin, 'POST', '/api/v1/sla/policies', {
      name: 'Fractional',
      targets: { resolution: 1.5 },
      extra: true,
    })
    expect(fractional.status).toBe(400)
    expect(fractional.body.message).toMatch(/resolution: a whole number of business minutes/)
    expect(paths(fractional.body)).toContain('extra')
    expect((await call(supervisor, 'GET', '/api/v1/sla/policies')).body).toEqual([])
  })

  it('creates, lists in matching order, changes and deletes policies', async () => {
    const vip = await call(admin, 'POST', '/api/v1/sla/policies', {
      name: 'VIP',
      position: 1,
      conditions: { customerTags: ['vip'], appliesTo: ['ticket', 'conversation'] },
      targets: { firstResponse: 30, resolution: 480 },
      warnBeforeMinutes: 10,
      businessHours: { weekly: { mon: [['09:00', '18:00']] }, holidayCountry: 'CN' },
    })
    expect(vip.status, JSON.stringify(vip.body)).toBe(201)
    expect(vip.body).toMatchObject({
      name: 'VIP',
      enabled: true,
      conditions: { customerTags: ['vip'], appliesTo: ['ticket', 'conversation'] },
      targets: { firstResponse: 30, resolution: 480 },
      businessHours: { timezone: 'Asia/Shanghai', holidayCountry: 'CN', closedDates: [] },
    })
    const standard = await call(admin, 'POST', '/api/v1/sla/policies', {
      name: 'Standard',
      targets: { resolution: 960 },
    })
    expect(standard.body).toMatchObject({ position: 0, conditions: { appliesTo: ['ticket'] }, businessHours: null })
    expect(
      (await call(admin, 'POST', '/api/v1/sla/policies', { name: 'VIP', targets: { resolution: 5 } })).status,
    ).toBe(409)
    const list = await call(supervisor, 'GET', '/api/v1/sla/policies')
    expect(list.body.map((p: { name: string }) => p.name)).toEqual(['Standard', 'VIP'])

    // a PATCH is checked against what it leaves: a warning that is not before a target is refused
    const tooLate = await call(admin, 'PATCH', `/api/v1/sla/policies/${vip.body.id}`, { warnBeforeMinutes: 45 })
    expect(tooLate.status).toBe(400)
    expect(paths(tooLate.body)).toEqual(['warnBeforeMinutes'])
    const changed = await call(admin, 'PATCH', `/api/v1/sla/policies/${vip.body.id}`, {
      businessHours: null,
      enabled: false,
    })
    expect(changed.status, JSON.stringify(changed.body)).toBe(200)
    expect(changed.body).toMatchObject({ businessHours: null, enabled: false, targets: { firstResponse: 30 } })
    expect((await call(admin, 'PATCH', `/api/v1/sla/policies/${vip.body.id}`, {})).status).toBe(400)

    expect((await call(admin, 'DELETE', `/api/v1/sla/policies/${vip.body.id}`)).status).toBe(204)
    expect((await call(supervisor, 'GET', `/api/v1/sla/policies/${vip.body.id}`)).status).toBe(404)
    const audit = await t.app.db.auditEvent.findMany({ where: { action: { startsWith: 'sla-policy.' } } })
    expect(audit.map((a) => a.action).sort()).toEqual([
      'sla-policy.created',
      'sla-policy.created',
      'sla-policy.deleted',
      'sla-policy.updated',
    ])
  })

  it('refuses escalation rules that cannot act or whose conditions do not fit the trigger', async () => {
    const noAction = await call(admin, 'POST', '/api/v1/escalation-rules', {
      name: 'Nothing',
      trigger: 'sla.breached',
      action: {},
    })
    expect(noAction.status).toBe(400)
    expect(noAction.body.message).toMatch(/say what the escalation does/)
    const unknownTeam = await call(admin, 'POST', '/api/v1/escalation-rules', {
      name: 'To nowhere',
      trigger: 'sla.breached',
      action: { teamId: 'no-such-team', assigneeId: 'no-such-user' },
    })
    expect(unknownTeam.status).toBe(400)
    expect(paths(unknownTeam.body)).toEqual(['action.teamId', 'action.assigneeId'])
    const misfit = await call(admin, 'POST', '/api/v1/escalation-rules', {
      name: 'Misfit',
      trigger: 'sla.breached',
      conditions: { keywords: ['manager'], tiers: ['L1'] },
      action: { tier: 'L2' },
    })
    expect(misfit.status).toBe(400)
    expect(misfit.body.details).toEqual([
      {
        in: 'payload',
        path: 'conditions.keywords',
        message: 'keywords applies to the trigger customer-request, not sla.breached',
      },
    ])
    const badTier = await call(admin, 'POST', '/api/v1/escalation-rules', {
      name: 'Bad tier',
      trigger: 'sla.warning',
      conditions: { tiers: ['L4'], metrics: ['speed'] },
      action: { tier: 'L2' },
    })
    expect(paths(badTier.body).sort()).toEqual(['conditions.metrics.0', 'conditions.tiers.0'])
    expect(
      (await call(admin, 'POST', '/api/v1/escalation-rules', { name: 'x', trigger: 'mood', action: {} })).status,
    ).toBe(400)
    expect((await call(supervisor, 'GET', '/api/v1/escalation-rules')).body).toEqual([])
  })

  it('creates, changes and deletes escalation rules', async () => {
    const rule = await call(admin, 'POST', '/api/v1/escalation-rules', {
      name: 'Asks for a manager',
      trigger: 'customer-request',
      conditions: { keywords: ['manager', '找你们领导'], tiers: ['L1'] },
      action: { tier: 'L2', teamId },
    })
    expect(rule.status, JSON.stringify(rule.body)).toBe(201)
    expect(rule.body).toMatchObject({ enabled: true, position: 0, action: { tier: 'L2', teamId } })
    // switching the trigger keeps the conditions: keywords do not fit sla.breached
    const switched = await call(admin, 'PATCH', `/api/v1/escalation-rules/${rule.body.id}`, { trigger: 'sla.breached' })
    expect(switched.status).toBe(400)
    expect(paths(switched.body)).toEqual(['conditions.keywords'])
    const moved = await call(admin, 'PATCH', `/api/v1/escalation-rules/${rule.body.id}`, {
      trigger: 'sla.breached',
      conditions: { metrics: ['resolution'] },
    })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    expect(moved.body).toMatchObject({ trigger: 'sla.breached', conditions: { metrics: ['resolution'] } })
    expect((await call(supervisor, 'GET', `/api/v1/escalation-rules/${rule.body.id}`)).body.name).toBe(
      'Asks for a manager',
    )
    expect(
      (
        await call(admin, 'POST', '/api/v1/escalation-rules', {
          name: 'Asks for a manager',
          trigger: 'sentiment',
          action: { priority: 'high' },
        })
      ).status,
    ).toBe(409)
    expect((await call(admin, 'DELETE', `/api/v1/escalation-rules/${rule.body.id}`)).status).toBe(204)
    expect((await call(admin, 'GET', `/api/v1/escalation-rules/${rule.body.id}`)).status).toBe(404)
  })

  it('asks for a ticket or a conversation for the clocks, and a sound period for the report', async () => {
    expect((await call(supervisor, 'GET', '/api/v1/sla/clocks')).status).toBe(400)
    expect((await call(supervisor, 'GET', '/api/v1/sla/clocks?ticketId=999')).status).toBe(404)
    const backwards = await call(
      supervisor,
      'GET',
      '/api/v1/sla/report?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z&groupBy=mood',
    )
    expect(backwards.status).toBe(400)
    expect(paths(backwards.body).sort()).toEqual(['groupBy'])
    const reversed = await call(
      supervisor,
      'GET',
      '/api/v1/sla/report?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z',
    )
    expect(paths(reversed.body)).toEqual(['to'])
    const years = await call(supervisor, 'GET', '/api/v1/sla/report?from=2020-01-01T00:00:00Z&to=2026-03-01T00:00:00Z')
    expect(years.status).toBe(400)
    expect(paths(years.body)).toEqual(['to'])
  })
})

/** Monday 2 March 2026, 10:00 UTC; the policies below count around the clock. */
const T0 = Date.parse('2026-03-02T10:00:00.000Z')
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()

/**
 * The attainment report against a hand-computed set: six tickets on a manual clock, their
 * resolution (and first response) clocks driven through the tickets API, one of them paused while
 * waiting on the customer.
 */
describe('SLA attainment report', () => {
  let s: ScenarioApp
  let call: Call
  let admin: string
  let agent: string
  const ids: Record<string, number> = {}
  const period = `from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(60))}`
  const status = async (name: string, value: string) => {
    const res = await call(agent, 'PATCH', `/api/v1/tickets/${ids[name]}`, { status: value })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
  }

  beforeAll(async () => {
    s = await createScenarioApp(at(-30))
    call = caller(() => s.app.server)
    admin = (await s.tokenFor('admin')).token
    agent = (await s.tokenFor('agent')).token
    expect(
      (
        await call(admin, 'POST', '/api/v1/sla/policies', {
          name: 'Simple issues',
          conditions: { categories: ['simple'] },
          targets: { firstResponse: 5, resolution: 15 },
        })
      ).status,
    ).toBe(201)
    expect(
      (await call(admin, 'POST', '/api/v1/sla/policies', { name: 'Other', position: 1, targets: { resolution: 60 } }))
        .status,
    ).toBe(201)
    await s.advance(at(0))
    for (const [name, category] of Object.entries({
      A: 'simple',
      B: 'simple',
      C: 'simple',
      D: 'simple',
      E: 'simple',
      F: 'complex',
    })) {
      const created = await call(agent, 'POST', '/api/v1/tickets', { subject: `Ticket ${name}`, category })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      ids[name] = created.body.id
    }
    // minute 4: D waits on the customer (the agent's question answers it: first response met at 4)
    await s.advance(at(4))
    await status('D', 'pending')
    await s.advance(at(10))
    await status('A', 'resolved') // 10 min
    await s.advance(at(14))
    await status('B', 'resolved') // 14 min
    await s.advance(at(20))
    await status('C', 'resolved') // 20 min: late
    await s.advance(at(30))
    await status('F', 'resolved') // 30 of 60 min
    await s.advance(at(65))
    await status('D', 'open') // paused 4 → 65
    await s.advance(at(70))
    await status('D', 'resolved') // 4 + 5 = 9 business minutes
    await s.advance(at(80)) // E still open: 80 min, breached at 15
  }, 60_000)
  afterAll(() => s?.close())

  it('counts met, breached, attainment, median and p90 per category', async () => {
    const report = await call(admin, 'GET', `/api/v1/sla/report?${period}&metric=resolution&groupBy=category`)
    expect(report.status, JSON.stringify(report.body)).toBe(200)
    expect(report.body.rows).toEqual([
      {
        key: 'complex',
        label: 'complex',
        total: 1,
        met: 1,
        breached: 0,
        open: 0,
        attainmentPercent: 100,
        medianMinutes: 30,
        p90Minutes: 30,
      },
      // done: A 10, B 14, C 20 (late), D 9; E open and over → breached. Median of 9,10,14,20 = 12; p90 = 20.
      {
        key: 'simple',
        label: 'simple',
        total: 5,
        met: 3,
        breached: 2,
        open: 0,
        attainmentPercent: 60,
        medianMinutes: 12,
        p90Minutes: 20,
      },
    ])
    expect(report.body.total).toMatchObject({
      total: 6,
      met: 4,
      breached: 2,
      attainmentPercent: 66.7,
      medianMinutes: 14,
    })
  })

  it('answers "% of simple issues closed within N minutes" with withinMinutes', async () => {
    const within12 = await call(
      admin,
      'GET',
      `/api/v1/sla/report?${period}&metric=resolution&category=simple&withinMinutes=12&groupBy=policy`,
    )
    // within 12: A (10) and D (9); B (14), C (20) and E (80, still open) are not
    expect(within12.body.withinMinutes).toBe(12)
    expect(within12.body.rows).toMatchObject([
      { label: 'Simple issues', total: 5, met: 2, breached: 3, attainmentPercent: 40 },
    ])
    const within15 = await call(admin, 'GET', `/api/v1/sla/report?${period}&category=simple&withinMinutes=15`)
    expect(within15.body.total).toMatchObject({ met: 3, breached: 2, attainmentPercent: 60 })
  })

  it('counts first responses: the agent asking the customer (pending) and resolving both answer', async () => {
    const report = await call(admin, 'GET', `/api/v1/sla/report?${period}&metric=first_response&groupBy=policy`)
    // target 5: D answered at 4 (met); A, B, C answered by resolving at 10, 14, 20 (late); E never (over).
    // Median of 4, 10, 14, 20 = 12
    expect(report.body.rows).toMatchObject([
      { label: 'Simple issues', total: 5, met: 1, breached: 4, open: 0, attainmentPercent: 20, medianMinutes: 12 },
    ])
  })

  it('a supervisor in teams gets the report of their teams’ tickets (and of no team) only', async () => {
    const north = (await call(admin, 'POST', '/api/v1/teams', { name: 'North' })).body.id as string
    const south = (await call(admin, 'POST', '/api/v1/teams', { name: 'South' })).body.id as string
    const lead = await s.tokenFor('supervisor')
    expect((await call(admin, 'PUT', `/api/v1/teams/${north}/members/${lead.userId}`)).status).toBeLessThan(300)
    await s.app.db.ticket.update({ where: { id: ids.F! }, data: { teamId: south } })
    const query = `/api/v1/sla/report?${period}&metric=resolution&groupBy=category`
    const all = await call(admin, 'GET', query)
    const theirs = await call(lead.token, 'GET', query)
    expect(theirs.status).toBe(200)
    expect(all.body.total.total).toBe(6)
    expect(theirs.body.total.total).toBe(5)
    expect(theirs.body.rows.map((r: { key: string }) => r.key)).toEqual(['simple'])
    await s.app.db.ticket.update({ where: { id: ids.F! }, data: { teamId: null } })
  })

  it('exports the report as CSV', async () => {
    const csv = await call(admin, 'GET', `/api/v1/sla/report?${period}&metric=resolution&groupBy=category&format=csv`)
    expect(csv.status).toBe(200)
    expect(String(csv.headers['content-type'])).toMatch(/^text\/csv/)
    expect(csv.raw.split('\r\n')).toEqual([
      'group,total,met,breached,open,attainmentPercent,medianMinutes,p90Minutes',
      'complex,1,1,0,0,100,30,30',
      'simple,5,3,2,0,60,12,20',
      'all,6,4,2,0,66.7,14,30',
      '',
    ])
  })

  it('shows each ticket’s clocks: met with the time taken, or breached and still counting', async () => {
    const d = await call(agent, 'GET', `/api/v1/sla/clocks?ticketId=${ids.D}`)
    expect(
      d.body.map((c: { metric: string; status: string; usedBusinessMs: number }) => [
        c.metric,
        c.status,
        c.usedBusinessMs,
      ]),
    ).toEqual([
      ['first_response', 'met', 4 * 60_000],
      ['resolution', 'met', 9 * 60_000],
    ])
    const e = await call(agent, 'GET', `/api/v1/sla/clocks?ticketId=${ids.E}`)
    const resolution = e.body.find((c: { metric: string }) => c.metric === 'resolution')
    expect(resolution).toMatchObject({ status: 'breached', remainingBusinessMs: -65 * 60_000, breachedAt: at(15) })
    expect(await s.app.db.ticket.findUniqueOrThrow({ where: { id: ids.E } })).toMatchObject({ slaState: 'breached' })
    expect(await s.app.db.ticket.findUniqueOrThrow({ where: { id: ids.A } })).toMatchObject({
      slaState: 'breached', // its first response was late
      slaDueAt: null,
    })
    expect(await s.app.db.ticket.findUniqueOrThrow({ where: { id: ids.F } })).toMatchObject({ slaState: 'met' })
    const history = await call(agent, 'GET', `/api/v1/tickets/${ids.D}/history`)
    expect(
      history.body.filter((h: { kind: string }) => h.kind === 'sla.met').map((h: { data: object }) => h.data),
    ).toMatchObject([
      { metric: 'first_response', businessMinutes: 4, late: false },
      { metric: 'resolution', businessMinutes: 9, late: false },
    ])
  })
})
