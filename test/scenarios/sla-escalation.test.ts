import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../support/test-app.js'
import { createScenarioApp, type ScenarioApp } from '../support/scenario-app.js'

/**
 * Shanghai (UTC+8) business hours Monday–Friday 09:00–18:00 with China's public holidays.
 * Qingming, Monday 5 April 2027, is one of them. The times below are local, with UTC beside.
 */
const FRIDAY_1630 = '2027-04-02T08:30:00.000Z'
const FRIDAY_1700 = '2027-04-02T09:00:00.000Z'
const SATURDAY_1200 = '2027-04-03T04:00:00.000Z'
const MONDAY_1759 = '2027-04-05T09:59:00.000Z' // Qingming: closed
const TUESDAY_1059 = '2027-04-06T02:59:00.000Z'
const TUESDAY_1100 = '2027-04-06T03:00:00.000Z'
const TUESDAY_1159 = '2027-04-06T03:59:59.000Z'
const TUESDAY_1200 = '2027-04-06T04:00:00.000Z'
const TUESDAY_1300 = '2027-04-06T05:00:00.000Z'
const TUESDAY_1400 = '2027-04-06T06:00:00.000Z'
const WEDNESDAY_1300 = '2027-04-07T05:00:00.000Z'
const THURSDAY_1000 = '2027-04-08T02:00:00.000Z'
const THURSDAY_1559 = '2027-04-08T07:59:00.000Z'
const THURSDAY_1600 = '2027-04-08T08:00:00.000Z'
const THURSDAY_1700 = '2027-04-08T09:00:00.000Z'

const shanghaiWeekdays = {
  timezone: 'Asia/Shanghai',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])),
  holidayCountry: 'CN',
}

interface Clock {
  id: string
  metric: string
  status: string
  dueAt: string | null
  warnAt: string | null
  remainingBusinessMs: number | null
  usedBusinessMs: number
  policy: { name: string } | null
}
interface HistoryItem {
  kind: string
  actorName: string
  data: Record<string, unknown>
}

/**
 * A ticket's SLA across a weekend and a public holiday, on a manual clock with the durable
 * scheduler, the server restarted between every step: the warning and the breach fire at the right
 * business-time moments and not before; the breach escalates the ticket to L2 and the team
 * "L2 experts", whose agent then sees it with its whole history. A second ticket shows that
 * waiting on the customer (pending) pauses its clock.
 */
describe('SLA: warning and breach in business time, escalation to L2, across restarts', () => {
  let s: ScenarioApp
  let admin: string
  let l1: { token: string; userId: string }
  let l2: { token: string; userId: string }
  let l1Team: string
  let l2Team: string
  let ticketId: number
  let billingTicketId: number
  let topics: string[] = []
  let notifications: Array<{ kind: string; userIds: string[]; supervisors?: boolean; teamId?: string; link?: string }> =
    []

  const call = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await s.app.server.inject({ method, url, headers: bearer(token), payload: payload as object })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }
  const ok = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await call(token, method, url, payload)
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300)
    return res.body
  }
  const clocksOf = async (id: number, token = l1.token) =>
    (await ok(token, 'GET', `/api/v1/sla/clocks?ticketId=${id}`)) as Clock[]
  const ticket = (id: number) => s.app.db.ticket.findUniqueOrThrow({ where: { id } })
  const slaHistory = async (id: number, token = admin) =>
    ((await ok(token, 'GET', `/api/v1/tickets/${id}/history`)) as HistoryItem[]).filter(
      (h) => h.kind.startsWith('sla.') || h.kind === 'escalated',
    )
  /** what the (new) app publishes about SLA and notifications */
  const watch = async () => {
    topics = []
    notifications = []
    await s.app.infra.bus.subscribe('sla.*', (_e, topic) => void topics.push(topic))
    await s.app.infra.bus.subscribe('notification', (e) => void notifications.push(e as (typeof notifications)[0]))
  }
  const restart = async () => {
    await s.restart()
    await watch()
  }
  const published = async (...expected: string[]) => {
    for (let i = 0; i < 100 && topics.length < expected.length; i++) await new Promise((r) => setTimeout(r, 20))
    expect(topics).toEqual(expected)
  }

  beforeAll(async () => {
    s = await createScenarioApp(FRIDAY_1630)
    admin = (await s.tokenFor('admin')).token
    l1 = await s.tokenFor('agent', 'Agent Wang (L1)')
    l2 = await s.tokenFor('agent', 'Agent Zhao (L2)')
    l1Team = (await ok(admin, 'POST', '/api/v1/teams', { name: 'L1 front line' })).id
    l2Team = (await ok(admin, 'POST', '/api/v1/teams', { name: 'L2 experts' })).id
    await ok(admin, 'PUT', `/api/v1/teams/${l1Team}/members/${l1.userId}`)
    await ok(admin, 'PUT', `/api/v1/teams/${l2Team}/members/${l2.userId}`)
    await ok(admin, 'POST', '/api/v1/sla/policies', {
      name: 'Billing',
      position: 0,
      conditions: { categories: ['billing'] },
      targets: { resolution: 8 * 60 },
      warnBeforeMinutes: 60,
      businessHours: shanghaiWeekdays,
    })
    await ok(admin, 'POST', '/api/v1/sla/policies', {
      name: 'Standard',
      position: 1,
      targets: { firstResponse: 4 * 60 },
      warnBeforeMinutes: 60,
      businessHours: shanghaiWeekdays,
    })
    await ok(admin, 'POST', '/api/v1/escalation-rules', {
      name: 'First response missed → L2',
      trigger: 'sla.breached',
      conditions: { metrics: ['first_response'] },
      action: { tier: 'L2', teamId: l2Team },
    })
    await watch()
  }, 60_000)
  afterAll(async () => {
    await s?.close()
  })

  it('Friday 17:00: a ticket gets a first-response clock due Tuesday 12:00, warning at 11:00', async () => {
    await s.advance(FRIDAY_1700)
    const created = await ok(l1.token, 'POST', '/api/v1/tickets', {
      subject: '退款还没到账',
      teamId: l1Team,
      assigneeId: l1.userId,
    })
    ticketId = created.id
    // 4 business hours: Friday 17:00–18:00 (1 h); Saturday, Sunday and Qingming Monday closed;
    // Tuesday 09:00–12:00 (3 h) → due Tuesday 12:00. The warning, 60 business minutes earlier: 11:00.
    const [clock] = await clocksOf(ticketId)
    expect(clock).toMatchObject({
      metric: 'first_response',
      status: 'running',
      dueAt: TUESDAY_1200,
      warnAt: TUESDAY_1100,
      remainingBusinessMs: 4 * 3_600_000,
      policy: { name: 'Standard' },
    })
    expect(await ticket(ticketId)).toMatchObject({ slaState: 'ok', slaDueAt: new Date(TUESDAY_1200) })
    // the jobs are stored with the due times, so they outlive the process
    const jobs = await s.app.db.scheduledJob.findMany({ where: { key: { startsWith: `sla:${clock!.id}:` } } })
    expect(jobs.map((j) => [j.key, j.runAt.toISOString(), j.status]).sort()).toEqual([
      [`sla:${clock!.id}:breach`, TUESDAY_1200, 'pending'],
      [`sla:${clock!.id}:warn`, TUESDAY_1100, 'pending'],
    ])
    // the L2 agent does not see an L1 team's ticket
    const l2List = await ok(l2.token, 'GET', '/api/v1/tickets')
    expect(l2List.items.map((t: { id: number }) => t.id)).not.toContain(ticketId)
  })

  it('nothing fires over the weekend nor on the holiday Monday', async () => {
    await restart()
    await s.advance(SATURDAY_1200)
    expect(await slaHistory(ticketId)).toEqual([])
    await restart()
    await s.advance(MONDAY_1759)
    expect(await slaHistory(ticketId)).toEqual([])
    // 1 business hour used on Friday, 3 left
    const [clock] = await clocksOf(ticketId)
    expect(clock).toMatchObject({ status: 'running', usedBusinessMs: 3_600_000, remainingBusinessMs: 3 * 3_600_000 })
    expect(topics).toEqual([])
  })

  it('Tuesday 11:00: the warning, to the assignee and the L1 team’s supervisors', async () => {
    await restart()
    await s.advance(TUESDAY_1059)
    expect(await slaHistory(ticketId)).toEqual([])
    await s.advance(TUESDAY_1100)
    expect(await slaHistory(ticketId)).toMatchObject([
      { kind: 'sla.warning', actorName: 'SLA', data: { metric: 'first_response', dueAt: TUESDAY_1200 } },
    ])
    expect(await ticket(ticketId)).toMatchObject({ slaState: 'warning', tier: 'L1', teamId: l1Team })
    await published('sla.warning')
    const warning = notifications.find((n) => n.kind === 'sla.warning')
    expect(warning).toMatchObject({
      userIds: [l1.userId],
      supervisors: true,
      teamId: l1Team,
      link: `/tickets/${ticketId}`,
    })
  })

  it('Tuesday 12:00: the breach escalates the ticket to L2 and the team "L2 experts"', async () => {
    await restart()
    await s.advance(TUESDAY_1159)
    expect((await slaHistory(ticketId)).map((h) => h.kind)).toEqual(['sla.warning'])
    await restart()
    await s.advance(TUESDAY_1200)
    const history = await slaHistory(ticketId)
    expect(history.map((h) => h.kind)).toEqual(['sla.warning', 'sla.breached', 'escalated'])
    expect(history[2]).toMatchObject({
      actorName: 'escalation rule: First response missed → L2',
      data: { trigger: 'sla.breached', to: { tier: 'L2', teamId: l2Team, teamName: 'L2 experts' } },
    })
    expect(await ticket(ticketId)).toMatchObject({ slaState: 'breached', tier: 'L2', teamId: l2Team })
    await published('sla.breached')
    expect(notifications.find((n) => n.kind === 'sla.breached')).toMatchObject({ userIds: [l1.userId] })
  })

  it('the L2 agent now sees the ticket, its SLA and its whole history', async () => {
    await restart()
    const list = await ok(l2.token, 'GET', '/api/v1/tickets')
    const row = list.items.find((t: { id: number }) => t.id === ticketId)
    expect(row).toMatchObject({ tier: 'L2', slaState: 'breached', team: { name: 'L2 experts' } })
    expect((await slaHistory(ticketId, l2.token)).map((h) => h.kind)).toEqual([
      'sla.warning',
      'sla.breached',
      'escalated',
    ])
    const [clock] = await clocksOf(ticketId, l2.token)
    expect(clock).toMatchObject({ status: 'breached', remainingBusinessMs: 0 })
    // and the L1 agent, whose team no longer has it, no longer sees its clocks
    expect((await call(l1.token, 'GET', `/api/v1/sla/clocks?ticketId=${ticketId}`)).status).toBe(403)
  })

  it('waiting on the customer pauses the clock; it resumes where it stopped', async () => {
    await s.advance(TUESDAY_1300)
    billingTicketId = (
      await ok(l1.token, 'POST', '/api/v1/tickets', {
        subject: '发票抬头错了',
        category: 'billing',
        teamId: l1Team,
        assigneeId: l1.userId,
      })
    ).id
    // 8 business hours from Tuesday 13:00: 5 h on Tuesday, 3 h on Wednesday → Wednesday 12:00
    expect((await clocksOf(billingTicketId))[0]).toMatchObject({
      metric: 'resolution',
      dueAt: '2027-04-07T04:00:00.000Z',
      policy: { name: 'Billing' },
    })
    await s.advance(TUESDAY_1400)
    await ok(l1.token, 'PATCH', `/api/v1/tickets/${billingTicketId}`, { status: 'pending' })
    expect((await clocksOf(billingTicketId))[0]).toMatchObject({
      status: 'paused',
      dueAt: null,
      usedBusinessMs: 3_600_000,
    })
    await restart()
    // past the time it would have warned and breached: nothing, it is paused
    await s.advance(WEDNESDAY_1300)
    expect(await slaHistory(billingTicketId)).toEqual([])
    await restart()
    await s.advance(THURSDAY_1000)
    await ok(l1.token, 'PATCH', `/api/v1/tickets/${billingTicketId}`, { status: 'open' })
    // 7 h left from Thursday 10:00 → 17:00; the warning at 16:00
    expect((await clocksOf(billingTicketId))[0]).toMatchObject({
      status: 'running',
      dueAt: THURSDAY_1700,
      warnAt: THURSDAY_1600,
      usedBusinessMs: 3_600_000,
    })
    await restart()
    await s.advance(THURSDAY_1559)
    expect(await slaHistory(billingTicketId)).toEqual([])
    await s.advance(THURSDAY_1600)
    expect((await slaHistory(billingTicketId)).map((h) => h.kind)).toEqual(['sla.warning'])
    await restart()
    await s.advance(THURSDAY_1700)
    // breached, but the escalation rule is for first responses only: it stays with L1
    expect((await slaHistory(billingTicketId)).map((h) => h.kind)).toEqual(['sla.warning', 'sla.breached'])
    expect(await ticket(billingTicketId)).toMatchObject({ slaState: 'breached', tier: 'L1', teamId: l1Team })
  })
})
