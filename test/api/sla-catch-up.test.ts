import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../support/test-app.js'
import { createScenarioApp, type ScenarioApp } from '../support/scenario-app.js'

/** Monday 1 March 2027, 10:00 UTC; the policy counts around the clock. */
const MONDAY_1000 = '2027-03-01T10:00:00.000Z'
const MONDAY_1030 = '2027-03-01T10:30:00.000Z'
const MONDAY_1200 = '2027-03-01T12:00:00.000Z'

/**
 * What the SLA repairs when an instance starts: clocks a failed ticket listener never started, a
 * resolved ticket whose clocks kept counting, a conversation whose agent answer nobody heard of,
 * a clock whose jobs were lost. And its bookkeeping never touches a ticket's updatedAt.
 */
describe('SLA catch-up at start-up, and quiet bookkeeping', () => {
  let s: ScenarioApp
  let admin: string
  let agent: { token: string; userId: string }

  const call = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await s.app.server.inject({ method, url, headers: bearer(token), payload: payload as object })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }
  const ok = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await call(token, method, url, payload)
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300)
    return res.body
  }
  const clocksOf = (where: { ticketId?: number; conversationId?: string }) =>
    s.app.db.slaClock.findMany({ where, orderBy: { metric: 'asc' } })
  const pendingJobs = async (clockId: string) =>
    (await s.app.infra.scheduler.list({ type: 'sla.check', status: 'pending', limit: 1000 }))
      .filter((j) => j.key?.startsWith(`sla:${clockId}:`))
      .map((j) => j.key)
  /** a restart runs the catch-up job; settle() waits for it */
  const restart = async () => {
    await s.restart()
    await s.settle()
  }

  beforeAll(async () => {
    s = await createScenarioApp(MONDAY_1000)
    admin = (await s.tokenFor('admin')).token
    agent = await s.tokenFor('agent', 'Agent Wu')
    await ok(admin, 'POST', '/api/v1/sla/policies', {
      name: 'Everything',
      conditions: { appliesTo: ['ticket', 'conversation'] },
      targets: { firstResponse: 60, resolution: 240 },
      warnBeforeMinutes: 10,
    })
  }, 60_000)
  afterAll(async () => {
    await s?.close()
  })

  it('a ticket whose clocks the listener never started gets them, with their jobs', async () => {
    const ticket = await ok(admin, 'POST', '/api/v1/tickets', { subject: '发票开错了' })
    // the change listener failed (a lock wait under load): no clocks, no jobs
    for (const clock of await clocksOf({ ticketId: ticket.id })) {
      await s.app.infra.scheduler.cancel(`sla:${clock.id}:warn`)
      await s.app.infra.scheduler.cancel(`sla:${clock.id}:breach`)
    }
    await s.app.db.slaClock.deleteMany({ where: { ticketId: ticket.id } })
    await restart()
    const clocks = await clocksOf({ ticketId: ticket.id })
    expect(clocks.map((c) => [c.metric, c.status])).toEqual([
      ['first_response', 'running'],
      ['resolution', 'running'],
    ])
    for (const clock of clocks) expect(await pendingJobs(clock.id)).toHaveLength(2)
  })

  it('a resolved ticket whose clocks kept counting has them met at its resolution', async () => {
    const ticket = await ok(admin, 'POST', '/api/v1/tickets', { subject: '退款进度' })
    await ok(admin, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'resolved' })
    const met = await clocksOf({ ticketId: ticket.id })
    expect(met.every((c) => c.status === 'met')).toBe(true)
    // as if the listener had failed: the clocks still run, their jobs armed
    await s.app.db.slaClock.updateMany({
      where: { ticketId: ticket.id },
      data: { status: 'running', metAt: null },
    })
    await restart()
    const after = await clocksOf({ ticketId: ticket.id })
    expect(after.map((c) => c.status)).toEqual(['met', 'met'])
    for (const clock of after) expect(await pendingJobs(clock.id)).toEqual([])
    const row = await s.app.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })
    expect(row.slaState).toBe('met')
  })

  it('a clock whose jobs were lost is armed again', async () => {
    const ticket = await ok(admin, 'POST', '/api/v1/tickets', { subject: '换货' })
    const [clock] = await clocksOf({ ticketId: ticket.id })
    await s.app.infra.scheduler.cancel(`sla:${clock!.id}:warn`)
    await s.app.infra.scheduler.cancel(`sla:${clock!.id}:breach`)
    expect(await pendingJobs(clock!.id)).toEqual([])
    await restart()
    expect((await pendingJobs(clock!.id)).sort()).toEqual([`sla:${clock!.id}:breach`, `sla:${clock!.id}:warn`])
  })

  it('an agent answer the bus never delivered meets the conversation’s first-response clock', async () => {
    const contact = await s.app.services.contacts.create({ name: '陈女士' })
    const conversation = await s.app.db.conversation.create({
      data: { contactId: contact.id, channel: 'webchat', status: 'assigned', assigneeId: agent.userId },
    })
    await s.app.infra.bus.publish('conversation.assigned', {
      conversationId: conversation.id,
      assigneeId: agent.userId,
    })
    await expect.poll(async () => (await clocksOf({ conversationId: conversation.id })).length).toBe(2)
    // the agent answered while the event was lost (no instance listened)
    await s.app.db.message.create({
      data: {
        conversationId: conversation.id,
        seq: 1,
        channel: 'webchat',
        direction: 'outbound',
        kind: 'text',
        body: '您好，马上为您处理',
        authorUserId: agent.userId,
      },
    })
    await restart()
    const clocks = await clocksOf({ conversationId: conversation.id })
    expect(clocks.map((c) => [c.metric, c.status])).toEqual([
      ['first_response', 'met'],
      ['resolution', 'running'],
    ])
  })

  it('the SLA’s warnings and breaches do not change a ticket’s updatedAt (its last real update)', async () => {
    await s.advance(MONDAY_1030)
    const ticket = await ok(admin, 'POST', '/api/v1/tickets', { subject: '物流停滞' })
    const before = await s.app.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })
    expect(before.slaState).toBe('ok')
    // an hour later: the first response is breached
    await s.advance(MONDAY_1200)
    const after = await s.app.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })
    expect(after.slaState).toBe('breached')
    expect(after.updatedAt.toISOString()).toBe(before.updatedAt.toISOString())
    expect(after.version).toBe(before.version)
    const page = await call(admin, 'GET', `/api/v1/tickets/${ticket.id}`)
    expect(page.body.updatedAt).toBe(before.updatedAt.toISOString())
  })
})
