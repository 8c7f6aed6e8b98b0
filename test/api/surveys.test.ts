import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { surveyIdFor } from '../../core/src/surveys/index.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const DAY = 86_400_000
const day = (n: number) => new Date(Date.UTC(2026, 2, 1) + n * DAY)

describe('surveys API', () => {
  let t: TestApp
  let admin: string
  let supervisorT2: string
  const ids: Record<string, string> = {}

  const call = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await t.app.server.inject({ method, url, headers: bearer(token), payload: payload as object })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }
  async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
    for (let i = 0; i < 300; i++) {
      const v = await read()
      if (ok(v)) return v
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error(`timed out waiting for ${what}`)
  }

  beforeAll(async () => {
    t = await createTestApp()
    admin = (await t.tokenFor('admin')).token
    const supervisor = await t.tokenFor('supervisor')
    supervisorT2 = supervisor.token
    const a1 = await t.tokenFor('agent')
    const a2 = await t.tokenFor('agent')
    ids.a1 = a1.userId
    ids.a2 = a2.userId
    ids.t1 = (await call(admin, 'POST', '/api/v1/teams', { name: 'Team one' })).body.id
    ids.t2 = (await call(admin, 'POST', '/api/v1/teams', { name: 'Team two' })).body.id
    expect((await call(admin, 'PUT', `/api/v1/teams/${ids.t2}/members/${supervisor.userId}`)).status).toBeLessThan(300)
  })
  afterAll(async () => {
    await t?.close()
  })

  describe('settings', () => {
    it('has defaults: CSAT 72 hours after the resolution, low is 2 or less, reopen, a week to answer', async () => {
      const res = await call(admin, 'GET', '/api/v1/surveys/settings')
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({
        enabled: true,
        kind: 'csat',
        delayHours: 72,
        channels: [],
        lowScoreThreshold: null,
        lowScoreAction: 'reopen',
        expiresAfterHours: 168,
      })
      expect(res.body.questions.csat['zh-CN']).toContain('1–5')
      expect(res.body.questions.nps.en).toContain('0 to 10')
    })

    it.each([
      [{ kind: 'stars' }, 'kind'],
      [{ delayHours: -1 }, 'delayHours'],
      [{ lowScoreThreshold: 5 }, 'lowScoreThreshold'],
      [{ kind: 'nps', lowScoreThreshold: 10 }, 'lowScoreThreshold'],
      [{ lowScoreAction: 'shout' }, 'lowScoreAction'],
      [{ channels: ['Web Chat'] }, 'channels.0'],
      [{ thanks: { en: 'Thanks' } }, 'thanks.zh-CN'],
      [{ colour: 'red' }, 'colour'],
      [{}, '(root)'],
    ])('refuses %j (400 naming %s) and keeps what it had', async (payload, path) => {
      const res = await call(admin, 'PUT', '/api/v1/surveys/settings', payload)
      expect(res.status).toBe(400)
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path)
      expect((await call(admin, 'GET', '/api/v1/surveys/settings')).body.kind).toBe('csat')
    })

    it('changes the fields given and keeps the others', async () => {
      const res = await call(admin, 'PUT', '/api/v1/surveys/settings', {
        kind: 'nps',
        lowScoreThreshold: 5,
        channels: ['webchat', 'wechat'],
      })
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({
        kind: 'nps',
        lowScoreThreshold: 5,
        channels: ['webchat', 'wechat'],
        delayHours: 72,
      })
      expect((await call(admin, 'GET', '/api/v1/surveys/settings')).body).toMatchObject({
        kind: 'nps',
        lowScoreThreshold: 5,
      })
      const back = await call(admin, 'PUT', '/api/v1/surveys/settings', {
        kind: 'csat',
        lowScoreThreshold: null,
        channels: [],
      })
      expect(back.body).toMatchObject({ kind: 'csat', lowScoreThreshold: null, channels: [] })
    })
  })

  describe('results', () => {
    beforeAll(async () => {
      const contact = await t.app.services.contacts.create({ name: 'Summary customer' })
      // kind, status, score, agent, team, due day
      const rows: Array<[string, string, number | null, 'a1' | 'a2', 't1' | 't2', number]> = [
        ['csat', 'answered', 5, 'a1', 't1', 1],
        ['csat', 'answered', 4, 'a1', 't1', 1],
        ['csat', 'answered', 2, 'a1', 't1', 2],
        ['csat', 'sent', null, 'a1', 't1', 2],
        ['csat', 'expired', null, 'a1', 't1', 3],
        ['csat', 'answered', 1, 'a2', 't2', 3],
        ['csat', 'scheduled', null, 'a2', 't2', 4],
        ['csat', 'cancelled', null, 'a2', 't2', 4],
        ['nps', 'answered', 10, 'a1', 't1', 2],
        ['nps', 'answered', 9, 'a1', 't1', 2],
        ['nps', 'answered', 7, 'a1', 't1', 3],
        ['nps', 'answered', 3, 'a2', 't2', 3],
        ['nps', 'answered', 6, 'a2', 't2', 3],
        ['nps', 'answered', 10, 'a2', 't2', 3],
        ['nps', 'expired', null, 'a2', 't2', 3],
        ['csat', 'answered', 5, 'a2', 't2', 0],
      ]
      for (const [kind, status, score, agent, team, due] of rows)
        await t.app.db.survey.create({
          data: {
            kind,
            status,
            score,
            contactId: contact.id,
            agentId: ids[agent]!,
            teamId: ids[team]!,
            sendAt: day(due),
            sentAt: ['sent', 'answered', 'expired'].includes(status) ? day(due) : null,
            answeredAt: status === 'answered' ? day(due) : null,
          },
        })
    })

    it('sums up response rate, CSAT and NPS overall, by agent and by team (hand-computed)', async () => {
      const res = await call(
        admin,
        'GET',
        `/api/v1/surveys/summary?from=${day(1).toISOString()}&to=${day(5).toISOString()}`,
      )
      expect(res.status).toBe(200)
      const { overall, byAgent, byTeam } = res.body
      // 13 went out (scheduled and cancelled do not count; day 0 is before `from`), 10 answered
      expect(overall.sent).toBe(13)
      expect(overall.answered).toBe(10)
      expect(overall.responseRate).toBeCloseTo(10 / 13, 6)
      // CSAT 5, 4, 2, 1: average 3, satisfied (4–5) 2 of 4
      expect(overall.csat).toEqual({ responses: 4, average: 3, satisfiedRate: 0.5 })
      // NPS 10, 9, 7, 3, 6, 10: promoters 3, passives 1, detractors 2 → (3 − 2) / 6 = 16.7
      expect(overall.nps).toMatchObject({ responses: 6, promoters: 3, passives: 1, detractors: 2 })
      expect(overall.nps.score).toBeCloseTo(100 / 6, 6)

      const one = byAgent.find((a: { agentId: string }) => a.agentId === ids.a1)
      expect(one).toMatchObject({ sent: 8, answered: 6, responseRate: 0.75 })
      expect(one.csat.average).toBeCloseTo(11 / 3, 6)
      expect(one.csat.satisfiedRate).toBeCloseTo(2 / 3, 6)
      expect(one.nps.score).toBeCloseTo(200 / 3, 6)
      const two = byAgent.find((a: { agentId: string }) => a.agentId === ids.a2)
      expect(two).toMatchObject({
        sent: 5,
        answered: 4,
        responseRate: 0.8,
        csat: { responses: 1, average: 1, satisfiedRate: 0 },
      })
      expect(two.nps.score).toBeCloseTo(-100 / 3, 6)
      expect(byTeam.find((x: { teamId: string }) => x.teamId === ids.t1)).toMatchObject({ name: 'Team one', sent: 8 })
      expect(byTeam.find((x: { teamId: string }) => x.teamId === ids.t2)).toMatchObject({ name: 'Team two', sent: 5 })

      const all = await call(admin, 'GET', '/api/v1/surveys/summary')
      expect(all.body.overall).toMatchObject({ sent: 14, answered: 11 })
      const csatOnly = await call(admin, 'GET', `/api/v1/surveys/summary?kind=csat&agentId=${ids.a1}`)
      expect(csatOnly.body.overall).toMatchObject({ sent: 5, answered: 3, nps: null })
    })

    it('a supervisor in a team sees that team only', async () => {
      const res = await call(supervisorT2, 'GET', `/api/v1/surveys/summary?from=${day(1).toISOString()}`)
      expect(res.body.overall).toMatchObject({ sent: 5, answered: 4 })
      expect(res.body.byAgent.map((a: { agentId: string }) => a.agentId)).toEqual([ids.a2])
      const list = await call(supervisorT2, 'GET', '/api/v1/surveys?limit=500')
      expect(list.body.every((s: { teamId: string }) => s.teamId === ids.t2)).toBe(true)
    })

    it('lists with filters, newest due first, low scores marked', async () => {
      const res = await call(admin, 'GET', `/api/v1/surveys?status=answered&agentId=${ids.a1}&kind=csat`)
      expect(res.status).toBe(200)
      const rows = res.body as Array<{ score: number; low: boolean; sendAt: string }>
      expect(rows.map((s) => s.sendAt)).toEqual([day(2), day(1), day(1)].map((d) => d.toISOString()))
      expect(rows.map((s) => [s.score, s.low]).sort()).toEqual([
        [2, true],
        [4, false],
        [5, false],
      ])
      expect((await call(admin, 'GET', '/api/v1/surveys?status=lost')).status).toBe(400)
      expect((await call(admin, 'GET', '/api/v1/surveys?from=yesterday')).status).toBe(400)
    })
  })

  describe('answers', () => {
    const say = (visitor: string, n: number, text: string) =>
      t.app.services.conversations.receive({
        channelPlugin: null,
        channel: 'webchat',
        identityKind: 'web-visitor',
        message: {
          channelMessageId: `${visitor}:${n}`,
          from: { id: visitor, kind: 'web-visitor' },
          kind: 'text',
          text,
          receivedAt: new Date().toISOString(),
        },
      })
    /** a conversation resolved and its survey sent at once (delayHours 0) */
    async function surveyed(visitor: string) {
      const { conversationId } = await say(visitor, 1, '你好，我想问一下')
      expect(
        (await call(admin, 'PATCH', `/api/v1/conversations/${conversationId}`, { status: 'resolved' })).status,
      ).toBe(200)
      const [survey] = await until(
        () => t.app.db.survey.findMany({ where: { conversationId } }),
        (r) => r[0]?.status === 'sent',
        'the survey to be sent',
      )
      return { conversationId, survey: survey! }
    }

    beforeAll(async () => {
      await call(admin, 'PUT', '/api/v1/surveys/settings', { delayHours: 0, lowScoreAction: 'create-ticket' })
    })
    afterAll(async () => {
      await call(admin, 'PUT', '/api/v1/surveys/settings', { delayHours: 72, lowScoreAction: 'reopen' })
    })

    it('a good score with a comment: stored and thanked, no ticket', async () => {
      const { conversationId, survey } = await surveyed('v_happy')
      const received = await say('v_happy', 2, '4 挺好的')
      expect(received.conversationId).toBe(conversationId)
      const answered = await until(
        () => t.app.db.survey.findUniqueOrThrow({ where: { id: survey.id } }),
        (r) => r.status === 'answered',
        'the answer',
      )
      expect(answered).toMatchObject({ score: 4, comment: '挺好的', followUpTicketId: null })
      const last = await t.app.db.message.findFirstOrThrow({
        where: { conversationId, direction: 'outbound' },
        orderBy: { seq: 'desc' },
      })
      expect(last.body).toContain('感谢您的评价')
      expect(await t.app.db.ticket.count({ where: { conversationId } })).toBe(0)
    })

    it('a low score with lowScoreAction create-ticket opens a high-priority survey ticket', async () => {
      const { conversationId, survey } = await surveyed('v_unhappy')
      await say('v_unhappy', 2, '２分，问题没解决')
      const answered = await until(
        () => t.app.db.survey.findUniqueOrThrow({ where: { id: survey.id } }),
        (r) => r.followUpTicketId !== null,
        'the follow-up ticket',
      )
      expect(answered).toMatchObject({ score: 2, comment: '问题没解决' })
      const ticket = await t.app.db.ticket.findUniqueOrThrow({ where: { id: answered.followUpTicketId! } })
      expect(ticket).toMatchObject({ source: 'survey', priority: 'high', conversationId, status: 'open' })
      expect(ticket.subject).toContain('CSAT 2/5')

      // the follow-up runs again as if it had failed after the ticket's commit: no second ticket
      await t.app.db.survey.update({ where: { id: survey.id }, data: { followUpTicketId: null } })
      await t.app.infra.scheduler.schedule({
        type: 'surveys.follow-up',
        key: `survey-follow-up:${survey.id}:again`,
        runAt: 0,
        payload: { surveyId: survey.id },
      })
      const again = await until(
        () => t.app.db.survey.findUniqueOrThrow({ where: { id: survey.id } }),
        (r) => r.followUpTicketId !== null,
        'the follow-up to run again',
      )
      expect(again.followUpTicketId).toBe(ticket.id)
      expect(await t.app.db.ticket.count({ where: { conversationId, source: 'survey' } })).toBe(1)
      expect(await t.app.db.ticketEvent.count({ where: { ticketId: ticket.id, kind: 'survey' } })).toBe(1)
    })

    it('a low-score ticket is made even while the bus cannot publish (and only once)', async () => {
      const bus = t.app.infra.bus
      const publish = bus.publish.bind(bus)
      bus.publish = async (topic, event) => {
        if (topic.startsWith('ticket.')) throw new Error('Redis is down')
        return publish(topic, event)
      }
      try {
        const { conversationId, survey } = await surveyed('v_busdown')
        await say('v_busdown', 2, '1 太慢了')
        const answered = await until(
          () => t.app.db.survey.findUniqueOrThrow({ where: { id: survey.id } }),
          (r) => r.followUpTicketId !== null,
          'the follow-up ticket',
        )
        expect(answered).toMatchObject({ score: 1, comment: '太慢了' })
        await new Promise((r) => setTimeout(r, 300))
        expect(await t.app.db.ticket.count({ where: { conversationId, source: 'survey' } })).toBe(1)
        const jobs = await t.app.infra.scheduler.list({ type: 'surveys.follow-up', limit: 100 })
        expect(jobs.find((j) => j.key === `survey-follow-up:${survey.id}`)).toMatchObject({
          status: 'done',
          attempts: 1,
        })
      } finally {
        bus.publish = publish
      }
    })

    it('while the customer is in another open conversation there, a "5" is for that one, not the survey', async () => {
      const { conversationId, survey } = await surveyed('v_busy')
      const other = await say('v_busy', 2, '还有一个新问题')
      expect(other.conversationId).not.toBe(conversationId)
      const five = await say('v_busy', 3, '5')
      expect(five.conversationId).toBe(other.conversationId)
      await new Promise((r) => setTimeout(r, 100))
      expect((await t.app.db.survey.findUniqueOrThrow({ where: { id: survey.id } })).status).toBe('sent')
    })
  })

  describe('a survey flow and the automatic survey', () => {
    const surveyFlow = {
      schemaVersion: 1,
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'ask', type: 'send-survey', config: { kind: 'nps', after: '72h' } },
      ],
      edges: [{ from: 'start', port: 'next', to: 'ask' }],
    }

    async function resolvedConversation(visitor: string) {
      const received = await t.app.services.conversations.receive({
        channelPlugin: null,
        channel: 'webchat',
        identityKind: 'web-visitor',
        message: {
          channelMessageId: `${visitor}:1`,
          from: { id: visitor, kind: 'web-visitor' },
          kind: 'text',
          text: '你好',
          receivedAt: new Date().toISOString(),
        },
      })
      expect(
        (await call(admin, 'PATCH', `/api/v1/conversations/${received.conversationId}`, { status: 'resolved' })).status,
      ).toBe(200)
      return received.conversationId
    }

    beforeAll(async () => {
      const flow = await call(admin, 'POST', '/api/v1/flows/import', {
        flow: { name: 'NPS 3 days later', kind: 'survey', document: surveyFlow },
        publish: true,
      })
      expect(flow.status).toBe(201)
      ids.flow = flow.body.id
      const trigger = await call(admin, 'POST', `/api/v1/flows/${ids.flow}/triggers`, {
        kind: 'event',
        config: { topic: 'conversation.resolved' },
      })
      expect(trigger.status).toBe(201)
    })

    it('with the automatic survey off, the flow schedules it through the survey service', async () => {
      await call(admin, 'PUT', '/api/v1/surveys/settings', { enabled: false })
      const before = Date.now()
      const conversationId = await resolvedConversation('v_flow_only')
      const runs = await until(
        () => t.app.db.flowRun.findMany({ where: { flowId: ids.flow, conversationId } }),
        (r) => r.length === 1 && r[0]!.status === 'completed',
        'the survey flow to run',
      )
      const surveys = await t.app.db.survey.findMany({ where: { conversationId } })
      expect(surveys).toHaveLength(1)
      expect(surveys[0]).toMatchObject({ kind: 'nps', status: 'scheduled' })
      expect(surveys[0]!.sendAt.getTime()).toBeGreaterThanOrEqual(before + 72 * 3_600_000)
      expect(surveys[0]!.sendAt.getTime()).toBeLessThan(Date.now() + 72 * 3_600_000 + 1000)
      const trace = (await t.app.services.flowRuntime.getRun(runs[0]!.id))!.steps
      expect(trace.find((step) => step.nodeId === 'ask')?.output).toMatchObject({ id: surveys[0]!.id })
    })

    it('with both, the customer still gets one survey for the resolution', async () => {
      await call(admin, 'PUT', '/api/v1/surveys/settings', { enabled: true })
      const conversationId = await resolvedConversation('v_flow_and_auto')
      await until(
        () => t.app.db.flowRun.findMany({ where: { flowId: ids.flow, conversationId } }),
        (r) => r.length === 1 && r[0]!.status === 'completed',
        'the survey flow to run',
      )
      await new Promise((r) => setTimeout(r, 200))
      expect(await t.app.db.survey.count({ where: { conversationId } })).toBe(1)
    })

    it('a conversation reopened before the survey goes out cancels it', async () => {
      const conversationId = await resolvedConversation('v_reopened')
      await until(
        () => t.app.db.survey.findMany({ where: { conversationId } }),
        (r) => r.length === 1,
        'the survey to be scheduled',
      )
      expect((await call(admin, 'PATCH', `/api/v1/conversations/${conversationId}`, { status: 'open' })).status).toBe(
        200,
      )
      const [survey] = await until(
        () => t.app.db.survey.findMany({ where: { conversationId } }),
        (r) => r[0]?.status === 'cancelled',
        'the survey to be cancelled',
      )
      expect(survey!.status).toBe('cancelled')
    })
  })

  describe('catch-up', () => {
    it('a resolution nobody heard of (the bus was down) still gets its survey, once', async () => {
      const contact = await t.app.services.contacts.create({ name: '漏掉的客户' })
      const conversation = await t.app.db.conversation.create({
        data: { contactId: contact.id, channel: 'webchat', status: 'resolved', resolvedAt: new Date() },
      })
      expect(await t.app.db.survey.count({ where: { conversationId: conversation.id } })).toBe(0)
      expect(await t.app.services.surveys.catchUp()).toBeGreaterThanOrEqual(1)
      const [survey] = await t.app.db.survey.findMany({ where: { conversationId: conversation.id } })
      expect(survey).toMatchObject({ id: surveyIdFor(conversation.id, conversation.resolvedAt), status: 'scheduled' })
      expect(await t.app.services.surveys.catchUp()).toBe(0)
      expect(await t.app.db.survey.count({ where: { conversationId: conversation.id } })).toBe(1)
    })
  })
})
