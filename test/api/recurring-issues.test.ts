import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RECURRING_CHECK_JOB } from '../../core/src/recurring/index.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

interface IssueBody {
  id: string
  contactId: string
  contactName?: string | null
  issueKey: string
  label: string
  occurrences: number
  conversationIds: string[]
  ticketIds: number[]
  status: string
  proposal: { question: string; answer: string; kbEntryId: string | null; appliedKbEntryId: string | null }
}

describe('recurring issues API', () => {
  let t: TestApp
  let admin: string
  let supervisor: string
  let checks = 0

  const call = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await t.app.server.inject({ method, url, headers: bearer(token), payload: payload as object })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }
  const issues = async (query = '') =>
    (await call(supervisor, 'GET', `/api/v1/recurring-issues${query}`)).body as IssueBody[]
  /** waits until every check scheduled so far has run (the jobs of the durable scheduler) */
  async function checked(expected: number) {
    for (let i = 0; i < 400; i++) {
      const done = await t.app.infra.scheduler.list({ type: RECURRING_CHECK_JOB, status: 'done', limit: 500 })
      if (done.length >= expected) return
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error(`fewer than ${expected} recurring-issue checks ran`)
  }

  /** The customer writes, an agent replies, the conversation is resolved. */
  async function contact(visitor: string, n: number, text: string, reply: string) {
    const received = await t.app.services.conversations.receive({
      channelPlugin: null,
      channel: 'webchat',
      identityKind: 'web-visitor',
      message: {
        channelMessageId: `${visitor}:${n}`,
        from: { id: visitor, kind: 'web-visitor', name: 'Wang Fang' },
        kind: 'text',
        text,
        receivedAt: new Date().toISOString(),
      },
    })
    const id = received.conversationId
    expect((await call(admin, 'POST', `/api/v1/conversations/${id}/messages`, { text: reply })).status).toBe(201)
    expect((await call(admin, 'PATCH', `/api/v1/conversations/${id}`, { status: 'resolved' })).status).toBe(200)
    await checked(++checks)
    return id
  }

  beforeAll(async () => {
    t = await createTestApp()
    admin = (await t.tokenFor('admin')).token
    supervisor = (await t.tokenFor('supervisor')).token
    // surveys would answer these customers too: off here
    await call(admin, 'PUT', '/api/v1/surveys/settings', { enabled: false })
  })
  afterAll(async () => {
    await t?.close()
  })

  describe('settings', () => {
    it('has defaults: 3 times in 7 days, by intent, category and similar text', async () => {
      const res = await call(admin, 'GET', '/api/v1/recurring-issues/settings')
      expect(res.body).toEqual({
        enabled: true,
        threshold: 3,
        windowDays: 7,
        matchIntent: true,
        matchCategory: true,
        matchText: true,
        textSimilarity: 0.4,
      })
    })

    it.each([
      [{ threshold: 1 }, 'threshold'],
      [{ threshold: 2.5 }, 'threshold'],
      [{ windowDays: 0 }, 'windowDays'],
      [{ textSimilarity: 1.5 }, 'textSimilarity'],
      [{ matchIntent: 'yes' }, 'matchIntent'],
      [{ minutes: 3 }, 'minutes'],
      [{}, '(root)'],
    ])('refuses %j (400 naming %s)', async (payload, path) => {
      const res = await call(admin, 'PUT', '/api/v1/recurring-issues/settings', payload)
      expect(res.status).toBe(400)
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path)
    })

    it('changes the fields given and keeps the others', async () => {
      const res = await call(admin, 'PUT', '/api/v1/recurring-issues/settings', { windowDays: 14 })
      expect(res.body).toMatchObject({ threshold: 3, windowDays: 14 })
      expect((await call(admin, 'GET', '/api/v1/recurring-issues/settings')).body.windowDays).toBe(14)
      await call(admin, 'PUT', '/api/v1/recurring-issues/settings', { windowDays: 7 })
    })
  })

  describe('similar wording, and applying the proposal', () => {
    let issue: IssueBody
    const conversations: string[] = []

    it('the same customer writing three times about a silent earphone raises one issue by text', async () => {
      conversations.push(await contact('v_earphone', 1, '耳机左边没声音', '请重新配对一下耳机试试。'))
      conversations.push(await contact('v_earphone', 2, '我的耳机左边还是没声音', '我们为您登记了换货。'))
      // another customer with the same words does not count for this one
      await contact('v_someone_else', 1, '耳机左边没声音', '请重新配对。')
      expect(await issues()).toEqual([])
      conversations.push(await contact('v_earphone', 3, '耳机左边又没声音了', '换货已寄出，单号 SF1234567。'))
      const list = await issues()
      expect(list).toHaveLength(1)
      issue = list[0]!
      expect(issue.issueKey).toMatch(/^text:/)
      expect(issue.status).toBe('open')
      expect([...issue.conversationIds].sort()).toEqual([...conversations].sort())
      expect(issue.proposal).toMatchObject({ kbEntryId: null, answer: '换货已寄出，单号 SF1234567。' })
      expect(['耳机左边没声音', '我的耳机左边还是没声音', '耳机左边又没声音了']).toContain(issue.proposal.question)
      expect(issue.label).toBe(issue.proposal.question)
      expect(await issues('?status=resolved')).toEqual([])
    })

    it('apply-proposal creates the knowledge-base entry with the admin’s edits (admins only)', async () => {
      expect((await call(supervisor, 'POST', `/api/v1/recurring-issues/${issue.id}/apply-proposal`, {})).status).toBe(
        403,
      )
      expect(
        (await call(admin, 'POST', `/api/v1/recurring-issues/${issue.id}/apply-proposal`, { answer: '' })).status,
      ).toBe(400)
      const res = await call(admin, 'POST', `/api/v1/recurring-issues/${issue.id}/apply-proposal`, {
        answer: '请先在手机蓝牙里“忽略此设备”后重新配对；仍无声音可申请换货。',
      })
      expect(res.status).toBe(200)
      expect(res.body.kbEntry).toMatchObject({ created: true, question: issue.proposal.question })
      expect(res.body.issue).toMatchObject({
        status: 'acknowledged',
        proposal: { appliedKbEntryId: res.body.kbEntry.id },
      })
      // applied a second time (a double click, a retry): the same entry, not a second one
      const twice = await Promise.all(
        [1, 2].map(() =>
          call(admin, 'POST', `/api/v1/recurring-issues/${issue.id}/apply-proposal`, {
            answer: '请先在手机蓝牙里“忽略此设备”后重新配对；仍无声音可申请换货。',
          }),
        ),
      )
      for (const r of twice) expect(r.body.kbEntry).toMatchObject({ id: res.body.kbEntry.id, created: false })
      const entry = await call(admin, 'GET', `/api/v1/kb/entries/${res.body.kbEntry.id}`)
      expect(entry.body).toMatchObject({
        question: issue.proposal.question,
        answer: '请先在手机蓝牙里“忽略此设备”后重新配对；仍无声音可申请换货。',
        tags: ['recurring-issue'],
      })
      const found = await call(admin, 'POST', '/api/v1/kb/search', { text: '耳机左边没声音' })
      expect(found.body[0]?.id).toBe(res.body.kbEntry.id)

      // applied again to that entry with other wording: the answer is replaced, the question becomes a variant
      const again = await call(admin, 'POST', `/api/v1/recurring-issues/${issue.id}/apply-proposal`, {
        kbEntryId: res.body.kbEntry.id,
        question: '左耳机没有声音怎么办',
        answer: '请重新配对；仍无声音请申请换货。',
      })
      expect(again.status).toBe(200)
      expect(again.body.kbEntry).toMatchObject({ id: res.body.kbEntry.id, created: false })
      const updated = await call(admin, 'GET', `/api/v1/kb/entries/${res.body.kbEntry.id}`)
      expect(updated.body).toMatchObject({
        answer: '请重新配对；仍无声音请申请换货。',
        variants: ['左耳机没有声音怎么办'],
      })
      expect(
        (
          await call(admin, 'POST', `/api/v1/recurring-issues/${issue.id}/apply-proposal`, {
            kbEntryId: 'no-such-entry',
          })
        ).status,
      ).toBe(404)
    })

    it('the detail lists the conversations; resolve ends it; acknowledge after that is a conflict', async () => {
      const detail = await call(supervisor, 'GET', `/api/v1/recurring-issues/${issue.id}`)
      expect(detail.status).toBe(200)
      expect(detail.body.contact.name).toBe('Wang Fang')
      expect(detail.body.conversations).toHaveLength(3)
      expect(detail.body.conversations[0]).toMatchObject({ firstMessage: '耳机左边没声音', status: 'resolved' })
      expect((await call(supervisor, 'POST', `/api/v1/recurring-issues/${issue.id}/resolve`)).body.status).toBe(
        'resolved',
      )
      expect((await call(supervisor, 'POST', `/api/v1/recurring-issues/${issue.id}/acknowledge`)).status).toBe(409)
      expect((await call(supervisor, 'GET', '/api/v1/recurring-issues/nope')).status).toBe(404)
    })
  })

  describe('team scope', () => {
    it('a supervisor in teams sees the issues of their teams’ queues (and of none), not the others', async () => {
      const conversations = [
        await contact('v_scope', 1, '发票抬头开错了', '已为您重开发票。'),
        await contact('v_scope', 2, '发票抬头还是开错了', '已再次重开。'),
        await contact('v_scope', 3, '我的发票抬头又开错了', '已加急处理。'),
      ]
      const issue = (await issues()).find((i) => conversations.every((c) => i.conversationIds.includes(c)))!
      expect(issue).toBeDefined()
      const north = (await call(admin, 'POST', '/api/v1/teams', { name: 'North' })).body.id as string
      const south = (await call(admin, 'POST', '/api/v1/teams', { name: 'South' })).body.id as string
      const lead = await t.tokenFor('supervisor')
      expect((await call(admin, 'PUT', `/api/v1/teams/${north}/members/${lead.userId}`)).status).toBeLessThan(300)
      const southQueue = await t.app.db.queue.create({ data: { name: 'south-invoices', teamId: south } })
      await t.app.db.conversation.updateMany({ where: { id: { in: conversations } }, data: { queueId: southQueue.id } })

      const seen = (await call(lead.token, 'GET', '/api/v1/recurring-issues')).body as IssueBody[]
      expect(seen.map((i) => i.id)).not.toContain(issue.id)
      expect((await call(lead.token, 'GET', `/api/v1/recurring-issues/${issue.id}`)).status).toBe(403)
      expect((await call(lead.token, 'POST', `/api/v1/recurring-issues/${issue.id}/acknowledge`)).status).toBe(403)
      expect((await call(lead.token, 'POST', `/api/v1/recurring-issues/${issue.id}/resolve`)).status).toBe(403)
      // issues without a queue stay everyone's; the team-less supervisor sees all
      expect(seen.length).toBeGreaterThan(0)
      expect((await issues()).map((i) => i.id)).toContain(issue.id)
      // its queue moves to the lead's team: now theirs
      await t.app.db.queue.update({ where: { id: southQueue.id }, data: { teamId: north } })
      const detail = await call(lead.token, 'GET', `/api/v1/recurring-issues/${issue.id}`)
      expect(detail.status).toBe(200)
      expect(detail.body.conversations.map((c: { firstMessage: string }) => c.firstMessage)).toEqual([
        '发票抬头开错了',
        '发票抬头还是开错了',
        '我的发票抬头又开错了',
      ])
      expect(detail.body.conversations.map((c: { lastAgentReply: string }) => c.lastAgentReply)).toEqual([
        '已为您重开发票。',
        '已再次重开。',
        '已加急处理。',
      ])
    })
  })

  describe('ticket categories', () => {
    it('three tickets of one customer in the category refund raise one issue by category', async () => {
      const contact = await t.app.services.contacts.create({ name: 'Refund customer' })
      const ticketIds: number[] = []
      for (const subject of ['退款没收到', '退款进度查询', '还是没有退款']) {
        const res = await call(admin, 'POST', '/api/v1/tickets', { subject, category: 'refund', contactId: contact.id })
        expect(res.status).toBe(201)
        ticketIds.push(res.body.id)
        await checked(++checks)
      }
      const list = (await issues()).filter((i) => i.contactId === contact.id)
      expect(list).toHaveLength(1)
      expect(list[0]).toMatchObject({
        contactName: 'Refund customer',
        issueKey: 'category:refund',
        label: 'refund',
        occurrences: 3,
        conversationIds: [],
      })
      expect([...list[0]!.ticketIds].sort()).toEqual([...ticketIds].sort())
      expect(list[0]!.proposal.question).toMatch(/退款/)
    })
  })

  describe('catch-up', () => {
    it('resolutions nobody checked (the bus was down) are checked at start-up, once', async () => {
      const customer = await t.app.services.contacts.create({ name: 'Missed customer' })
      const ids: string[] = []
      for (let i = 0; i < 3; i++)
        ids.push(
          (
            await t.app.db.conversation.create({
              data: {
                contactId: customer.id,
                channel: 'webchat',
                status: 'resolved',
                resolvedAt: new Date(),
                intent: 'where-is-my-parcel',
              },
            })
          ).id,
        )
      expect(await t.app.services.recurringIssues.catchUp()).toBe(3)
      checks += 3
      await checked(checks)
      const raised = (await issues()).filter((i) => i.contactId === customer.id)
      expect(raised).toHaveLength(1)
      expect(raised[0]).toMatchObject({ issueKey: 'intent:where-is-my-parcel', occurrences: 3 })
      expect([...raised[0]!.conversationIds].sort()).toEqual([...ids].sort())
      expect(await t.app.services.recurringIssues.catchUp()).toBe(0)
    })
  })
})
