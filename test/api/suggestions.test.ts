import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { startFakeOpenAi, type FakeOpenAi } from '../../plugins/llm-openai-compatible/test/fake-openai.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')

/** A conversation of Ms. Li about a leaking lipstick, with the bot's answer and an agent reply. */
async function lipstickConversation(t: TestApp, agentId: string) {
  const contact = await t.app.services.contacts.create({ name: '李女士', language: 'zh-CN' })
  const conversation = await t.app.db.conversation.create({
    data: {
      contactId: contact.id,
      channel: 'webchat',
      status: 'assigned',
      assigneeId: agentId,
      intent: 'after-sales.defect',
    },
  })
  await t.app.db.message.createMany({
    data: [
      { conversationId: conversation.id, channel: 'webchat', direction: 'inbound', body: '你好', seq: 1 },
      {
        conversationId: conversation.id,
        channel: 'webchat',
        direction: 'outbound',
        body: '您好，请问有什么可以帮您？',
        seq: 2,
      },
      {
        conversationId: conversation.id,
        channel: 'webchat',
        direction: 'internal',
        kind: 'note',
        body: 'VIP 客户',
        seq: 3,
        authorUserId: agentId,
      },
      {
        conversationId: conversation.id,
        channel: 'webchat',
        direction: 'inbound',
        body: '上周买的口红漏液了，可以退货吗',
        seq: 4,
      },
    ],
  })
  return conversation.id
}

/**
 * Suggested replies: knowledge-base answers and canned responses for the customer's last
 * message (rendered for the conversation), and an AI draft only when an LLM provider is set.
 */
describe('suggested replies without an LLM', () => {
  let t: TestApp
  let agent: { token: string; userId: string }
  let conversationId: string

  beforeAll(async () => {
    t = await createTestApp()
    agent = await t.tokenFor('agent')
    const supervisor = await t.tokenFor('supervisor')
    await t.app.db.user.update({ where: { id: agent.userId }, data: { name: '李娜' } })
    await t.app.services.kb.create(actor, {
      question: '退货运费谁出？',
      answer: '质量问题由我们承担运费；七天无理由退货运费由买家承担。',
      variants: ['退货要自己付运费吗', '可以退货吗'],
    })
    await t.app.services.kb.create(actor, { question: '营业时间', answer: '每天 9:00–21:00。' })
    const user = { id: supervisor.userId, role: 'supervisor' as const, name: 'Sup', email: supervisor.email }
    await t.app.services.canned.create(user, actor, {
      title: '商品漏液换货',
      shortcut: 'leak',
      body: '{{contact.name}}，非常抱歉！漏液的商品我们免费换货。我是{{agent.name}}。',
      language: 'zh-CN',
      tags: ['漏液', '破损'],
    })
    await t.app.services.canned.create(user, actor, {
      title: '质量问题处理',
      shortcut: 'defect',
      body: '质量问题我们负责到底。',
      language: 'zh-CN',
      tags: ['after-sales.defect'],
    })
    await t.app.services.canned.create(user, actor, {
      title: 'Business hours',
      shortcut: 'hours',
      body: 'We are open 9 to 9.',
      language: 'en',
      tags: ['hours'],
    })
    conversationId = await lipstickConversation(t, agent.userId)
  })
  afterAll(() => t?.close())

  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await t.app.server.inject({ method, url, headers: bearer(agent.token), payload: payload as never })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }

  it("answers the customer's last message with knowledge-base answers and rendered canned responses", async () => {
    const res = await call('GET', `/api/v1/conversations/${conversationId}/suggestions`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.text).toBe('上周买的口红漏液了，可以退货吗')
    expect(res.body.language).toBe('zh-CN')
    expect(res.body.kb[0].question).toBe('退货运费谁出？')
    const shortcuts = res.body.canned.map((c: { shortcut: string }) => c.shortcut)
    expect(shortcuts).toContain('leak')
    // tagged with the conversation's intent, so it fits though no word matches
    expect(shortcuts).toContain('defect')
    // another language's response is not offered
    expect(shortcuts).not.toContain('hours')
    const leak = res.body.canned.find((c: { shortcut: string }) => c.shortcut === 'leak')
    expect(leak.rendered).toEqual({
      text: '李女士，非常抱歉！漏液的商品我们免费换货。我是李娜。',
      unknown: [],
      missing: [],
    })
    expect(res.body.ai).toEqual({ available: false })
  })

  it('suggests for a given text, and nothing when the customer has not written', async () => {
    const res = await call(
      'GET',
      `/api/v1/conversations/${conversationId}/suggestions?text=${encodeURIComponent('营业时间是几点')}`,
    )
    expect(res.body.kb[0].answer).toBe('每天 9:00–21:00。')
    const contact = await t.app.services.contacts.create({ name: 'Tom' })
    const empty = await t.app.db.conversation.create({ data: { contactId: contact.id, channel: 'webchat' } })
    const none = await call('GET', `/api/v1/conversations/${empty.id}/suggestions`)
    expect(none.body).toMatchObject({ text: null, kb: [], canned: [] })
    expect((await call('GET', '/api/v1/conversations/nope/suggestions')).status).toBe(404)
  })

  it('an AI draft is refused with 503 when no LLM provider is configured', async () => {
    const res = await call('POST', `/api/v1/conversations/${conversationId}/draft`, {})
    expect(res.status).toBe(503)
    expect(res.body.code).toBe('SB_ERR_PLUGIN_UNAVAILABLE')
    expect(res.body.message).toContain('SWITCHBOARD_AI_PROVIDER=llm')
  })
})

describe('AI drafts with an LLM provider', () => {
  let t: TestApp
  let llm: FakeOpenAi
  let built: { dir: string; remove(): void }
  let agent: { token: string; userId: string }
  let conversationId: string

  beforeAll(async () => {
    llm = await startFakeOpenAi({ apiKey: 'sk-test' })
    t = await createTestApp({ SWITCHBOARD_AI_PROVIDER: 'llm' })
    await t.app.services.plugins.start()
    built = await builtPluginCopy(join(import.meta.dirname, '../../plugins/llm-openai-compatible'))
    await t.app.services.plugins.install({ dir: built.dir }, { actor })
    await t.app.services.plugins.configure(
      'llm-openai-compatible',
      { config: { baseUrl: llm.baseUrl, model: 'gpt-4o-mini' }, secrets: { apiKey: 'sk-test' } },
      actor,
    )
    agent = await t.tokenFor('agent')
    conversationId = await lipstickConversation(t, agent.userId)
  }, 120_000)
  afterAll(async () => {
    await t?.close()
    await llm?.close()
    built?.remove()
  })

  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await t.app.server.inject({ method, url, headers: bearer(agent.token), payload: payload as never })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }

  it('offers the AI option and drafts from the thread, internal notes left out', async () => {
    expect((await call('GET', `/api/v1/conversations/${conversationId}/suggestions`)).body.ai).toEqual({
      available: true,
    })
    llm.reply({ content: '非常抱歉！我们为您免费换货。' })
    const res = await call('POST', `/api/v1/conversations/${conversationId}/draft`, { guidance: '提出换货' })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toEqual({ text: '非常抱歉！我们为您免费换货。', language: 'zh-CN' })
    const prompt = JSON.stringify(llm.requests.at(-1)!.body)
    expect(prompt).toContain('上周买的口红漏液了')
    expect(prompt).toContain('提出换货')
    expect(prompt).not.toContain('VIP 客户')
  })

  it("answers 502 with the provider's error when the model fails", async () => {
    llm.reply({ status: 401, message: 'Incorrect API key provided' })
    const res = await call('POST', `/api/v1/conversations/${conversationId}/draft`, {})
    expect(res.status).toBe(502)
    expect(res.body.message).toContain('The AI provider failed')
    expect(res.body.message).toContain('Incorrect API key')
  })
})
