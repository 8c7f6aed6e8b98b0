import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

/**
 * Canned responses: shared ones are managed by supervisors, personal ones belong to one agent;
 * the shortcut search and the variables rendered for a conversation, unknown names reported.
 */
describe('canned responses API', () => {
  let t: TestApp
  let supervisor: string
  let agent: { token: string; userId: string }
  let otherAgent: string
  let conversationId: string

  beforeAll(async () => {
    t = await createTestApp()
    supervisor = (await t.tokenFor('supervisor')).token
    agent = await t.tokenFor('agent')
    otherAgent = (await t.tokenFor('agent')).token
    await t.app.db.user.update({ where: { id: agent.userId }, data: { name: '李娜' } })
    const contact = await t.app.services.contacts.create({ name: '李女士', attributes: { vipLevel: 'gold' } })
    conversationId = (await t.app.db.conversation.create({ data: { contactId: contact.id, channel: 'webchat' } })).id
  })
  afterAll(() => t?.close())

  const call = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await t.app.server.inject({ method, url, headers: bearer(token), payload: payload as never })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }

  it('creates, reads, changes and deletes a shared response, and audits each change', async () => {
    const created = await call(supervisor, 'POST', '/api/v1/canned-responses', {
      title: '退款说明',
      shortcut: '/Refund',
      body: '{{contact.name}}您好，退款 1–3 个工作日到账。',
      language: 'zh-CN',
      tags: ['refund', '退款'],
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body).toMatchObject({ shortcut: 'refund', shared: true, ownerId: null, language: 'zh-CN' })
    const id = created.body.id as string

    expect((await call(agent.token, 'GET', `/api/v1/canned-responses/${id}`)).body.title).toBe('退款说明')
    const changed = await call(supervisor, 'PATCH', `/api/v1/canned-responses/${id}`, { title: '退款时效' })
    expect(changed.status).toBe(200)
    expect(changed.body.title).toBe('退款时效')

    const actions = (await t.app.db.auditEvent.findMany({ where: { targetId: id } })).map((e) => e.action).sort()
    expect(actions).toEqual(['canned-response.created', 'canned-response.updated'])

    expect((await call(supervisor, 'DELETE', `/api/v1/canned-responses/${id}`)).status).toBe(204)
    expect((await call(agent.token, 'GET', `/api/v1/canned-responses/${id}`)).status).toBe(404)
    expect(await t.app.db.auditEvent.count({ where: { targetId: id, action: 'canned-response.deleted' } })).toBe(1)
  })

  it('says which field is wrong, refuses a taken shortcut, and keeps shared ones to supervisors', async () => {
    const bad = await call(supervisor, 'POST', '/api/v1/canned-responses', {
      title: '',
      shortcut: 'two words',
      body: 'x',
    })
    expect(bad.status).toBe(400)
    const paths = (bad.body.details as Array<{ path: string }>).map((d) => d.path).sort()
    expect(paths).toEqual(['shortcut', 'title'])

    const first = await call(supervisor, 'POST', '/api/v1/canned-responses', {
      title: 'Hi',
      shortcut: 'hi',
      body: 'Hello',
      language: 'en',
    })
    expect(first.status).toBe(201)
    const taken = await call(supervisor, 'POST', '/api/v1/canned-responses', {
      title: 'Hi 2',
      shortcut: '/hi',
      body: 'Hey',
      language: 'en',
    })
    expect(taken.status).toBe(409)
    expect(taken.body.details[0].path).toBe('shortcut')
    // the same shortcut in another language is another response
    const zh = await call(supervisor, 'POST', '/api/v1/canned-responses', {
      title: '问候',
      shortcut: 'hi',
      body: '您好',
      language: 'zh-CN',
    })
    expect(zh.status).toBe(201)

    const agentShared = await call(agent.token, 'POST', '/api/v1/canned-responses', {
      title: 'x',
      shortcut: 'x',
      body: 'x',
    })
    expect(agentShared.status).toBe(403)
    const agentEdit = await call(agent.token, 'PATCH', `/api/v1/canned-responses/${first.body.id}`, { body: 'Yo' })
    expect(agentEdit.status).toBe(403)
    const agentDelete = await call(agent.token, 'DELETE', `/api/v1/canned-responses/${first.body.id}`)
    expect(agentDelete.status).toBe(403)
    expect((await call(supervisor, 'PATCH', `/api/v1/canned-responses/${first.body.id}`, {})).status).toBe(400)
  })

  it("an agent's personal response is theirs alone", async () => {
    const mine = await call(agent.token, 'POST', '/api/v1/canned-responses', {
      title: 'My sign-off',
      shortcut: 'bye',
      body: 'Thanks, {{agent.name}}',
      shared: false,
    })
    expect(mine.status).toBe(201)
    expect(mine.body).toMatchObject({ shared: false, ownerId: agent.userId })
    const list = await call(agent.token, 'GET', '/api/v1/canned-responses?scope=mine')
    expect(list.body.map((c: { shortcut: string }) => c.shortcut)).toEqual(['bye'])
    expect((await call(otherAgent, 'GET', `/api/v1/canned-responses/${mine.body.id}`)).status).toBe(404)
    const others = await call(otherAgent, 'GET', '/api/v1/canned-responses?q=/bye')
    expect(others.body).toEqual([])
    expect(
      (await call(agent.token, 'PATCH', `/api/v1/canned-responses/${mine.body.id}`, { body: 'Bye!' })).status,
    ).toBe(200)
  })

  it('finds by shortcut prefix or by text, and renders the variables for a conversation', async () => {
    await call(supervisor, 'POST', '/api/v1/canned-responses', {
      title: '商品漏液换货',
      shortcut: 'leak',
      body: '{{contact.name}}，我是{{agent.name}}，会话 {{conversation.id}}，等级 {{contact.attributes.vipLevel}}，{{contact.email}} {{order.number}}',
      language: 'zh-CN',
      tags: ['漏液'],
    })
    const byPrefix = await call(
      agent.token,
      'GET',
      `/api/v1/canned-responses?q=${encodeURIComponent('/le')}&conversationId=${conversationId}`,
    )
    expect(byPrefix.status).toBe(200)
    expect(byPrefix.body).toHaveLength(1)
    const rendered = byPrefix.body[0].rendered
    expect(rendered.text).toBe(
      `李女士，我是李娜，会话 ${conversationId.split('-')[0]}，等级 gold，{{contact.email}} {{order.number}}`,
    )
    expect(rendered.unknown).toEqual(['order.number'])
    expect(rendered.missing).toEqual(['contact.email'])

    const byText = await call(agent.token, 'GET', `/api/v1/canned-responses?q=${encodeURIComponent('漏液')}`)
    expect(byText.body.map((c: { shortcut: string }) => c.shortcut)).toContain('leak')
    expect(byText.body[0].rendered).toBeUndefined()
    const zhOnly = await call(agent.token, 'GET', '/api/v1/canned-responses?q=/hi&language=en')
    expect(zhOnly.body.map((c: { language: string }) => c.language)).toEqual(['en'])
    const noConversation = await call(agent.token, 'GET', '/api/v1/canned-responses?q=/le&conversationId=nope')
    expect(noConversation.status).toBe(404)
  })

  it('previews a text with example values or for a conversation, and lists the variables', async () => {
    const example = await call(agent.token, 'POST', '/api/v1/canned-responses/preview', {
      body: 'Hi {{contact.name}}, {{ agent.name }} here {{nope}}',
      language: 'en',
    })
    expect(example.body).toEqual({ text: 'Hi Ms. Li, Wang Fang here {{nope}}', unknown: ['nope'], missing: [] })
    const real = await call(agent.token, 'POST', '/api/v1/canned-responses/preview', {
      body: '{{contact.name}} / {{agent.name}}',
      conversationId,
    })
    expect(real.body.text).toBe('李女士 / 李娜')
    const variables = await call(agent.token, 'GET', '/api/v1/canned-responses/variables')
    expect(variables.body.map((v: { name: string }) => v.name)).toEqual(
      expect.arrayContaining(['contact.name', 'agent.name', 'conversation.id']),
    )
  })
})
