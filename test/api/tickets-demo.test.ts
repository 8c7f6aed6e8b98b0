import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { loadDemoData } from '../../core/src/demo/index.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** The demo shop's tickets are made through the tickets module, each with a history worth showing. */
describe('demo tickets', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ SWITCHBOARD_PLUGINS: 'false' })
    await loadDemoData(t.app, systemActor('demo'))
  }, 60_000)
  afterAll(() => t?.close())

  it('has the leaking lipstick, a refund escalated to L2 with its history, one pending and one resolved ticket', async () => {
    const tickets = await t.app.db.ticket.findMany({ orderBy: { id: 'asc' } })
    expect(tickets.map((x) => [x.subject, x.status, x.tier])).toEqual([
      ['口红漏液 — 换货 (order 12345)', 'open', 'L1'],
      ['退款未到账（订单 2026110588）', 'open', 'L2'],
      ['咨询口红礼盒能否刻字', 'pending', 'L1'],
      ['发票抬头开错，需要重开', 'resolved', 'L1'],
    ])
    const lipstick = await t.app.services.tickets.detail(tickets[0]!.id)
    expect(lipstick.conversations).toHaveLength(1)
    expect(lipstick.contact?.name).toBe('李女士 Ms. Li')

    const refund = tickets[1]!
    const emma = await t.app.db.user.findUniqueOrThrow({ where: { email: 'emma@demo.switchboard.local' } })
    expect(refund).toMatchObject({ assigneeId: emma.id, priority: 'high' })
    const history = await t.app.services.tickets.history(refund.id)
    expect(history.map((h) => [h.kind, h.actorName])).toEqual([
      ['created', '李娜 Li Na'],
      ['note', '李娜 Li Na'],
      ['escalated', '李娜 Li Na'],
      ['note', 'Emma Clark'],
    ])
    expect(history[2]!.data).toMatchObject({ from: { tier: 'L1' }, to: { tier: 'L2', assigneeName: 'Emma Clark' } })
  })
})
