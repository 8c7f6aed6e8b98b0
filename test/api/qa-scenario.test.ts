import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioApp, type ScenarioApp } from '../support/scenario-app.js'
import { evaluateJobKey } from '../../core/src/qa/index.js'
import { bearer } from '../support/test-app.js'

interface Result {
  id: string
  score: number
  status: string
  evaluatedAt: string
  reevaluatedAfterReview: boolean
  hits: Array<{ ruleId: string; messageId: string | null; start: number | null; accepted: boolean }>
  reviews?: Array<{ verdict: string; coachingNote: string }>
}

/**
 * Quality inspection across server restarts, on the scenario clock: a conversation is inspected
 * once (a new start does not inspect it again), results and reviews are in the database, a
 * supervisor's override still holds when the conversation is reopened and resolved a day later,
 * and a resolution no instance heard of is caught up when one starts.
 */
describe('QA across restarts', () => {
  let s: ScenarioApp
  let admin: { token: string; userId: string }
  let supervisor: { token: string; userId: string }
  let agent: { token: string; userId: string }
  let ruleId: string
  let conversationId: string
  let firstReply: string

  const call = async <T>(method: string, url: string, token: string, payload?: unknown) => {
    const res = await s.app.server.inject({ method, url, headers: bearer(token), payload: payload as never })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') as T }
  }
  const results = async (token: string) => (await call<Result[]>('GET', '/api/v1/qa/results', token)).body

  /**
   * Waits until the resolution's inspection job is on the durable queue (the bus handler that puts
   * it there runs just after the response), then until the due jobs have run.
   */
  async function inspectionQueued(id: string) {
    const { resolvedAt } = await s.app.db.conversation.findUniqueOrThrow({ where: { id } })
    const key = evaluateJobKey(id, resolvedAt!)
    for (let i = 0; i < 400 && !(await s.app.db.scheduledJob.findUnique({ where: { key } })); i++)
      await new Promise((r) => setTimeout(r, 10))
    await s.settle()
  }

  beforeAll(async () => {
    s = await createScenarioApp('2025-03-07T09:00:00+08:00')
    admin = await s.tokenFor('admin')
    supervisor = await s.tokenFor('supervisor', '王经理')
    agent = await s.tokenFor('agent', '李娜')
    const rule = await call<{ id: string }>('POST', '/api/v1/qa/rules', admin.token, {
      name: '禁用语',
      kind: 'forbidden-phrase',
      config: { phrases: [{ text: '没办法', variants: ['没有办法'] }] },
    })
    ruleId = rule.body.id
  }, 60_000)
  afterAll(() => s?.close())

  it('inspects a resolved conversation once, at the scenario time, and not again after a restart', async () => {
    const received = await s.app.services.conversations.receive({
      channelPlugin: null,
      channel: 'webchat',
      identityKind: 'web-visitor',
      message: {
        channelMessageId: 'visitor-qa-scenario-0001:1',
        from: { id: 'visitor-qa-scenario-0001', kind: 'web-visitor' },
        kind: 'text',
        text: '能改地址吗？',
        receivedAt: s.clock.now().toISOString(),
      },
    })
    conversationId = received.conversationId
    await s.app.services.conversations.drain()
    await s.app.db.conversation.update({
      where: { id: conversationId },
      data: { status: 'assigned', assigneeId: agent.userId, queuedAt: s.clock.now(), assignedAt: s.clock.now() },
    })
    const reply = await call<{ id: string }>('POST', `/api/v1/conversations/${conversationId}/messages`, agent.token, {
      text: '抱歉，已经发货了，没有办法改。',
    })
    firstReply = reply.body.id
    expect(
      (await call('PATCH', `/api/v1/conversations/${conversationId}`, agent.token, { status: 'resolved' })).status,
    ).toBe(200)
    await inspectionQueued(conversationId)
    // an hour later, after a restart: inspected once, and not again by the catch-up of the new start
    await s.advance('2025-03-07T10:00:00+08:00')
    await s.restart()
    await s.app.services.qa.ready()
    await s.settle()
    const [result, ...others] = await results(agent.token)
    expect(others).toEqual([])
    expect(result).toMatchObject({ score: 90, status: 'auto' })
    expect(result!.evaluatedAt).toBe('2025-03-07T01:00:00.000Z')
    expect(result!.hits.map((h) => [h.ruleId, h.messageId, h.start])).toEqual([[ruleId, firstReply, 9]])
    expect(await s.app.db.qaResult.count()).toBe(1)
  })

  it('an override made before a restart still holds when the conversation is resolved again the next day', async () => {
    const [result] = await results(supervisor.token)
    const reviewed = await call<Result>('POST', `/api/v1/qa/results/${result!.id}/review`, supervisor.token, {
      verdict: 'override',
      overrides: [{ ruleId, messageId: firstReply, accepted: false }],
      coachingNote: '可以说“我帮您联系快递改派”。',
    })
    expect(reviewed.body).toMatchObject({ score: 100, status: 'reviewed' })
    await s.restart()
    await s.advance('2025-03-08T10:00:00+08:00')

    expect(
      (await call('PATCH', `/api/v1/conversations/${conversationId}`, agent.token, { status: 'open' })).status,
    ).toBe(200)
    const later = await call<{ id: string }>('POST', `/api/v1/conversations/${conversationId}/messages`, agent.token, {
      text: '没办法，快递不支持改派。',
    })
    expect(
      (await call('PATCH', `/api/v1/conversations/${conversationId}`, agent.token, { status: 'resolved' })).status,
    ).toBe(200)
    await inspectionQueued(conversationId)
    await s.restart()
    const detail = await call<Result>('GET', `/api/v1/qa/results/${result!.id}`, agent.token)
    expect(detail.body).toMatchObject({ score: 90, status: 'reviewed', reevaluatedAfterReview: true })
    expect(detail.body.evaluatedAt).toBe('2025-03-08T02:00:00.000Z')
    expect(detail.body.hits.map((h) => [h.messageId, h.accepted])).toEqual([
      [firstReply, false],
      [later.body.id, true],
    ])
    expect(detail.body.reviews!.map((r) => r.coachingNote)).toEqual(['可以说“我帮您联系快递改派”。'])
  })

  it('a resolution nobody heard of (every instance down) is caught up when an instance starts', async () => {
    const contact = await s.app.services.contacts.create({ name: 'Silent' })
    const silent = await s.app.db.conversation.create({
      data: {
        contactId: contact.id,
        channel: 'webchat',
        status: 'resolved',
        assignedAt: new Date(),
        lastAgentId: agent.userId,
        resolvedAt: new Date(),
        messageSeq: 1,
        messages: {
          create: [
            { channel: 'webchat', direction: 'outbound', body: '我也没办法。', seq: 1, authorUserId: agent.userId },
          ],
        },
      },
    })
    expect(await s.app.db.qaResult.count({ where: { conversationId: silent.id } })).toBe(0)
    await s.restart()
    await s.app.services.qa.ready()
    await s.settle()
    const row = await s.app.db.qaResult.findUniqueOrThrow({ where: { conversationId: silent.id } })
    expect(row.score).toBe(90)
    expect(row.agentId).toBe(agent.userId)
    // the others were inspected already: not again
    expect(await s.app.db.qaResult.count()).toBe(2)
  })
})
