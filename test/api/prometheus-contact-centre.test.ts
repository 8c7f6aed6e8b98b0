import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** GET /metrics carries the contact centre for operators: queues, agents, alerts, SLA clocks. */
describe('Prometheus contact-centre gauges', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  }, 60_000)
  afterAll(() => t?.close())

  it('reports waiting, longest wait, agents by presence and SLA clocks at risk from the shared database', async () => {
    const db = t.app.db
    const agent = await t.tokenFor('agent')
    await db.agentState.upsert({
      where: { userId: agent.userId },
      create: { userId: agent.userId, presence: 'available' },
      update: { presence: 'available' },
    })
    const queue = await db.queue.create({ data: { name: 'after-sales' } })
    const contact = await db.contact.create({ data: {} })
    const waitingSince = new Date(Date.now() - 95_000)
    for (const queuedAt of [waitingSince, new Date()])
      await db.conversation.create({
        data: { contactId: contact.id, channel: 'webchat', status: 'queued', queueId: queue.id, queuedAt },
      })
    const start = new Date(Date.now() - 600_000)
    await db.slaClock.createMany({
      data: [
        { metric: 'first_response', targetMinutes: 15, startedAt: start, warnedAt: new Date() },
        { metric: 'resolution', targetMinutes: 5, startedAt: start, status: 'breached', breachedAt: new Date() },
        { metric: 'first_response', targetMinutes: 15, startedAt: start, status: 'met', metAt: new Date() },
      ],
    })

    const res = await t.app.server.inject({ method: 'GET', url: '/metrics' })
    expect(res.statusCode).toBe(200)
    const text = res.payload
    expect(text).toContain('switchboard_queue_waiting{queue="after-sales"} 2')
    const longest = Number(/switchboard_queue_longest_wait_seconds\{queue="after-sales"\} ([\d.]+)/.exec(text)?.[1])
    expect(longest).toBeGreaterThanOrEqual(95)
    expect(longest).toBeLessThan(200)
    expect(text).toContain('switchboard_agents{presence="available"} 1')
    expect(text).toContain('switchboard_sla_clocks{state="at_risk"} 1')
    expect(text).toContain('switchboard_sla_clocks{state="breached"} 1')
    expect(text).toMatch(/switchboard_alerts_active 0/)
  })
})
