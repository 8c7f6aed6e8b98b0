import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioApp, type ScenarioApp } from '../support/scenario-app.js'
import { bearer } from '../support/test-app.js'

const T0 = Date.parse('2026-03-02T10:00:00.000Z')
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()
const VISITOR = 'visitor-sla-0000000001'

interface Clock {
  id: string
  metric: string
  status: string
  dueAt: string | null
  breachedAt: string | null
}

/**
 * Clocks driven by a conversation (bus events): a chat handed to an agent gets its own
 * first-response clock and so does the ticket opened from it; the agent's reply meets both (the
 * bot's automatic ticket message does not); the customer's next message starts next-response
 * clocks that breach when nobody answers; the inbox rows carry the badge. Then escalation rules
 * triggered by the customer's words and by the conversation's sentiment.
 */
describe('SLA: conversations, their tickets, the inbox badge, and escalation on words and mood', () => {
  let s: ScenarioApp
  let admin: string
  let agent: { token: string; userId: string }
  let conversationId: string
  let ticketId: number
  let seq = 0

  const call = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await s.app.server.inject({ method, url, headers: bearer(token), payload: payload as object })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }
  const ok = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await call(token, method, url, payload)
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300)
    return res.body
  }
  /** bus events are handled after the request: poll until the expectation holds */
  const eventually = async <T>(read: () => Promise<T>, check: (value: T) => void): Promise<T> => {
    let last: unknown
    for (let i = 0; i < 150; i++) {
      const value = await read()
      try {
        check(value)
        return value
      } catch (error) {
        last = error
        await new Promise((r) => setTimeout(r, 30))
      }
    }
    throw last
  }
  const customerWrites = (text: string) =>
    s.app.services.conversations.receive({
      channelPlugin: null,
      channel: 'webchat',
      identityKind: 'web-visitor',
      message: {
        channelMessageId: `${VISITOR}:${++seq}`,
        from: { id: VISITOR, kind: 'web-visitor', name: '钱女士' },
        kind: 'text',
        text,
        receivedAt: new Date().toISOString(),
      },
    })
  const conversationClocks = async () =>
    (await ok(admin, 'GET', `/api/v1/sla/clocks?conversationId=${conversationId}`)) as Clock[]
  const ticketClocks = async () => (await ok(agent.token, 'GET', `/api/v1/sla/clocks?ticketId=${ticketId}`)) as Clock[]
  const summary = (clocks: Clock[]) => clocks.map((c) => `${c.metric}:${c.status}`)
  const inboxRow = async () => {
    const rows = (await ok(agent.token, 'GET', `/api/v1/conversations?id=${conversationId}`)) as Array<{
      id: string
      sla: { state: string; dueAt: string | null } | null
    }>
    return rows[0]!
  }
  const ticket = () => s.app.db.ticket.findUniqueOrThrow({ where: { id: ticketId } })
  const escalations = async () =>
    (
      (await ok(admin, 'GET', `/api/v1/tickets/${ticketId}/history`)) as Array<{
        kind: string
        data: { trigger: string; reason: string; to: Record<string, unknown> }
      }>
    ).filter((h) => h.kind === 'escalated')

  beforeAll(async () => {
    s = await createScenarioApp(at(-10))
    admin = (await s.tokenFor('admin')).token
    agent = await s.tokenFor('agent', 'Agent Sun')
    await ok(admin, 'POST', '/api/v1/sla/policies', {
      name: 'Chat',
      conditions: { channels: ['webchat'], appliesTo: ['conversation', 'ticket'] },
      targets: { firstResponse: 2, nextResponse: 3 },
      warnBeforeMinutes: 1,
    })
    await ok(admin, 'POST', '/api/v1/escalation-rules', {
      name: 'Wants a manager',
      trigger: 'customer-request',
      conditions: { keywords: ['找你们领导', 'manager'] },
      action: { tier: 'L2' },
    })
    await ok(admin, 'POST', '/api/v1/escalation-rules', {
      name: 'Upset customer',
      trigger: 'sentiment',
      action: { priority: 'urgent' },
    })
    // a flow that apologises when a conversation's own clock breaches (an event trigger on sla.breached)
    const apology = await ok(admin, 'POST', '/api/v1/flows/import', {
      flow: {
        name: 'SLA apology',
        kind: 'bot',
        document: {
          schemaVersion: 1,
          nodes: [
            { id: 'start', type: 'start', config: {} },
            { id: 'sorry', type: 'send-message', config: { text: '抱歉让您久等了（{{ vars.event.metric }}）' } },
          ],
          edges: [{ from: 'start', port: 'next', to: 'sorry' }],
        },
      },
      publish: true,
    })
    await ok(admin, 'POST', `/api/v1/flows/${apology.id}/triggers`, {
      kind: 'event',
      config: { topic: 'sla.breached' },
    })
    await s.advance(at(0))
  }, 60_000)
  afterAll(() => s?.close())

  it('a conversation handed to an agent gets a first-response clock and the inbox row its badge', async () => {
    conversationId = (await customerWrites('你好，我的订单还没发货')).conversationId
    // in the bot's hands: no clock yet
    expect(await conversationClocks()).toEqual([])
    await ok(admin, 'POST', `/api/v1/conversations/${conversationId}/transfer`, { agentId: agent.userId })
    await eventually(conversationClocks, (clocks) =>
      expect(clocks).toMatchObject([{ metric: 'first_response', status: 'running', dueAt: at(2) }]),
    )
    expect((await inboxRow()).sla).toEqual({ state: 'ok', dueAt: at(2) })
  })

  it('the ticket opened from it has its own clock; the bot’s ticket message is no answer', async () => {
    ticketId = (await ok(agent.token, 'POST', `/api/v1/conversations/${conversationId}/ticket`, {})).id
    expect(summary(await ticketClocks())).toEqual(['first_response:running'])
    // the customer was told about the ticket by an automatic message: it meets nothing
    const told = await s.app.db.message.count({ where: { conversationId, direction: 'outbound' } })
    expect(told).toBe(1)
    await s.advance(at(1))
    await eventually(inboxRow, (row) => expect(row.sla?.state).toBe('warning'))
    expect(await ticket()).toMatchObject({ slaState: 'warning' })
  })

  it('the agent’s reply meets both first-response clocks', async () => {
    await ok(agent.token, 'POST', `/api/v1/conversations/${conversationId}/messages`, { text: '您好，我来帮您查一下' })
    await eventually(conversationClocks, (clocks) => expect(summary(clocks)).toEqual(['first_response:met']))
    await eventually(ticketClocks, (clocks) => expect(summary(clocks)).toEqual(['first_response:met']))
    expect((await inboxRow()).sla).toEqual({ state: 'met', dueAt: null })
    expect(await ticket()).toMatchObject({ slaState: 'met' })
  })

  it('the customer’s next message starts next-response clocks that breach unanswered', async () => {
    await s.advance(at(2))
    await customerWrites('还要等多久？')
    await eventually(ticketClocks, (clocks) =>
      expect(clocks.map((c) => [c.metric, c.status, c.dueAt])).toEqual([
        ['first_response', 'met', at(2)],
        ['next_response', 'running', at(5)],
      ]),
    )
    await eventually(conversationClocks, (clocks) => expect(summary(clocks)).toContain('next_response:running'))
    await s.advance(at(5))
    await eventually(inboxRow, (row) => expect(row.sla).toEqual({ state: 'breached', dueAt: at(5) }))
    expect(await ticket()).toMatchObject({ slaState: 'breached', tier: 'L1' })
    // the flow started by the breach events wrote to the customer (from the bot: no answer either)
    await s.settle()
    await eventually(
      () => s.app.db.message.findMany({ where: { conversationId, body: { startsWith: '抱歉让您久等了' } } }),
      (messages) =>
        expect(messages.map((m) => [m.body, m.direction, m.authorUserId])).toContainEqual([
          '抱歉让您久等了（next_response）',
          'outbound',
          null,
        ]),
    )
  })

  it('asking for a manager escalates the ticket (the customer-request rule), once', async () => {
    await customerWrites('我要投诉，找你们领导！')
    await eventually(ticket, (t) => expect(t.tier).toBe('L2'))
    const byRequest = async () => (await escalations()).filter((e) => e.data.trigger === 'customer-request')
    const escalation = (await byRequest())[0]!
    expect(escalation.data).toMatchObject({ trigger: 'customer-request', to: { tier: 'L2' } })
    expect(escalation.data.reason).toContain('找你们领导')
    // an answer is already awaited: no second next-response clock
    expect(summary(await ticketClocks())).toEqual(['first_response:met', 'next_response:breached'])
    await customerWrites('Let me talk to your manager')
    await new Promise((r) => setTimeout(r, 200))
    expect(await byRequest()).toHaveLength(1)
  })

  it('the complaint made the conversation negative (live sentiment): the ticket’s priority is raised (the sentiment rule), once', async () => {
    // "我要投诉" read by the word list after the customer's message: no flow or plugin needed
    await eventually(
      () => s.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } }),
      (c) => {
        expect(c.sentiment).toBe('negative')
        expect(c.attributes).toMatchObject({ sentimentBy: 'lexicon' })
      },
    )
    await eventually(ticket, (t) => expect(t.priority).toBe('urgent'))
    const all = await escalations()
    expect(all.map((e) => e.data.trigger).sort()).toEqual(['customer-request', 'sentiment'])
    expect(all.find((e) => e.data.trigger === 'sentiment')!.data.to).toMatchObject({ priority: 'urgent' })
    // a plugin's own reading says negative too: the rule has acted on this ticket already
    await s.app.services.conversations.setAttributes(conversationId, { sentiment: 'negative' })
    await s.app.services.conversations.setAttributes(conversationId, { sentiment: 'negative', note: 'still upset' })
    await new Promise((r) => setTimeout(r, 200))
    expect(await escalations()).toHaveLength(2)
    // a supervisor lowers the priority again: the rule has acted on this ticket, it does not fight them
    await ok(admin, 'PATCH', `/api/v1/tickets/${ticketId}`, { priority: 'high' })
    await s.app.services.conversations.setAttributes(conversationId, { sentiment: 'negative', note: 'upset again' })
    await new Promise((r) => setTimeout(r, 200))
    expect(await escalations()).toHaveLength(2)
    expect((await s.app.db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).priority).toBe('high')
  })

  it('resolving the conversation stops its unanswered clock (the breach stays on record)', async () => {
    await ok(agent.token, 'PATCH', `/api/v1/conversations/${conversationId}`, { status: 'resolved' })
    await eventually(conversationClocks, (clocks) =>
      expect(clocks.map((c) => [c.metric, c.status, c.breachedAt])).toEqual([
        ['first_response', 'met', null],
        ['next_response', 'stopped', at(5)],
      ]),
    )
    // the conversations' attainment: the first response in time, the next one missed
    const period = `from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(60))}&subject=conversation`
    const first = await ok(admin, 'GET', `/api/v1/sla/report?${period}&metric=first_response`)
    expect(first.total).toMatchObject({ total: 1, met: 1, breached: 0, attainmentPercent: 100, medianMinutes: 1 })
    const next = await ok(admin, 'GET', `/api/v1/sla/report?${period}&metric=next_response&groupBy=team`)
    expect(next.rows).toEqual([
      expect.objectContaining({ label: '(no team)', total: 1, met: 0, breached: 1, attainmentPercent: 0 }),
    ])
  })
})
