import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { createRoutingService } from '../../core/src/routing/index.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')

/**
 * The ACD against a real database: presence and capacity from the API, skills and queue
 * membership from the tables, assignments committed once even when several routers (as on several
 * instances) decide at the same time.
 */
describe('routing: queued conversations reach the right agents', () => {
  let t: TestApp
  let queueId: string
  let skilled: { token: string; userId: string }
  let unskilled: { token: string; userId: string }
  let contactId: string
  let vipContactId: string

  const queue = async (contact: string, queuedAgoMs = 0) =>
    t.app.db.conversation.create({
      data: {
        contactId: contact,
        channel: 'webchat',
        status: 'queued',
        queueId,
        queuedAt: new Date(Date.now() - queuedAgoMs),
      },
    })
  const router = () =>
    createRoutingService({ db: t.app.db, infra: t.app.infra, audit: t.app.services.audit, logger: t.app.logger })
  const assignedTo = async (userId: string) =>
    t.app.db.conversation.count({ where: { assigneeId: userId, status: 'assigned' } })

  beforeAll(async () => {
    t = await createTestApp()
    skilled = await t.tokenFor('agent')
    unskilled = await t.tokenFor('agent')
    const skill = await t.app.db.skill.create({ data: { name: 'returns' } })
    await t.app.db.agentSkill.create({ data: { userId: skilled.userId, skillId: skill.id, level: 3 } })
    queueId = (await t.app.db.queue.create({ data: { name: 'Returns', requiredSkills: ['returns'] } })).id
    await t.app.db.queueMember.createMany({
      data: [
        { queueId, userId: skilled.userId },
        { queueId, userId: unskilled.userId },
      ],
    })
    contactId = (await t.app.services.contacts.create({ name: '王先生' })).id
    vipContactId = (await t.app.services.contacts.create({ name: '李女士', tags: ['vip'] })).id
  }, 60_000)
  afterAll(() => t?.close())

  it('assigns only to available agents with the skill, up to their capacity; the rest wait with a position', async () => {
    for (const who of [skilled, unskilled]) {
      const res = await t.app.server.inject({
        method: 'PUT',
        url: '/api/v1/agents/me/presence',
        headers: bearer(who.token),
        payload: { presence: 'available' },
      })
      expect(res.statusCode, res.payload).toBe(204)
    }
    const admin = (await t.tokenFor('supervisor')).token
    const capacity = await t.app.server.inject({
      method: 'PUT',
      url: `/api/v1/agents/${skilled.userId}/capacity`,
      headers: bearer(admin),
      payload: { chat: 2 },
    })
    expect(capacity.statusCode, capacity.payload).toBe(204)
    const first = await queue(contactId, 60_000)
    await queue(contactId, 30_000)
    const vip = await queue(vipContactId, 0)
    expect(await t.app.services.routing.assign()).toBe(2)
    expect(await assignedTo(skilled.userId)).toBe(2)
    expect(await assignedTo(unskilled.userId)).toBe(0)
    // the VIP came last but went first; of the others, the one waiting longer
    const vipRow = await t.app.db.conversation.findUniqueOrThrow({ where: { id: vip.id } })
    expect(vipRow).toMatchObject({ status: 'assigned', assigneeId: skilled.userId })
    expect((await t.app.db.conversation.findUniqueOrThrow({ where: { id: first.id } })).status).toBe('assigned')
    const waiting = await t.app.server.inject({ method: 'GET', url: '/api/v1/queues/waiting', headers: bearer(admin) })
    expect(JSON.parse(waiting.payload)).toEqual([expect.objectContaining({ queueId, media: 'chat', position: 1 })])
    const agents = JSON.parse(
      (await t.app.server.inject({ method: 'GET', url: '/api/v1/agents', headers: bearer(admin) })).payload,
    ) as Array<{ userId: string; load: Record<string, number> }>
    expect(agents.find((a) => a.userId === skilled.userId)?.load).toEqual({ chat: 2 })
  })

  it('resolving frees capacity for the next one; away agents get nothing', async () => {
    const [mine] = await t.app.db.conversation.findMany({ where: { assigneeId: skilled.userId, status: 'assigned' } })
    await t.app.services.conversations.update(actor, mine!.id, { status: 'resolved' })
    await t.app.services.routing.setPresence(actor, skilled.userId, { presence: 'away', reason: 'lunch' })
    expect(await t.app.services.routing.assign()).toBe(0)
    await t.app.services.routing.setPresence(actor, skilled.userId, { presence: 'available' })
    expect(await t.app.services.routing.assign()).toBe(1)
    expect(await t.app.db.conversation.count({ where: { status: 'queued' } })).toBe(0)
  })

  it('several routers deciding at once (as on several instances) never assign twice or over capacity', async () => {
    await t.app.services.routing.setCapacity(actor, skilled.userId, { chat: 5 })
    for (let i = 0; i < 12; i++) await queue(contactId, i * 1000)
    const routers = [t.app.services.routing, router(), router()]
    for (let round = 0; round < 4; round++) await Promise.all(routers.map((r) => r.assign()))
    expect(await assignedTo(skilled.userId)).toBe(5)
    const assigned = await t.app.db.conversation.findMany({ where: { status: 'assigned' } })
    expect(new Set(assigned.map((c) => c.id)).size).toBe(assigned.length)
    // 2 were already his; 3 more fit; the other 9 wait, none lost
    expect(await t.app.db.conversation.count({ where: { status: 'queued' } })).toBe(9)
  })

  it('transfers to a queue put it back in line, to an agent assign it at once', async () => {
    const [one] = await t.app.db.conversation.findMany({ where: { status: 'queued' }, take: 1 })
    const res = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${one!.id}/transfer`,
      headers: bearer(skilled.token),
      payload: { agentId: unskilled.userId },
    })
    expect(res.statusCode, res.payload).toBe(204)
    expect(await t.app.db.conversation.findUniqueOrThrow({ where: { id: one!.id } })).toMatchObject({
      status: 'assigned',
      assigneeId: unskilled.userId,
    })
  })
})
