import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { startFakeOpenAi, type FakeOpenAi } from '../../plugins/llm-openai-compatible/test/fake-openai.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')

interface Hit {
  ruleId: string
  messageId: string | null
  seq: number | null
  start: number | null
  end: number | null
  phrase: string | null
  speaker: string | null
  source: string
  explanation: { en: string; 'zh-CN': string }
  detail?: Record<string, unknown>
}
interface Detail {
  id: string
  score: number
  categoryScores: Record<string, number | null>
  hits: Hit[]
  transcript: Array<{ id: string; seq: number; speaker: string; body: string; at: string }>
}

type Line = {
  who: 'customer' | 'agent' | 'bot'
  text: string
  atSeconds: number
  payload?: Record<string, string | number>
}

/** Shared by both apps: a conversation stored as a channel (or the voice plugin's transcript) leaves it. */
async function storedConversation(
  t: TestApp,
  agentId: string,
  input: { channel?: string; queuedAtSeconds?: number | null; sentiment?: string; lines: Line[] },
) {
  const base = Date.now() - 30 * 60_000
  const at = (seconds: number) => new Date(base + seconds * 1000)
  const contact = await t.app.services.contacts.create({ name: 'Customer' })
  const conversation = await t.app.db.conversation.create({
    data: {
      contactId: contact.id,
      channel: input.channel ?? 'webchat',
      status: 'assigned',
      assigneeId: agentId,
      sentiment: input.sentiment ?? null,
      createdAt: at(0),
      queuedAt: input.queuedAtSeconds === null ? null : at(input.queuedAtSeconds ?? 0),
      assignedAt: at(1),
      messageSeq: input.lines.length,
    },
  })
  const ids: string[] = []
  for (const [i, line] of input.lines.entries()) {
    const message = await t.app.db.message.create({
      data: {
        conversationId: conversation.id,
        channel: conversation.channel,
        direction: line.who === 'customer' ? 'inbound' : 'outbound',
        body: line.text,
        seq: i + 1,
        authorUserId: line.who === 'agent' && !line.payload ? agentId : null,
        payload: line.payload ?? {},
        createdAt: at(line.atSeconds),
      },
    })
    ids.push(message.id)
  }
  return { conversationId: conversation.id, ids }
}

async function resolveAndRead(t: TestApp, token: string, conversationId: string): Promise<Detail> {
  const res = await t.app.server.inject({
    method: 'PATCH',
    url: `/api/v1/conversations/${conversationId}`,
    headers: bearer(token),
    payload: { status: 'resolved' },
  })
  expect(res.statusCode).toBe(200)
  for (let i = 0; i < 400; i++) {
    const row = await t.app.db.qaResult.findUnique({ where: { conversationId } })
    if (row) {
      const detail = await t.app.server.inject({
        method: 'GET',
        url: `/api/v1/qa/results/${row.id}`,
        headers: bearer(token),
      })
      return JSON.parse(detail.payload) as Detail
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`no QA result for ${conversationId}`)
}

async function createRule(t: TestApp, token: string, rule: Record<string, unknown>): Promise<string> {
  const res = await t.app.server.inject({
    method: 'POST',
    url: '/api/v1/qa/rules',
    headers: bearer(token),
    payload: rule,
  })
  expect(res.statusCode, res.payload).toBe(201)
  return (JSON.parse(res.payload) as { id: string }).id
}

/**
 * The other kinds of QA rule, built in: timing (first response, unanswered customers, silence on
 * calls), the customer's sentiment at the end, and whether the agent gave a concrete resolution.
 */
describe('QA timing, sentiment, resolution and call rules', () => {
  let t: TestApp
  let admin: { token: string; userId: string }
  let agent: { token: string; userId: string }
  const rules: Record<string, string> = {}

  beforeAll(async () => {
    t = await createTestApp()
    admin = await t.tokenFor('admin')
    agent = await t.tokenFor('agent')
    await t.app.services.qa.ready()
    rules.firstResponse = await createRule(t, admin.token, {
      name: 'First response 60 s',
      kind: 'timing',
      config: { measure: 'first-response', seconds: 60 },
    })
    rules.silence = await createRule(t, admin.token, {
      name: 'Silence 2 min / calls 30 s',
      kind: 'timing',
      scope: { channels: ['webchat'] },
      config: { measure: 'silence', seconds: 120 },
    })
    rules.callSilence = await createRule(t, admin.token, {
      name: 'Silence on calls 30 s',
      kind: 'timing',
      scope: { channels: ['voice'] },
      config: { measure: 'silence', seconds: 30 },
    })
    rules.sentiment = await createRule(t, admin.token, { name: 'Unhappy customer', kind: 'sentiment', weight: 5 })
    rules.resolution = await createRule(t, admin.token, { name: 'Concrete resolution', kind: 'resolution', weight: 20 })
    rules.privacy = await createRule(t, admin.token, {
      name: 'Privacy notice on calls',
      kind: 'required-phrase',
      scope: { channels: ['voice'] },
      config: {
        within: { position: 'first', messages: 2 },
        phrases: [{ text: '为了保护您的隐私' }, { text: 'for your privacy' }],
      },
    })
  }, 60_000)
  afterAll(() => t?.close())

  it('times the first response from the queueing and finds a customer left waiting', async () => {
    const { conversationId, ids } = await storedConversation(t, agent.userId, {
      queuedAtSeconds: 0,
      lines: [
        { who: 'customer', text: '你好，我的订单还没发货', atSeconds: -10 },
        { who: 'agent', text: '您好，我帮您看一下', atSeconds: 90 },
        { who: 'customer', text: '订单号 123456', atSeconds: 100 },
        { who: 'agent', text: '已为您加急发货，预计明天送达。', atSeconds: 400 },
        { who: 'customer', text: '好的，谢谢', atSeconds: 410 },
      ],
    })
    const result = await resolveAndRead(t, agent.token, conversationId)
    expect(result.hits.map((h) => [h.ruleId, h.messageId, h.detail?.seconds])).toEqual([
      [rules.firstResponse, ids[1], 90],
      [rules.silence, ids[2], 300],
    ])
    expect(result.hits[0]!.explanation).toEqual({
      en: 'First response after 90 s (limit 60 s)',
      'zh-CN': '首次响应用时 90 秒（上限 60 秒）',
    })
    expect(result.score).toBe(80)
    expect(result.categoryScores).toEqual({ attitude: 100, compliance: null, resolution: 100, process: 80 })
  })

  it('an unhappy ending and a vague answer are hits at the words that show them', async () => {
    const { conversationId, ids } = await storedConversation(t, agent.userId, {
      queuedAtSeconds: null,
      lines: [
        { who: 'agent', text: 'Hello, how can I help?', atSeconds: 5 },
        { who: 'customer', text: 'My refund never came.', atSeconds: 10 },
        { who: 'agent', text: 'Please wait, we will look into it.', atSeconds: 20 },
        { who: 'customer', text: 'This is useless, I will complain.', atSeconds: 30 },
      ],
    })
    const result = await resolveAndRead(t, agent.token, conversationId)
    expect(result.hits.map((h) => [h.ruleId, h.messageId, h.start, h.end, h.source])).toEqual([
      [rules.resolution, ids[2], 0, 11, 'heuristic'],
      [rules.sentiment, ids[3], 8, 15, 'lexicon'],
    ])
    expect(result.hits[1]!.explanation.en).toBe('The customer ended unhappy ("useless")')
    // no queueing: no first response to time
    expect(result.categoryScores).toEqual({ attitude: 95, compliance: null, resolution: 80, process: 100 })
    expect(result.score).toBe(75)
  })

  it("takes the conversation's own sentiment when a flow or plugin set it", async () => {
    const { conversationId } = await storedConversation(t, agent.userId, {
      sentiment: 'negative',
      lines: [
        { who: 'customer', text: '谢谢', atSeconds: 1 },
        { who: 'agent', text: '已为您退款，3 个工作日内到账。', atSeconds: 20 },
      ],
    })
    const result = await resolveAndRead(t, agent.token, conversationId)
    expect(result.hits.map((h) => [h.ruleId, h.source, h.messageId])).toEqual([[rules.sentiment, 'conversation', null]])
  })

  it('inspects a call transcript: the privacy notice and silences between utterances', async () => {
    const { conversationId, ids } = await storedConversation(t, agent.userId, {
      channel: 'voice',
      queuedAtSeconds: 0,
      lines: [
        {
          who: 'agent',
          text: '您好，这里是售后服务。',
          atSeconds: 3,
          payload: { speaker: 'agent', startMs: 0, endMs: 3000 },
        },
        { who: 'customer', text: '我的快递丢了', atSeconds: 6, payload: { startMs: 4000, endMs: 6000 } },
        {
          who: 'agent',
          text: '好的，我查一下。',
          atSeconds: 8,
          payload: { speaker: 'agent', startMs: 7000, endMs: 8000 },
        },
        {
          who: 'agent',
          text: '让您久等了，已为您补发，单号 SF1234567890。',
          atSeconds: 52,
          payload: { speaker: 'agent', startMs: 48_000, endMs: 52_000 },
        },
      ],
    })
    const result = await resolveAndRead(t, agent.token, conversationId)
    expect(result.hits.map((h) => [h.ruleId, h.messageId, h.detail?.seconds ?? null])).toEqual([
      [rules.callSilence, ids[3], 40],
      [rules.privacy, null, null],
    ])
    expect(result.hits[1]!.explanation['zh-CN']).toBe(
      '缺少必说话术「为了保护您的隐私」 / 「for your privacy」（坐席前 2 条消息内）',
    )
    expect(result.transcript.map((l) => l.speaker)).toEqual(['agent', 'customer', 'agent', 'agent'])
    // an utterance's time is the call's start plus its offset
    expect(new Date(result.transcript[3]!.at).getTime() - new Date(result.transcript[0]!.at).getTime()).toBe(48_000)
  })

  it('tries a resolution check on a text', async () => {
    const tryText = async (text: string) => {
      const res = await t.app.server.inject({
        method: 'POST',
        url: '/api/v1/qa/rules/test',
        headers: bearer(admin.token),
        payload: { rule: { kind: 'resolution' }, text },
      })
      return JSON.parse(res.payload) as { hits: Hit[] }
    }
    expect((await tryText('Your replacement has been shipped, tracking number 7730021.')).hits).toEqual([])
    expect((await tryText('已为您登记，请耐心等待。')).hits).toEqual([])
    expect((await tryText('我们会尽快处理的。')).hits.map((h) => [h.start, h.end])).toEqual([[0, 5]])
  })
})

describe('the resolution rubric with an LLM plugin', () => {
  let t: TestApp
  let llm: FakeOpenAi
  let built: { dir: string; remove(): void }
  let admin: { token: string; userId: string }
  let agent: { token: string; userId: string }
  let ruleId: string

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
    admin = await t.tokenFor('admin')
    agent = await t.tokenFor('agent')
    await t.app.services.qa.ready()
    ruleId = await createRule(t, admin.token, {
      name: 'Concrete resolution (LLM)',
      kind: 'resolution',
      config: { rubric: '退款必须说明金额' },
    })
  }, 120_000)
  afterAll(async () => {
    await t?.close()
    await llm?.close()
    built?.remove()
  })

  it("asks the model with the transcript and the admin's rubric, and keeps its reason", async () => {
    const { conversationId, ids } = await storedConversation(t, agent.userId, {
      lines: [
        { who: 'customer', text: '退款什么时候到？', atSeconds: 1 },
        { who: 'agent', text: '已为您退款，3 个工作日内到账。', atSeconds: 20 },
      ],
    })
    llm.reply({ content: '{"resolved": false, "reason": "没有说明退款金额"}' })
    const result = await resolveAndRead(t, agent.token, conversationId)
    // the heuristics would have found "已为您退款": the model decided
    expect(result.hits).toEqual([
      expect.objectContaining({ ruleId, source: 'llm', messageId: ids[1], detail: { reason: '没有说明退款金额' } }),
    ])
    expect(result.hits[0]!.explanation['zh-CN']).toBe('未给出明确的解决方案（大模型评审）：没有说明退款金额')
    const prompt = JSON.stringify(llm.requests.at(-1)!.body)
    expect(prompt).toContain('Customer: 退款什么时候到？')
    expect(prompt).toContain('Agent: 已为您退款，3 个工作日内到账。')
    expect(prompt).toContain('退款必须说明金额')
  })

  it('falls back to the built-in heuristics when the model fails', async () => {
    const { conversationId } = await storedConversation(t, agent.userId, {
      lines: [
        { who: 'customer', text: 'Where is my parcel?', atSeconds: 1 },
        { who: 'agent', text: 'We will get back to you.', atSeconds: 20 },
      ],
    })
    llm.reply({ status: 401, message: 'Incorrect API key provided' })
    const result = await resolveAndRead(t, agent.token, conversationId)
    expect(result.hits).toHaveLength(1)
    expect(result.hits[0]).toMatchObject({ ruleId, source: 'heuristic', start: 8, end: 23 })
    expect(String(result.hits[0]!.detail?.llmError)).toContain('Incorrect API key')
  })
})
