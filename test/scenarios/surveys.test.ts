import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../support/test-app.js'
import { createScenarioApp, type ScenarioApp } from '../support/scenario-app.js'

/** Monday 2 March 2026, 10:00 in Shanghai: the agent resolves the customer's conversation and ticket. */
const RESOLVED_AT = '2026-03-02T02:00:00.000Z'
const HOUR = 3_600_000
const at = (hours: number) => new Date(Date.parse(RESOLVED_AT) + hours * HOUR)

const botFlow = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'hello', type: 'send-message', config: { text: '机器人：您好，请问有什么可以帮您？' } },
  ],
  edges: [{ from: 'start', port: 'next', to: 'hello' }],
}

interface SurveyBody {
  id: string
  kind: string
  status: string
  conversationId: string
  ticketId: number | null
  agentId: string | null
  teamId: string | null
  sendAt: string
  sentAt: string | null
  answeredAt: string | null
  score: number | null
  comment: string | null
  low: boolean | null
  followUpTicketId: number | null
}

/**
 * The 72-hour follow-up survey, end to end on a manual clock and the durable scheduler: a web
 * chat conversation with a ticket is resolved; nothing goes out at 71 hours, the question does at
 * 72; the customer answers "1 太慢了", which is taken as the survey's answer (not by the bot, not
 * reopening the conversation) and reopens the ticket with a history event. The server restarts
 * between the steps.
 */
describe('surveys: sent 72 hours after the resolution, a low score reopens the ticket', () => {
  let s: ScenarioApp
  let admin: string
  let agent: { token: string; userId: string }
  let teamId: string
  let conversationId: string
  let ticketId: number
  let notifications: Array<{ kind: string; link?: string; supervisors?: boolean }> = []

  const call = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await s.app.server.inject({ method, url, headers: bearer(token), payload: payload as object })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }
  const surveys = async () =>
    (await call(admin, 'GET', `/api/v1/surveys?conversationId=${conversationId}`)).body as SurveyBody[]
  const outbound = () =>
    s.app.db.message.findMany({ where: { conversationId, direction: 'outbound' }, orderBy: { seq: 'asc' } })
  const customerSays = (n: number, text: string) =>
    s.app.services.conversations.receive({
      channelPlugin: null,
      channel: 'webchat',
      identityKind: 'web-visitor',
      message: {
        channelMessageId: `v_survey:${n}`,
        from: { id: 'v_survey_customer', kind: 'web-visitor', name: '李女士' },
        kind: 'text',
        text,
        receivedAt: s.clock.now().toISOString(),
      },
    })
  const listen = async () => {
    await s.app.infra.bus.subscribe('notification', (event) => {
      notifications.push(event as (typeof notifications)[number])
    })
  }
  async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const value = await read()
      if (ok(value)) return value
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error(`timed out waiting for ${what}`)
  }

  beforeAll(async () => {
    s = await createScenarioApp(RESOLVED_AT)
    admin = (await s.tokenFor('admin')).token
    agent = await s.tokenFor('agent', 'Chen Jing')
    const team = await call(admin, 'POST', '/api/v1/teams', { name: 'After-sales team' })
    teamId = team.body.id
    const queue = await call(admin, 'POST', '/api/v1/queues', { name: 'after-sales', teamId })
    expect(queue.status).toBe(201)
    const flow = await call(admin, 'POST', '/api/v1/flows/import', {
      flow: { name: 'Web chat bot', kind: 'bot', document: botFlow },
      publish: true,
    })
    expect(
      (
        await call(admin, 'POST', `/api/v1/flows/${flow.body.id}/triggers`, {
          kind: 'channel-entry',
          config: { channel: 'webchat' },
        })
      ).status,
    ).toBe(201)

    // the customer wrote in, the bot greeted them, an agent took over and opened a ticket
    conversationId = (await customerSays(1, '我的订单三天了还没发货')).conversationId
    await s.app.services.conversations.drain()
    await s.app.db.conversation.update({
      where: { id: conversationId },
      data: { status: 'assigned', assigneeId: agent.userId, queueId: queue.body.id, assignedAt: s.clock.now() },
    })
    const ticket = await call(admin, 'POST', `/api/v1/conversations/${conversationId}/ticket`, {
      subject: '订单未发货',
    })
    expect(ticket.status).toBe(201)
    ticketId = ticket.body.id
  })
  afterAll(async () => {
    await s?.close()
  })

  it('resolving the conversation and its ticket schedules one survey, due 72 hours later', async () => {
    expect((await call(admin, 'PATCH', `/api/v1/tickets/${ticketId}`, { status: 'resolved' })).status).toBe(200)
    expect(
      (await call(agent.token, 'PATCH', `/api/v1/conversations/${conversationId}`, { status: 'resolved' })).status,
    ).toBe(200)
    const [survey] = await until(surveys, (list) => list.length === 1, 'the survey to be scheduled')
    expect(survey).toMatchObject({
      kind: 'csat',
      status: 'scheduled',
      ticketId,
      agentId: agent.userId,
      teamId,
      sendAt: at(72).toISOString(),
    })
    // the ticket's resolution and the conversation's are one resolution: one survey
    await new Promise((r) => setTimeout(r, 100))
    expect(await s.app.db.survey.count()).toBe(1)
    const jobs = await s.app.db.scheduledJob.findMany({ where: { type: 'surveys.send', status: 'pending' } })
    expect(jobs.map((j) => [j.key, j.runAt.toISOString()])).toEqual([
      [`survey:conversation:${conversationId}`, at(72).toISOString()],
    ])
  })

  it('after a restart, nothing is sent at 71 hours; at 72 hours the question is on the channel', async () => {
    await s.restart()
    const before = (await outbound()).length
    await s.advance(at(71))
    expect((await outbound()).length).toBe(before)
    expect((await surveys())[0]!.status).toBe('scheduled')

    await s.advance(at(72))
    const [survey] = await surveys()
    expect(survey).toMatchObject({ status: 'sent', sentAt: at(72).toISOString() })
    const messages = await outbound()
    expect(messages.length).toBe(before + 1)
    const question = messages.at(-1)!
    expect(question.body).toContain('1–5')
    expect(question.payload).toMatchObject({
      quickReplies: ['5 非常满意', '4 满意', '3 一般', '2 不满意', '1 非常不满意'],
    })
    // asking does not reopen the conversation
    expect((await s.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('resolved')
  })

  it('after another restart, "1 太慢了" is the answer: stored, thanked, the ticket reopened, not the bot', async () => {
    await s.restart()
    notifications = []
    await listen()
    await s.advance(at(73))
    const botRunsBefore = await s.app.db.flowRun.count()
    const conversationsBefore = await s.app.db.conversation.count()

    const received = await customerSays(2, '1 太慢了')
    await s.app.services.conversations.drain()
    await s.settle()
    expect(received.conversationId).toBe(conversationId)

    const [survey] = await surveys()
    expect(survey).toMatchObject({
      status: 'answered',
      score: 1,
      comment: '太慢了',
      low: true,
      answeredAt: at(73).toISOString(),
      followUpTicketId: ticketId,
    })
    // consumed: no new conversation, no bot run, the conversation stays resolved
    expect(await s.app.db.conversation.count()).toBe(conversationsBefore)
    expect(await s.app.db.flowRun.count()).toBe(botRunsBefore)
    expect((await s.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('resolved')
    const inbound = await s.app.db.message.findFirstOrThrow({ where: { channelMessageId: 'v_survey:2' } })
    expect(inbound.conversationId).toBe(conversationId)
    expect((await outbound()).at(-1)!.body).toContain('非常抱歉')

    const ticket = await call(admin, 'GET', `/api/v1/tickets/${ticketId}`)
    expect(ticket.body.status).toBe('open')
    const history = await s.app.db.ticketEvent.findMany({ where: { ticketId }, orderBy: { createdAt: 'asc' } })
    const surveyEvent = history.find((e) => e.kind === 'survey')
    expect(surveyEvent?.data).toMatchObject({ surveyId: survey!.id, score: 1, comment: '太慢了', low: true })
    const reopened = history.find((e) => e.kind === 'reopened')
    expect(JSON.stringify(reopened?.data)).toContain('CSAT 1/5: 太慢了')
    await until(
      async () => notifications,
      (list) => list.some((n) => n.kind === 'survey.low-score'),
      'the supervisors to be told',
    )
    expect(notifications.find((n) => n.kind === 'survey.low-score')).toMatchObject({
      supervisors: true,
      link: `/tickets/${ticketId}`,
    })
  })

  it('a later message from the customer is no survey answer any more: it goes to the bot as usual', async () => {
    const received = await customerSays(3, '5')
    await s.app.services.conversations.drain()
    expect(received.conversationId).not.toBe(conversationId)
    const replies = await s.app.db.message.findMany({
      where: { conversationId: received.conversationId, direction: 'outbound' },
    })
    expect(replies.map((m) => m.body)).toEqual(['机器人：您好，请问有什么可以帮您？'])
    expect((await surveys())[0]!.score).toBe(1)
  })
})
