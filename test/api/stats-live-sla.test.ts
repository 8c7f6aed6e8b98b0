import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')
const MINUTE = 60_000

/**
 * The live board's SLA part (GET /api/v1/stats/live → sla) and the `slaAtRisk` alert metric.
 * Tickets are opened through the tickets module; their SLA columns (Ticket.slaState, slaDueAt) and
 * the conversations' SLA clocks are then set as the SLA module keeps them, so each state is there
 * without waiting for a warning or a breach.
 */
describe('stats: SLA at risk on the live board', () => {
  let t: TestApp
  let scoped: { token: string; userId: string }
  let everyone: { token: string; userId: string }
  let agent: { token: string; userId: string }
  let contactId: string
  let queueA: string
  let queueB: string
  const ids: Record<string, number> = {}
  const now = Date.now()

  const live = async (token: string) => {
    const res = await t.app.server.inject({ method: 'GET', url: '/api/v1/stats/live', headers: bearer(token) })
    expect(res.statusCode, res.payload).toBe(200)
    return JSON.parse(res.payload) as {
      sla: {
        atRisk: number
        breached: number
        tickets: Array<{
          id: number
          subject: string
          slaState: string
          slaDueAt: string | null
          teamId: string | null
        }>
      }
    }
  }

  async function ticket(
    name: string,
    teamId: string | null,
    sla: { state: string; dueInMinutes: number | null; status?: string },
  ) {
    const created = await t.app.services.tickets.create(actor, { subject: `Ticket ${name}`, teamId })
    await t.app.db.ticket.update({
      where: { id: created.id },
      data: {
        slaState: sla.state,
        slaDueAt: sla.dueInMinutes === null ? null : new Date(now + sla.dueInMinutes * MINUTE),
        ...(sla.status ? { status: sla.status } : {}),
      },
    })
    ids[name] = created.id
  }

  async function conversationWithClock(
    queueId: string,
    clock: { warned?: boolean; breached?: boolean; met?: boolean },
    status = 'assigned',
  ) {
    const conversation = await t.app.db.conversation.create({
      data: { contactId, channel: 'webchat', status, queueId, queuedAt: new Date(now - 20 * MINUTE) },
    })
    await t.app.db.slaClock.create({
      data: {
        conversationId: conversation.id,
        metric: 'resolution',
        targetMinutes: 15,
        status: clock.met ? 'met' : clock.breached ? 'breached' : 'running',
        startedAt: new Date(now - 20 * MINUTE),
        dueAt: new Date(now + (clock.breached ? -5 : 2) * MINUTE),
        warnedAt: clock.warned || clock.breached ? new Date(now - 8 * MINUTE) : null,
        breachedAt: clock.breached ? new Date(now - 5 * MINUTE) : null,
        metAt: clock.met ? new Date(now - MINUTE) : null,
      },
    })
    return conversation.id
  }

  beforeAll(async () => {
    t = await createTestApp()
    const db = t.app.db
    scoped = await t.tokenFor('supervisor')
    everyone = await t.tokenFor('supervisor')
    agent = await t.tokenFor('agent')
    const teamA = await db.team.create({ data: { name: 'After-sales team' } })
    const teamB = await db.team.create({ data: { name: 'Pre-sales team' } })
    await db.teamMember.create({ data: { teamId: teamA.id, userId: scoped.userId } })
    queueA = (await db.queue.create({ data: { name: 'After-sales', teamId: teamA.id } })).id
    queueB = (await db.queue.create({ data: { name: 'Pre-sales', teamId: teamB.id } })).id
    contactId = (await t.app.services.contacts.create({ name: '王先生' })).id

    // team A: breached (due 60 min ago), at risk due in 10 min, at risk while pending (paused: no due time), fine
    await ticket('a-breached', teamA.id, { state: 'breached', dueInMinutes: -60 })
    await ticket('a-warning', teamA.id, { state: 'warning', dueInMinutes: 10 })
    await ticket('a-paused', teamA.id, { state: 'warning', dueInMinutes: null, status: 'pending' })
    await ticket('a-ok', teamA.id, { state: 'ok', dueInMinutes: 30 })
    // resolved late and closed: no longer at risk
    await ticket('a-resolved', teamA.id, { state: 'breached', dueInMinutes: null, status: 'resolved' })
    // no team: every supervisor watches it
    await ticket('no-team', null, { state: 'warning', dueInMinutes: 5 })
    // team B: breached 30 min ago, and twelve at risk
    await ticket('b-breached', teamB.id, { state: 'breached', dueInMinutes: -30 })
    for (let i = 0; i < 12; i++) await ticket(`b-warning-${i}`, teamB.id, { state: 'warning', dueInMinutes: 20 + i })

    // conversations: one at risk in A, one breached in B; met, resolved or unwarned ones do not count
    await conversationWithClock(queueA, { warned: true })
    await conversationWithClock(queueB, { breached: true })
    await conversationWithClock(queueA, { warned: true, met: true })
    await conversationWithClock(queueA, { breached: true }, 'resolved')
    await conversationWithClock(queueA, {})
  }, 60_000)
  afterAll(() => t?.close())

  it("shows a team supervisor their teams' and team-less tickets, most urgent first, and their queues' conversations", async () => {
    const { sla } = await live(scoped.token)
    // at risk: a-warning, a-paused, no-team, and the conversation in After-sales; breached: a-breached
    expect(sla).toMatchObject({ atRisk: 4, breached: 1 })
    expect(sla.tickets.map((x) => x.id)).toEqual([ids['a-breached'], ids['no-team'], ids['a-warning'], ids['a-paused']])
    expect(sla.tickets[0]).toEqual({
      id: ids['a-breached'],
      subject: 'Ticket a-breached',
      slaState: 'breached',
      slaDueAt: new Date(now - 60 * MINUTE).toISOString(),
      teamId: expect.any(String),
    })
    expect(sla.tickets.find((x) => x.subject.startsWith('Ticket b-'))).toBeUndefined()
  })

  it('shows a supervisor in no team everything, the ten most urgent tickets listed', async () => {
    const { sla } = await live(everyone.token)
    // at risk: 2 of A, no-team, 12 of B, A’s conversation; breached: a-breached, b-breached, B's conversation
    expect(sla).toMatchObject({ atRisk: 16, breached: 3 })
    expect(sla.tickets).toHaveLength(10)
    expect(sla.tickets.slice(0, 4).map((x) => x.id)).toEqual([
      ids['a-breached'],
      ids['b-breached'],
      ids['no-team'],
      ids['a-warning'],
    ])
    expect(sla.tickets.slice(4).map((x) => x.id)).toEqual([0, 1, 2, 3, 4, 5].map((i) => ids[`b-warning-${i}`]))
    expect(
      (await t.app.server.inject({ method: 'GET', url: '/api/v1/stats/live', headers: bearer(agent.token) }))
        .statusCode,
    ).toBe(403)
  })

  it('raises an slaAtRisk alert over all tickets and conversations, or over one queue’s conversations', async () => {
    const put = await t.app.server.inject({
      method: 'PUT',
      url: '/api/v1/stats/alert-rules',
      headers: bearer(everyone.token),
      payload: {
        rules: [
          { metric: 'slaAtRisk', queueId: null, threshold: 19 },
          { metric: 'slaAtRisk', queueId: queueA, threshold: 0 },
          { metric: 'slaAtRisk', queueId: queueB, threshold: 1 },
          { metric: 'waiting', queueId: null, threshold: 10 },
        ],
      },
    })
    expect(put.statusCode, put.payload).toBe(200)
    const { raised } = await t.app.services.stats.alerts.evaluate()
    // all: 17 tickets (15 at risk, 2 breached) + 2 conversations = 19, not more than 19; After-sales: 1 > 0; Pre-sales: 1, not > 1
    expect(raised.map((a) => ({ metric: a.metric, queueId: a.queueId, value: a.value }))).toEqual([
      { metric: 'slaAtRisk', queueId: queueA, value: 1 },
    ])
    // one more at risk anywhere: the rule over all of them fires too
    await ticket('late-comer', null, { state: 'warning', dueInMinutes: 3 })
    const second = await t.app.services.stats.alerts.evaluate()
    expect(second.raised).toEqual([expect.objectContaining({ metric: 'slaAtRisk', queueId: null, value: 20 })])
    // the scoped supervisor sees the After-sales alert and the one over everything
    const scopedAlerts = (await live(scoped.token)) as unknown as { alerts: Array<{ queueId: string | null }> }
    expect(scopedAlerts.alerts.map((a) => a.queueId).sort()).toEqual([null, queueA].sort())
    // the conversation in After-sales is resolved in time: its alert clears, and with 19 left, the other one
    await t.app.db.slaClock.updateMany({
      where: { conversationId: { not: null }, status: 'running', warnedAt: { not: null } },
      data: { status: 'met', metAt: new Date() },
    })
    const third = await t.app.services.stats.alerts.evaluate()
    expect(third.cleared.map((a) => a.queueId)).toHaveLength(2)
    expect(third.cleared.map((a) => a.queueId)).toEqual(expect.arrayContaining([queueA, null]))
  })

  it('refuses an unknown metric and keeps accepting the rules saved before slaAtRisk existed', async () => {
    const bad = await t.app.server.inject({
      method: 'PUT',
      url: '/api/v1/stats/alert-rules',
      headers: bearer(everyone.token),
      payload: { rules: [{ metric: 'slaLate', queueId: null, threshold: 1 }] },
    })
    expect(bad.statusCode).toBe(400)
    expect(JSON.parse(bad.payload).details).toEqual([expect.objectContaining({ path: 'rules.0.metric' })])
    // a stored list in the earlier shape reads as it was
    const old = { rules: [{ id: 'r1', metric: 'longestWait', queueId: null, threshold: 120, enabled: true }] }
    await t.app.db.setting.update({ where: { key: 'stats.alert-rules' }, data: { value: old } })
    expect(await t.app.services.stats.alertRules()).toEqual(old.rules)
  })
})
