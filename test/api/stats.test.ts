import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')
const at = (iso: string) => new Date(iso)

/**
 * The supervisor dashboard's figures from a seeded day with known timings (the expected values are
 * worked out by hand below), the alert rules' validation, and alerts raised and cleared on a fixed
 * clock.
 */
describe('stats: today, live and threshold alerts', () => {
  let t: TestApp
  let supervisor: { token: string; userId: string }
  let agent: { token: string; userId: string }
  let contactId: string
  let queueId: string

  const call = (method: string, url: string, payload?: unknown, token = supervisor.token) =>
    t.app.server.inject({ method, url, payload: payload as object, headers: bearer(token) })
  const json = (res: { payload: string }) => JSON.parse(res.payload)

  beforeAll(async () => {
    t = await createTestApp()
    supervisor = await t.tokenFor('supervisor')
    agent = await t.tokenFor('agent')
    contactId = (await t.app.services.contacts.create({ name: '王先生' })).id
    queueId = (await t.app.db.queue.create({ data: { name: 'After-sales' } })).id
    await t.app.db.queueMember.create({ data: { queueId, userId: agent.userId } })
  }, 60_000)
  afterAll(() => t?.close())

  describe('today', () => {
    // 2026-03-10 14:00 in Shanghai (UTC+8); the local day started 2026-03-09T16:00Z
    const now = at('2026-03-10T06:00:00Z')

    beforeAll(async () => {
      const db = t.app.db
      const seed = async (data: {
        channel: string
        status: string
        intent?: string
        createdAt: string
        queuedAt?: string
        assignedAt?: string
        resolvedAt?: string
        rating?: number
        queue?: boolean
      }) =>
        db.conversation.create({
          data: {
            contactId,
            channel: data.channel,
            status: data.status,
            intent: data.intent ?? null,
            createdAt: at(data.createdAt),
            queueId: data.queue === false || !data.queuedAt ? null : queueId,
            queuedAt: data.queuedAt ? at(data.queuedAt) : null,
            assignedAt: data.assignedAt ? at(data.assignedAt) : null,
            assigneeId: data.status === 'assigned' ? agent.userId : null,
            resolvedAt: data.resolvedAt ? at(data.resolvedAt) : null,
            attributes: data.rating ? { rating: data.rating } : {},
          },
        })
      const message = (conversationId: string, createdAt: string, kind: 'agent' | 'bot' | 'note') =>
        db.message.create({
          data: {
            conversationId,
            channel: 'webchat',
            direction: kind === 'note' ? 'internal' : 'outbound',
            kind: kind === 'note' ? 'note' : 'text',
            authorUserId: kind === 'bot' ? null : agent.userId,
            createdAt: at(createdAt),
          },
        })
      // 1: 09:00 local, waited 30 s, first reply 60 s after queueing (a bot line and a note before it do not count)
      const c1 = await seed({
        channel: 'webchat',
        status: 'resolved',
        intent: 'refund',
        createdAt: '2026-03-10T01:00:00Z',
        queuedAt: '2026-03-10T01:01:00Z',
        assignedAt: '2026-03-10T01:01:30Z',
        resolvedAt: '2026-03-10T01:20:00Z',
        rating: 5,
      })
      await message(c1.id, '2026-03-10T01:00:30Z', 'bot')
      await message(c1.id, '2026-03-10T01:01:40Z', 'note')
      await message(c1.id, '2026-03-10T01:02:00Z', 'agent')
      await message(c1.id, '2026-03-10T01:05:00Z', 'agent')
      // 2: 10:10 local, waited 90 s, first reply after 120 s, rated 3
      const c2 = await seed({
        channel: 'webchat',
        status: 'resolved',
        intent: 'refund',
        createdAt: '2026-03-10T02:10:00Z',
        queuedAt: '2026-03-10T02:10:00Z',
        assignedAt: '2026-03-10T02:11:30Z',
        resolvedAt: '2026-03-10T02:30:00Z',
        rating: 3,
      })
      await message(c2.id, '2026-03-10T02:12:00Z', 'agent')
      // 3: 10:30 local, WeChat, waited 300 s, first reply after 600 s, still with the agent
      const c3 = await seed({
        channel: 'wechat',
        status: 'assigned',
        intent: 'order-status',
        createdAt: '2026-03-10T02:30:00Z',
        queuedAt: '2026-03-10T02:30:00Z',
        assignedAt: '2026-03-10T02:35:00Z',
      })
      await message(c3.id, '2026-03-10T02:40:00Z', 'agent')
      // 4: 11:00 local, WeChat, still waiting
      await seed({
        channel: 'wechat',
        status: 'queued',
        intent: 'order-status',
        createdAt: '2026-03-10T03:00:00Z',
        queuedAt: '2026-03-10T03:00:00Z',
      })
      // 5: 11:20 local, the bot resolved it alone
      await seed({
        channel: 'webchat',
        status: 'resolved',
        intent: 'order-status',
        createdAt: '2026-03-10T03:20:00Z',
        resolvedAt: '2026-03-10T03:22:00Z',
      })
      // 6: 23:30 local yesterday: not today
      await seed({
        channel: 'voice',
        status: 'resolved',
        createdAt: '2026-03-09T15:30:00Z',
        resolvedAt: '2026-03-09T15:40:00Z',
      })
      // 7: 13:59 local, with the bot now
      await seed({ channel: 'webchat', status: 'bot', createdAt: '2026-03-10T05:59:00Z' })
    })

    it('counts volumes by channel and local hour, rates, waits, first response, CSAT and intents', async () => {
      const stats = await t.app.services.stats.today(
        { id: supervisor.userId, role: 'supervisor' },
        { timeZone: 'Asia/Shanghai', now },
      )
      expect(stats).toMatchObject({
        timeZone: 'Asia/Shanghai',
        date: '2026-03-10',
        from: at('2026-03-09T16:00:00Z'),
        total: 6,
        byChannel: [
          { channel: 'webchat', count: 4 },
          { channel: 'wechat', count: 2 },
        ],
        askedForAgent: 4,
        answered: 3,
        answerRate: 0.75,
        resolved: 3,
        resolutionRate: 0.5,
        // waits 30, 90, 300 s: average 140 s; p90 by nearest rank (ceil(0.9 × 3) = 3rd) is 300 s
        wait: { count: 3, averageMs: 140_000, p90Ms: 300_000 },
        // first replies 60, 120, 600 s after queueing: average 260 s, p90 600 s
        firstResponse: { count: 3, averageMs: 260_000, p90Ms: 600_000 },
        // stars 5 and 3: average 4, one of two satisfied (4 or 5)
        csat: { responses: 2, averageStars: 4, satisfiedRate: 0.5 },
        topIntents: [
          { intent: 'order-status', count: 3 },
          { intent: 'refund', count: 2 },
        ],
        truncated: false,
      })
      const hours = Object.fromEntries(stats.byHour.filter((h) => h.total > 0).map((h) => [h.hour, h.byChannel]))
      expect(hours).toEqual({
        9: { webchat: 1 },
        10: { webchat: 1, wechat: 1 },
        11: { wechat: 1, webchat: 1 },
        13: { webchat: 1 },
      })
      expect(stats.byHour).toHaveLength(24)
    })

    it('counts the same rows in another zone by its own midnight', async () => {
      // in UTC the day 2026-03-10 started at 00:00Z: conversation 6 (15:30Z on the 9th) is out, the rest in
      const stats = await t.app.services.stats.today(
        { id: supervisor.userId, role: 'supervisor' },
        { timeZone: 'UTC', now },
      )
      expect(stats.total).toBe(6)
      expect(stats.byHour.find((h) => h.hour === 1)!.total).toBe(1)
      const late = await t.app.services.stats.today(
        { id: supervisor.userId, role: 'supervisor' },
        { timeZone: 'UTC', now: at('2026-03-09T23:00:00Z') },
      )
      expect(late.total).toBe(1)
      expect(late.byChannel).toEqual([{ channel: 'voice', count: 1 }])
      expect(late.answerRate).toBeNull()
      expect(late.csat).toBeNull()
      expect(late.wait).toEqual({ count: 0, averageMs: null, p90Ms: null })
    })

    it('answers over HTTP for supervisors, with a 400 naming timeZone when it is not a zone', async () => {
      const ok = await call('GET', '/api/v1/stats/today?timeZone=Asia/Shanghai')
      expect(ok.statusCode).toBe(200)
      expect(json(ok)).toMatchObject({ timeZone: 'Asia/Shanghai', byHour: expect.any(Array) })
      const bad = await call('GET', '/api/v1/stats/today?timeZone=Mars/Olympus')
      expect(bad.statusCode).toBe(400)
      expect(json(bad).details).toEqual([expect.objectContaining({ path: 'timeZone' })])
      expect((await call('GET', '/api/v1/stats/today', undefined, agent.token)).statusCode).toBe(403)
    })
  })

  describe('alert rules', () => {
    it('refuses bad rules with 400 naming each field, and keeps nothing of them', async () => {
      const res = await call('PUT', '/api/v1/stats/alert-rules', {
        rules: [
          { metric: 'waiting', queueId: null, threshold: 5 },
          { metric: 'queueLength', queueId: null, threshold: 5 },
          { metric: 'longestWait', queueId: null, threshold: -1 },
          { metric: 'waiting', queueId: 'no-such-queue', threshold: 3 },
        ],
      })
      expect(res.statusCode).toBe(400)
      const paths = json(res).details.map((d: { path: string }) => d.path)
      expect(paths).toEqual(expect.arrayContaining(['rules.1.metric', 'rules.2.threshold']))
      const unknownQueue = await call('PUT', '/api/v1/stats/alert-rules', {
        rules: [{ metric: 'waiting', queueId: 'no-such-queue', threshold: 3 }],
      })
      expect(unknownQueue.statusCode).toBe(400)
      expect(json(unknownQueue).details).toEqual([expect.objectContaining({ path: 'rules.0.queueId' })])
      expect(json(await call('GET', '/api/v1/stats/alert-rules')).rules).toEqual([])
    })

    it('saves rules with ids, audits the change, and lets agents neither read nor write them', async () => {
      const res = await call('PUT', '/api/v1/stats/alert-rules', {
        rules: [{ metric: 'waiting', queueId, threshold: 4 }],
      })
      expect(res.statusCode).toBe(200)
      const [rule] = json(res).rules
      expect(rule).toMatchObject({ id: expect.any(String), metric: 'waiting', queueId, threshold: 4, enabled: true })
      expect(json(await call('GET', '/api/v1/stats/alert-rules')).rules).toEqual([rule])
      const audit = await t.app.db.auditEvent.findFirst({ where: { action: 'stats.alert-rules.update' } })
      expect(audit?.actorUserId).toBe(supervisor.userId)
      expect((await call('GET', '/api/v1/stats/alert-rules', undefined, agent.token)).statusCode).toBe(403)
      expect((await call('PUT', '/api/v1/stats/alert-rules', { rules: [] }, agent.token)).statusCode).toBe(403)
    })
  })

  describe('alerts on a fixed clock', () => {
    it('raises when a threshold is crossed and clears when the condition ends, once each, on the bus', async () => {
      const db = t.app.db
      const queue = (await db.queue.create({ data: { name: 'Alerts' } })).id
      await db.queueMember.create({ data: { queueId: queue, userId: agent.userId } })
      await t.app.services.routing.setPresence(actor, agent.userId, { presence: 'away', reason: 'lunch' })
      const t0 = at('2026-04-01T08:00:00Z')
      const queued = await Promise.all(
        [0, 1].map(() =>
          db.conversation.create({
            data: { contactId, channel: 'webchat', status: 'queued', queueId: queue, queuedAt: t0 },
          }),
        ),
      )
      const saved = json(
        await call('PUT', '/api/v1/stats/alert-rules', {
          rules: [
            { metric: 'waiting', queueId: queue, threshold: 1 },
            { metric: 'longestWait', queueId: queue, threshold: 120 },
            { metric: 'availableAgents', queueId: queue, threshold: 1 },
          ],
        }),
      ).rules as Array<{ id: string; metric: string }>
      const ruleOf = (metric: string) => saved.find((r) => r.metric === metric)!.id

      const events: Array<{ topic: string; event: Record<string, unknown> }> = []
      const unsubscribe = await t.app.infra.bus.subscribe('alert.*', (event, topic) => {
        events.push({ topic, event: event as Record<string, unknown> })
      })
      const settle = async (count: number) => {
        for (let i = 0; i < 100 && events.length < count; i++) await new Promise((r) => setTimeout(r, 20))
      }
      const monitor = t.app.services.stats.alerts

      // one minute in: 2 waiting (> 1) and nobody available (< 1); the wait (60 s) is under 120 s
      const first = await monitor.evaluate(new Date(t0.getTime() + 60_000))
      expect(first.raised.map((a) => a.ruleId).sort()).toEqual([ruleOf('waiting'), ruleOf('availableAgents')].sort())
      expect(first.raised.find((a) => a.metric === 'waiting')).toMatchObject({
        value: 2,
        threshold: 1,
        queueName: 'Alerts',
      })
      await settle(2)
      expect(events.map((e) => e.topic)).toEqual(['alert.raised', 'alert.raised'])

      // the same state again: nothing new
      expect(await monitor.evaluate(new Date(t0.getTime() + 90_000))).toEqual({ raised: [], cleared: [] })

      // 200 s in: the longest wait crosses 120 s
      const second = await monitor.evaluate(new Date(t0.getTime() + 200_000))
      expect(second.raised).toEqual([expect.objectContaining({ ruleId: ruleOf('longestWait'), value: 200 })])
      const visible = json(await call('GET', '/api/v1/stats/alerts'))
      expect(visible.map((a: { ruleId: string }) => a.ruleId).sort()).toEqual(saved.map((r) => r.id).sort())
      const live = json(await call('GET', '/api/v1/stats/live'))
      expect(live.queues.find((q: { id: string }) => q.id === queue)).toMatchObject({ waiting: 2, available: 0 })
      expect(live.alerts).toHaveLength(3)

      // the agent comes back and one conversation is answered: waiting and availability clear, the wait stays
      await t.app.services.routing.setPresence(actor, agent.userId, { presence: 'available' })
      await db.conversation.update({
        where: { id: queued[0]!.id },
        data: { status: 'assigned', assigneeId: agent.userId, assignedAt: new Date(t0.getTime() + 210_000) },
      })
      const third = await monitor.evaluate(new Date(t0.getTime() + 220_000))
      expect(third.raised).toEqual([])
      expect(third.cleared.map((a) => a.ruleId).sort()).toEqual([ruleOf('waiting'), ruleOf('availableAgents')].sort())
      await settle(5)
      expect(events.filter((e) => e.topic === 'alert.cleared').map((e) => e.event.ruleId)).toHaveLength(2)
      expect(events.find((e) => e.topic === 'alert.cleared')!.event).toMatchObject({
        clearedAt: new Date(t0.getTime() + 220_000).toISOString(),
      })

      // removing the rules clears what is still on
      await call('PUT', '/api/v1/stats/alert-rules', { rules: [] })
      const last = await monitor.evaluate(new Date(t0.getTime() + 230_000))
      expect(last.cleared.map((a) => a.ruleId)).toEqual([ruleOf('longestWait')])
      expect(json(await call('GET', '/api/v1/stats/alerts'))).toEqual([])
      await settle(6)
      expect(events.map((e) => e.topic).filter((x) => x === 'alert.raised')).toHaveLength(3)
      expect(events.map((e) => e.topic).filter((x) => x === 'alert.cleared')).toHaveLength(3)
      await unsubscribe()
      await db.conversation.deleteMany({ where: { queueId: queue } })
    })

    it('shows a team-scoped supervisor only their teams’ queues and alerts', async () => {
      const db = t.app.db
      const teamA = await db.team.create({ data: { name: 'Team A' } })
      const teamB = await db.team.create({ data: { name: 'Team B' } })
      const scoped = await t.tokenFor('supervisor')
      await db.teamMember.create({ data: { teamId: teamA.id, userId: scoped.userId } })
      const mine = await db.queue.create({ data: { name: 'Mine', teamId: teamA.id } })
      const theirs = await db.queue.create({ data: { name: 'Theirs', teamId: teamB.id } })
      const live = json(await call('GET', '/api/v1/stats/live', undefined, scoped.token))
      const names = live.queues.map((q: { name: string }) => q.name)
      expect(names).toContain('Mine')
      expect(names).not.toContain('Theirs')
      // an unscoped supervisor (in no team) sees both
      const all = json(await call('GET', '/api/v1/stats/live')).queues.map((q: { id: string }) => q.id)
      expect(all).toEqual(expect.arrayContaining([mine.id, theirs.id]))
    })
  })
})
