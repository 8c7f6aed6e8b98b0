import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { llm, pluginError, toManifest } from '@switchboard/plugin-sdk'
import { createTestHarness } from '@switchboard/plugin-sdk/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import definition from '../plugin.definition.js'
import handlers from '../src/index.js'
import { startFakeOpenAi, type FakeOpenAi, type FakeOpenAiOptions } from './fake-openai.js'
import { streamingFetch } from './streaming-fetch.js'

const KEY = 'sk-test-0123456789'
let fake: FakeOpenAi

beforeEach(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY })
})
afterEach(async () => {
  await fake.close()
})

/** Replaces this test's server with one started with other options. */
async function restartFake(options: FakeOpenAiOptions) {
  await fake.close()
  fake = await startFakeOpenAi(options)
}

function plugin(config: Record<string, unknown> = {}, secrets: Record<string, unknown> = { apiKey: KEY }) {
  return createTestHarness({ definition, handlers, config: { baseUrl: fake.baseUrl, ...config }, secrets })
}

type Message = { role: string; content: string }
const sent = (i = 0) => fake.requests[i]!.body as { messages: Message[] } & Record<string, unknown>
const transcript = [
  { from: 'customer', text: 'Where is my order 1234?' },
  { from: 'bot', text: 'Let me check that for you.' },
  { from: 'customer', text: 'It was supposed to arrive yesterday.' },
]
const intents = [
  { name: 'track_order', description: 'where an order or parcel is' },
  { name: 'refund', description: 'money back for an order' },
]

describe('definition', () => {
  it('reuses the llm interface schemas and builds a valid manifest', () => {
    const actions = definition.actions!
    for (const [name, method] of Object.entries(llm.methods)) {
      const action = actions[name as keyof typeof actions]
      expect(action.input).toBe(method.input)
      expect(action.output).toBe(method.output)
    }
    expect(() => plugin()).not.toThrow()
    expect(definition.permissions.hosts).toEqual(['config:baseUrl'])
  })

  it('describes every config, secret and node config field (they become admin forms)', () => {
    const manifest = toManifest(definition)
    const schemas = [manifest.config, manifest.secrets, manifest.nodes.reply!.config]
    for (const schema of schemas)
      for (const [field, property] of Object.entries((schema as { properties: Record<string, object> }).properties))
        expect(property, field).toHaveProperty('description')
  })

  it('refuses a configuration that is not a http(s) URL or has an out-of-range temperature', () => {
    expect(() => plugin({ baseUrl: 'ftp://models.example.com' })).toThrow()
    expect(() => plugin({ temperature: 3 })).toThrow()
  })
})

describe('complete', () => {
  it('posts model, messages, temperature and max_tokens with the Bearer key, and returns the reply', async () => {
    fake.reply({ content: 'Hello there', model: 'gpt-4o-mini-2024-07-18' })
    const result = await plugin({ temperature: 0.5 }).callAction('complete', {
      messages: [{ role: 'user', content: 'Hi' }],
      maxTokens: 50,
    })
    expect(result).toEqual({ text: 'Hello there', model: 'gpt-4o-mini-2024-07-18' })
    const request = fake.requests[0]!
    expect(request.method).toBe('POST')
    expect(request.path).toBe('/v1/chat/completions')
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(request.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.5,
      max_tokens: 50,
      stream: false,
    })
  })

  it('sends no Authorization header without a key (Ollama) and tolerates a trailing slash', async () => {
    await restartFake({ models: ['qwen2.5:7b'] })
    fake.reply({ content: '你好' })
    const harness = plugin({ baseUrl: `${fake.baseUrl}/`, model: 'qwen2.5:7b' }, {})
    const result = await harness.callAction('complete', {
      messages: [{ role: 'user', content: '你好' }],
      temperature: 0,
    })
    expect(result).toMatchObject({ text: '你好' })
    expect(fake.requests[0]!.path).toBe('/v1/chat/completions')
    expect(fake.requests[0]!.headers.authorization).toBeUndefined()
    expect(sent().temperature).toBe(0)
  })
})

describe('classifyIntent', () => {
  it('asks for JSON over the listed intents at temperature 0 and returns the intent', async () => {
    fake.reply({ content: '{"intent": "track_order", "confidence": 0.92}' })
    const result = await plugin().callAction('classifyIntent', { text: 'where is my parcel', intents })
    expect(result).toEqual({ intent: 'track_order', confidence: 0.92 })
    const body = sent()
    expect(body.response_format).toEqual({ type: 'json_object' })
    expect(body.temperature).toBe(0)
    expect(body.messages[0]!.content).toContain('track_order')
    expect(body.messages[0]!.content).toContain('refund')
    expect(body.messages[1]).toEqual({ role: 'user', content: 'where is my parcel' })
  })

  it('maps a name written differently to the listed one and clamps the confidence', async () => {
    fake.reply({ content: '{"intent": "Track Order", "confidence": 1.7}' })
    expect(await plugin().callAction('classifyIntent', { text: 'parcel?', intents })).toEqual({
      intent: 'track_order',
      confidence: 1,
    })
  })

  it('returns no intent for an intent that is not listed, or null', async () => {
    fake.reply(
      { content: '{"intent": "complaint", "confidence": 0.8}' },
      { content: '{"intent": null, "confidence": 0.9}' },
    )
    const harness = plugin()
    expect(await harness.callAction('classifyIntent', { text: 'rude!', intents })).toEqual({
      intent: null,
      confidence: 0,
    })
    expect(await harness.callAction('classifyIntent', { text: 'hmm', intents })).toEqual({
      intent: null,
      confidence: 0,
    })
  })

  it('parses fenced JSON after a <think> block, and treats prose as no intent', async () => {
    fake.reply(
      { content: '<think>the user wants {money}</think>\nSure:\n```json\n{"intent":"refund","confidence":"0.7"}\n```' },
      { content: 'I think the customer wants a refund.' },
    )
    const harness = plugin()
    expect(await harness.callAction('classifyIntent', { text: '退钱', intents })).toEqual({
      intent: 'refund',
      confidence: 0.7,
    })
    expect(await harness.callAction('classifyIntent', { text: '退钱', intents })).toEqual({
      intent: null,
      confidence: 0,
    })
    expect(harness.logs.some((l) => l.level === 'warn' && l.message.includes('did not reply with JSON'))).toBe(true)
  })

  it('retries once without response_format when the server rejects JSON mode', async () => {
    await restartFake({ apiKey: KEY, jsonMode: false })
    fake.reply({ content: '{"intent":"refund","confidence":0.6}' })
    expect(await plugin().callAction('classifyIntent', { text: 'money back', intents })).toEqual({
      intent: 'refund',
      confidence: 0.6,
    })
    expect(fake.requests).toHaveLength(2)
    expect(sent(0).response_format).toEqual({ type: 'json_object' })
    expect(sent(1).response_format).toBeUndefined()
  })

  it('does not ask for JSON mode when it is turned off', async () => {
    fake.reply({ content: '{"intent":"refund","confidence":0.6}' })
    await plugin({ jsonMode: false }).callAction('classifyIntent', { text: 'money back', intents })
    expect(sent().response_format).toBeUndefined()
  })

  it('writes the prompt in Chinese when the language is zh-CN', async () => {
    fake.reply({ content: '{"intent":"refund","confidence":0.6}' })
    await plugin({ language: 'zh-CN' }).callAction('classifyIntent', { text: '我要退款', intents })
    expect(sent().messages[0]!.content).toContain('意图')
  })
})

describe('answer', () => {
  const passages = [
    { id: 'kb-returns', text: 'Returns are accepted within 7 days of delivery. Return shipping is free.' },
    { id: 'kb-hours', text: 'Customer service is open 9:00-18:00, Monday to Saturday.' },
  ]

  it('answers from the passages and keeps only citations of given passage ids', async () => {
    fake.reply({
      content: JSON.stringify({
        answer: 'You can return it within 7 days; shipping is free.',
        citations: ['kb-returns', 'kb-made-up'],
      }),
    })
    const result = await plugin().callAction('answer', { question: 'Can I return it?', passages, language: 'en' })
    expect(result).toEqual({ answer: 'You can return it within 7 days; shipping is free.', citations: ['kb-returns'] })
    const body = sent()
    expect(body.response_format).toEqual({ type: 'json_object' })
    expect(body.messages[0]!.content).toContain('[kb-returns]')
    expect(body.messages[0]!.content).toContain('only')
    expect(body.messages[1]!.content).toBe('Can I return it?')
  })

  it('returns answer null when the model finds no answer, or answers without citing a passage', async () => {
    fake.reply(
      { content: '{"answer": null, "citations": []}' },
      { content: '{"answer": "We ship to Mars.", "citations": []}' },
    )
    const harness = plugin()
    const input = { question: 'Do you ship to Mars?', passages }
    expect(await harness.callAction('answer', input)).toEqual({ answer: null, citations: [] })
    expect(await harness.callAction('answer', input)).toEqual({ answer: null, citations: [] })
  })

  it('does not call the model when there are no passages', async () => {
    expect(await plugin().callAction('answer', { question: 'Anything?', passages: [] })).toEqual({
      answer: null,
      citations: [],
    })
    expect(fake.requests).toHaveLength(0)
  })

  it('answers in Chinese with a Chinese prompt for zh-CN, and survives a reply that is not JSON', async () => {
    fake.reply(
      { content: '{"answer":"支持 7 天内退货，运费免费。","citations":["kb-returns"]}' },
      { content: '抱歉，我不确定。' },
    )
    const harness = plugin({ language: 'en' })
    expect(await harness.callAction('answer', { question: '可以退货吗？', passages, language: 'zh-CN' })).toEqual({
      answer: '支持 7 天内退货，运费免费。',
      citations: ['kb-returns'],
    })
    expect(sent().messages[0]!.content).toContain('只能依据')
    expect(await harness.callAction('answer', { question: '可以退货吗？', passages })).toEqual({
      answer: null,
      citations: [],
    })
  })
})

describe('streaming: draftReply and summarize', () => {
  it('draftReply streams with stream: true and reports the text so far as deltas arrive', async () => {
    fake.reply({ content: ['Sorry for', ' the delay!', ' Your parcel', ' arrives today.'] })
    const harness = plugin()
    const result = await harness.callAction('draftReply', { transcript, guidance: 'apologise', language: 'en' })
    expect(result).toEqual({ text: 'Sorry for the delay! Your parcel arrives today.' })
    expect(sent().stream).toBe(true)
    expect(fake.requests[0]!.headers.accept).toBe('text/event-stream')
    expect(sent().messages[0]!.content).toContain('apologise')
    expect(sent().messages[1]!.content).toContain('Customer: Where is my order 1234?')
    expect(harness.progress).toEqual([
      'Sorry for',
      'Sorry for the delay!',
      'Sorry for the delay! Your parcel',
      'Sorry for the delay! Your parcel arrives today.',
    ])
  })

  it('summarize streams through DeepSeek keep-alive comments, in Chinese', async () => {
    await restartFake({ apiKey: KEY, keepAlive: true, models: ['deepseek-chat'] })
    fake.reply({ content: ['- 客户询问', '订单 1234 ', '的物流\n- 待跟进'] })
    const harness = plugin({ model: 'deepseek-chat' })
    const result = await harness.callAction('summarize', { transcript, language: 'zh-CN' })
    expect(result).toEqual({ summary: '- 客户询问订单 1234 的物流\n- 待跟进' })
    expect(sent().messages[1]!.content).toContain('客户: Where is my order 1234?')
    expect(harness.progress).toHaveLength(3)
  })

  it('reports progress before the stream has finished when the body arrives in pieces split anywhere', async () => {
    await restartFake({ apiKey: KEY, splitBytes: 7 })
    fake.reply({ content: ['您好', '，包裹', '今天 📦 ', '送达。'] })
    const harness = plugin()
    harness.ctx.fetch = streamingFetch(fake.baseUrl)
    const seenAt: number[] = []
    const report = harness.ctx.progress
    harness.ctx.progress = (text) => {
      seenAt.push(fake.state.eventsWritten)
      report(text)
    }
    const result = await harness.callAction('draftReply', { transcript })
    expect(result).toEqual({ text: '您好，包裹今天 📦 送达。' })
    expect(harness.progress).toEqual(['您好', '您好，包裹', '您好，包裹今天 📦 ', '您好，包裹今天 📦 送达。'])
    // role chunk + 4 deltas + finish + [DONE] = 7 events; the first delta was reported long before the end
    expect(seenAt[0]).toBeLessThan(4)
  })

  it('fails, retryable, when the stream is cut off or reports an error midway', async () => {
    fake.reply(
      { content: ['Sorry', ' for'], cutOff: true },
      { content: ['Sorry', ' for'], errorAfter: 1, message: 'overloaded' },
    )
    const harness = plugin()
    await expect(harness.callAction('draftReply', { transcript })).rejects.toMatchObject({
      code: 'SB_ERR_LLM_UPSTREAM',
      retryable: true,
    })
    await expect(harness.callAction('summarize', { transcript })).rejects.toMatchObject({
      code: 'SB_ERR_LLM_UPSTREAM',
      message: expect.stringContaining('overloaded'),
    })
  })

  it('handles a server that ignores stream: true and answers with one JSON body', async () => {
    const body = {
      choices: [{ index: 0, message: { role: 'assistant', content: 'All done.' }, finish_reason: 'stop' }],
    }
    fake.reply({ raw: JSON.stringify(body) })
    const harness = plugin()
    expect(await harness.callAction('draftReply', { transcript })).toEqual({ text: 'All done.' })
    expect(harness.progress).toEqual(['All done.'])
  })
})

describe('sentiment', () => {
  it('returns the label and score, clamped to [-1, 1]', async () => {
    fake.reply({ content: '{"label":"negative","score":-1.4}' }, { content: '{"label":"positive","score":0.8}' })
    const harness = plugin()
    expect(await harness.callAction('sentiment', { text: 'Terrible service!' })).toEqual({
      label: 'negative',
      score: -1,
    })
    expect(await harness.callAction('sentiment', { text: '谢谢！' })).toEqual({ label: 'positive', score: 0.8 })
  })

  it('fills a missing score from the label and a missing label from the score', async () => {
    fake.reply({ content: '{"label":"Neutral"}' }, { content: '{"sentiment":"?","score":-0.6}' })
    const harness = plugin()
    expect(await harness.callAction('sentiment', { text: 'ok' })).toEqual({ label: 'neutral', score: 0 })
    expect(await harness.callAction('sentiment', { text: 'meh' })).toEqual({ label: 'negative', score: -0.6 })
  })

  it('fails, retryable, on a reply with neither', async () => {
    fake.reply({ content: 'The customer seems upset.' })
    await expect(plugin().callAction('sentiment', { text: 'grr' })).rejects.toMatchObject({
      code: 'SB_ERR_LLM_INVALID_RESPONSE',
      retryable: true,
    })
  })
})

describe('upstream errors', () => {
  const ask = (harness = plugin()) => harness.callAction('complete', { messages: [{ role: 'user', content: 'Hi' }] })

  it('401: SB_ERR_LLM_AUTH_FAILED, not retryable, with the server message', async () => {
    await expect(ask(plugin({}, { apiKey: 'sk-wrong' }))).rejects.toMatchObject({
      code: 'SB_ERR_LLM_AUTH_FAILED',
      retryable: false,
      message: expect.stringContaining('Incorrect API key'),
      details: expect.objectContaining({ status: 401, code: 'invalid_api_key' }),
    })
  })

  it('429: SB_ERR_LLM_RATE_LIMITED, retryable, with Retry-After', async () => {
    fake.reply({
      status: 429,
      message: 'Rate limit reached for requests',
      code: 'rate_limit_exceeded',
      type: 'requests',
      headers: { 'retry-after': '20' },
    })
    await expect(ask()).rejects.toMatchObject({
      code: 'SB_ERR_LLM_RATE_LIMITED',
      retryable: true,
      details: expect.objectContaining({ status: 429, retryAfterSeconds: 20 }),
    })
  })

  it('429 insufficient_quota (OpenAI) and 402 (DeepSeek): SB_ERR_LLM_QUOTA_EXCEEDED, not retryable', async () => {
    fake.reply(
      {
        status: 429,
        message: 'You exceeded your current quota',
        code: 'insufficient_quota',
        type: 'insufficient_quota',
      },
      { status: 402, message: 'Insufficient Balance', type: 'unknown_error', code: 'invalid_request_error' },
    )
    const harness = plugin()
    await expect(ask(harness)).rejects.toMatchObject({ code: 'SB_ERR_LLM_QUOTA_EXCEEDED', retryable: false })
    await expect(ask(harness)).rejects.toMatchObject({ code: 'SB_ERR_LLM_QUOTA_EXCEEDED', retryable: false })
  })

  it('500 and 503: SB_ERR_LLM_UPSTREAM, retryable', async () => {
    fake.reply(
      { status: 500, message: 'The server had an error while processing your request.', type: 'server_error' },
      { status: 503, message: 'Server overloaded', type: 'server_error' },
    )
    const harness = plugin()
    await expect(ask(harness)).rejects.toMatchObject({ code: 'SB_ERR_LLM_UPSTREAM', retryable: true })
    await expect(ask(harness)).rejects.toMatchObject({ code: 'SB_ERR_LLM_UPSTREAM', retryable: true })
  })

  it('a plain-text 502 from a gateway: SB_ERR_LLM_UPSTREAM with its text', async () => {
    fake.reply({ raw: '<html>502 Bad Gateway</html>', contentType: 'text/html', status: 502 })
    await expect(ask()).rejects.toMatchObject({
      code: 'SB_ERR_LLM_UPSTREAM',
      message: expect.stringContaining('502 Bad Gateway'),
    })
  })

  it('an unknown model: SB_ERR_LLM_NOT_FOUND, not retryable', async () => {
    await expect(ask(plugin({ model: 'gpt-9' }))).rejects.toMatchObject({
      code: 'SB_ERR_LLM_NOT_FOUND',
      retryable: false,
    })
  })

  it('a 200 that is not a completion: SB_ERR_LLM_INVALID_RESPONSE', async () => {
    fake.reply({ raw: 'not json' }, { raw: '{"choices":[]}' })
    const harness = plugin()
    await expect(ask(harness)).rejects.toMatchObject({ code: 'SB_ERR_LLM_INVALID_RESPONSE' })
    await expect(ask(harness)).rejects.toMatchObject({ code: 'SB_ERR_LLM_INVALID_RESPONSE' })
  })

  it('no answer within timeoutMs: SB_ERR_LLM_TIMEOUT, retryable', async () => {
    fake.reply({ content: 'late', delayMs: 3000 })
    await expect(ask(plugin({ timeoutMs: 200 }))).rejects.toMatchObject({
      code: 'SB_ERR_LLM_TIMEOUT',
      retryable: true,
      details: { timeoutMs: 200 },
    })
  })

  it('nothing listening: SB_ERR_LLM_UNREACHABLE, retryable', async () => {
    const closed = fake.baseUrl
    await fake.close()
    fake = await startFakeOpenAi()
    await expect(ask(createTestHarness({ definition, handlers, config: { baseUrl: closed } }))).rejects.toMatchObject({
      code: 'SB_ERR_LLM_UNREACHABLE',
      retryable: true,
    })
  })

  it("maps the host's SB_ERR_PLUGIN_FETCH_FAILED, and passes its other errors on unchanged", async () => {
    const harness = plugin({ timeoutMs: 1500 })
    harness.ctx.fetch = async () => {
      throw pluginError('SB_ERR_PLUGIN_FETCH_FAILED', 'upstream request failed', {
        retryable: true,
        details: { reason: 'timeout' },
      })
    }
    await expect(ask(harness)).rejects.toMatchObject({ code: 'SB_ERR_LLM_TIMEOUT', details: { timeoutMs: 1500 } })
    harness.ctx.fetch = async () => {
      throw pluginError('SB_ERR_PLUGIN_FETCH_FAILED', 'connect ECONNREFUSED', { retryable: true })
    }
    await expect(ask(harness)).rejects.toMatchObject({ code: 'SB_ERR_LLM_UNREACHABLE', retryable: true })
    harness.ctx.fetch = async () => {
      throw pluginError('SB_ERR_PLUGIN_HOST_NOT_ALLOWED', 'redirected to another host')
    }
    await expect(ask(harness)).rejects.toMatchObject({ code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED' })
  })
})

describe('permissions and input validation', () => {
  it('refuses fetch to any host but the configured baseUrl (another port is another host)', async () => {
    let hits = 0
    const other = createServer((_req, res) => {
      hits++
      res.end('{}')
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const { port } = other.address() as AddressInfo
    try {
      const harness = plugin()
      await expect(harness.ctx.fetch(`http://127.0.0.1:${port}/v1/chat/completions`)).rejects.toMatchObject({
        code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED',
      })
      await expect(harness.ctx.fetch('https://api.openai.com/v1/models')).rejects.toMatchObject({
        code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED',
      })
      expect(hits).toBe(0)
    } finally {
      other.close()
    }
  })

  it('rejects input outside the interface before calling the model', async () => {
    const harness = plugin()
    const invalid = { code: 'SB_ERR_PLUGIN_INVALID_INPUT' }
    await expect(harness.callAction('classifyIntent', { text: 'hi', intents: [] })).rejects.toMatchObject(invalid)
    await expect(harness.callAction('complete', { messages: [] })).rejects.toMatchObject(invalid)
    await expect(harness.callAction('complete', { messages: [{ role: 'tool', content: 'x' }] })).rejects.toMatchObject(
      invalid,
    )
    await expect(harness.callAction('sentiment', { text: 'x'.repeat(4001) })).rejects.toMatchObject(invalid)
    await expect(harness.callAction('answer', { question: 'q', passages: [], language: 'fr' })).rejects.toMatchObject(
      invalid,
    )
    expect(fake.requests).toHaveLength(0)
  })
})

describe('reply node', () => {
  it("answers the customer's last input: port next, the text in the variable and a message", async () => {
    fake.reply({ content: '  Your order ships tomorrow.  ' })
    const harness = plugin()
    const out = await harness.runNode('reply', {
      config: { instructions: 'Orders ship within 24 hours.', variable: 'answerText' },
      text: 'When will my order ship?',
    })
    expect(out).toEqual({
      port: 'next',
      vars: { answerText: 'Your order ships tomorrow.' },
      messages: [{ text: 'Your order ships tomorrow.' }],
    })
    expect(sent().messages[0]!.content).toContain('Orders ship within 24 hours.')
    expect(sent().messages[1]).toEqual({ role: 'user', content: 'When will my order ship?' })
  })

  it('follows error when the model fails or there is nothing to answer', async () => {
    fake.reply({ status: 500, message: 'boom', type: 'server_error' })
    const harness = plugin()
    expect(await harness.runNode('reply', { config: {}, text: 'hello' })).toEqual({ port: 'error' })
    expect(await harness.runNode('reply', { config: {} })).toEqual({ port: 'error' })
    expect(fake.requests).toHaveLength(1)
    expect(harness.logs.map((l) => l.message)).toEqual([
      'reply: the model call failed',
      'reply: the customer has not said anything to answer yet',
    ])
  })

  it('refuses a variable name that is not an identifier', async () => {
    await expect(plugin().runNode('reply', { config: { variable: 'my answer' }, text: 'hi' })).rejects.toThrow()
  })
})

describe('healthCheck', () => {
  it('is ok when the server accepts the key and lists the model', async () => {
    expect(await plugin().healthCheck()).toMatchObject({ ok: true })
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' })
  })

  it('names the problem: a model the server does not offer, or a rejected key', async () => {
    expect(await plugin({ model: 'gpt-9' }).healthCheck()).toEqual({
      ok: false,
      message: 'The server does not offer the model "gpt-9". It offers: gpt-4o-mini',
    })
    expect(await plugin({}, { apiKey: 'sk-nope' }).healthCheck()).toMatchObject({
      ok: false,
      message: expect.stringContaining('refused the API key'),
    })
  })
})
