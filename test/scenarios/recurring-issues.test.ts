import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../support/test-app.js'
import { createScenarioApp, type ScenarioApp } from '../support/scenario-app.js'

/** Monday 2 March 2026, 10:00 in Shanghai. */
const START = '2026-03-02T02:00:00.000Z'
const DAY = 86_400_000
const day = (n: number) => new Date(Date.parse(START) + n * DAY)

interface IssueBody {
  id: string
  contactId: string
  issueKey: string
  label: string
  occurrences: number
  conversationIds: string[]
  ticketIds: number[]
  status: string
  proposal: { question: string; answer: string; kbEntryId: string | null }
  raisedAt: string
}

/**
 * Recurring issues on a manual clock, with a restart between every contact: the same customer
 * asking where their order is for the third time within 7 days raises one alert with the three
 * conversations and a proposed knowledge-base update; a fourth time adds to it. Another customer
 * whose three contacts are spread over more than 7 days raises nothing.
 */
describe('recurring issues: the third contact about the same problem raises one alert', () => {
  let s: ScenarioApp
  let admin: string
  let kbEntryId: string
  const a: string[] = []
  const b: string[] = []
  let events: Array<{ topic: string; event: Record<string, unknown> }> = []

  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await s.app.server.inject({ method, url, headers: bearer(admin), payload: payload as object })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }
  const issues = async () => (await call('GET', '/api/v1/recurring-issues')).body as IssueBody[]
  const listen = async () => {
    for (const topic of ['recurring-issue.raised', 'alert.recurring-issue', 'notification'])
      await s.app.infra.bus.subscribe(topic, (event) => {
        events.push({ topic, event: event as Record<string, unknown> })
      })
  }

  /** One contact: the customer asks, the intent is recognised, an agent answers, the conversation is resolved. */
  async function contact(visitor: string, n: number, text: string, reply: string): Promise<string> {
    const received = await s.app.services.conversations.receive({
      channelPlugin: null,
      channel: 'webchat',
      identityKind: 'web-visitor',
      message: {
        channelMessageId: `${visitor}:${n}`,
        from: { id: visitor, kind: 'web-visitor' },
        kind: 'text',
        text,
        receivedAt: s.clock.now().toISOString(),
      },
    })
    const id = received.conversationId
    await s.app.db.conversation.update({ where: { id }, data: { intent: 'order-status' } })
    expect((await call('POST', `/api/v1/conversations/${id}/messages`, { text: reply })).status).toBe(201)
    expect((await call('PATCH', `/api/v1/conversations/${id}`, { status: 'resolved' })).status).toBe(200)
    // the check is a durable job keyed by the conversation: wait until it has run
    const key = `recurring-issues:conversation:${id}`
    for (let i = 0; i < 400; i++) {
      await s.settle()
      if ((await s.app.db.scheduledJob.findUnique({ where: { key } }))?.status === 'done') return id
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error(`the recurring-issue check of ${id} did not run`)
  }

  beforeAll(async () => {
    s = await createScenarioApp(START)
    admin = (await s.tokenFor('admin')).token
    // surveys would ask these customers too; this test is about recurring issues only
    expect((await call('PUT', '/api/v1/surveys/settings', { enabled: false })).status).toBe(200)
    const entry = await call('POST', '/api/v1/kb/entries', {
      question: '我的订单到哪了？怎么查询物流进度',
      answer: '您可以在“我的订单”里点开订单查看物流进度；发货后 48 小时内会更新单号。',
    })
    expect(entry.status).toBe(201)
    kbEntryId = entry.body.id
    await listen()
  })
  afterAll(async () => {
    await s?.close()
  })

  it('day 0: customer A and customer B ask once each: nothing', async () => {
    a.push(await contact('v_customer_a', 1, '我的订单到哪了？', '您的订单已发货，预计明天送达。'))
    b.push(await contact('v_customer_b', 1, '请问我的订单到哪了', '已经在派送中了。'))
    expect(await issues()).toEqual([])
  })

  it('day 2, after a restart: A asks again: still nothing', async () => {
    await s.restart()
    await listen()
    await s.advance(day(2))
    a.push(await contact('v_customer_a', 2, '订单怎么还没到啊', '抱歉，快递在转运中，请再等一天。'))
    expect(await issues()).toEqual([])
  })

  it('day 4, after a restart: A asks a third time: one alert with the three conversations and a proposal', async () => {
    await s.restart()
    events = []
    await listen()
    await s.advance(day(4))
    a.push(await contact('v_customer_a', 3, '我的订单到哪了？已经好几天了', '已为您催促快递，今天会送到。'))
    const list = await issues()
    expect(list).toHaveLength(1)
    const [issue] = list
    const contactA = (await s.app.db.conversation.findUniqueOrThrow({ where: { id: a[0]! } })).contactId
    expect(issue).toMatchObject({
      contactId: contactA,
      issueKey: 'intent:order-status',
      occurrences: 3,
      status: 'open',
      raisedAt: day(4).toISOString(),
    })
    expect([...issue!.conversationIds].sort()).toEqual([...a].sort())
    expect(issue!.proposal.question).toMatch(/订单到哪了/)
    expect(issue!.proposal.kbEntryId).toBe(kbEntryId)
    expect(issue!.proposal.answer).toContain('物流进度')

    const detail = await call('GET', `/api/v1/recurring-issues/${issue!.id}`)
    expect(detail.status).toBe(200)
    expect(detail.body.conversations.map((c: { firstMessage: string }) => c.firstMessage)).toEqual([
      '我的订单到哪了？',
      '订单怎么还没到啊',
      '我的订单到哪了？已经好几天了',
    ])
    expect(detail.body.conversations[2].lastAgentReply).toBe('已为您催促快递，今天会送到。')

    for (let i = 0; i < 100 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 25))
    expect(events.filter((e) => e.topic === 'recurring-issue.raised').map((e) => e.event.id)).toEqual([issue!.id])
    expect(events.find((e) => e.topic === 'alert.recurring-issue')?.event).toMatchObject({
      id: issue!.id,
      link: `/recurring-issues/${issue!.id}`,
    })
    expect(events.find((e) => e.topic === 'notification')?.event).toMatchObject({
      kind: 'recurring-issue.raised',
      supervisors: true,
      link: `/recurring-issues/${issue!.id}`,
    })
  })

  it('day 5, after a restart: B asks again, A a fourth time: the open alert grows, no second one', async () => {
    await s.restart()
    events = []
    await listen()
    await s.advance(day(5))
    b.push(await contact('v_customer_b', 2, '订单到哪了？', '在路上了。'))
    a.push(await contact('v_customer_a', 4, '订单还是没到', '我们给您补发。'))
    const list = await issues()
    expect(list).toHaveLength(1)
    expect(list[0]!.occurrences).toBe(4)
    expect(list[0]!.conversationIds).toContain(a[3])
    expect(events.filter((e) => e.topic === 'recurring-issue.raised')).toEqual([])
  })

  it('day 8, after a restart: B a third time, but the first was 8 days ago (window 7): nothing for B', async () => {
    await s.restart()
    await s.advance(day(8))
    b.push(await contact('v_customer_b', 3, '我的订单到哪了？', '明天到。'))
    const list = await issues()
    expect(list).toHaveLength(1)
    expect(list[0]!.conversationIds.some((id) => b.includes(id))).toBe(false)
  })

  it('once resolved, the same problem again needs three new contacts before a new alert', async () => {
    const [issue] = await issues()
    expect((await call('POST', `/api/v1/recurring-issues/${issue!.id}/resolve`)).body.status).toBe('resolved')
    a.push(await contact('v_customer_a', 5, '订单到哪了', '今天送到。'))
    expect((await issues()).filter((i) => i.status === 'open')).toEqual([])
  })
})
