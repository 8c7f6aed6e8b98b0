import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { startFakeOpenAi, type FakeOpenAi } from '../../plugins/llm-openai-compatible/test/fake-openai.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')
const plugin = join(import.meta.dirname, '../../plugins/llm-openai-compatible')

/**
 * SWITCHBOARD_AI_PROVIDER=llm: the classify-intent and kb-answer nodes ask the LLM plugin (in the
 * sandbox, against a local server speaking OpenAI's protocol) through the same interface as the
 * built-in models, and fall back to them when the model fails.
 */
describe('the llm AI provider', () => {
  let t: TestApp
  let admin: string
  let llm: FakeOpenAi
  let built: { remove(): void }
  let faqId: string

  beforeAll(async () => {
    llm = await startFakeOpenAi({ apiKey: 'sk-test' })
    t = await createTestApp({ SWITCHBOARD_AI_PROVIDER: 'llm' })
    await t.app.services.plugins.start()
    admin = (await t.tokenFor('admin')).token
    const copy = await builtPluginCopy(plugin)
    built = copy
    await t.app.services.plugins.install({ dir: copy.dir }, { actor })
    await t.app.services.plugins.configure(
      'llm-openai-compatible',
      { config: { baseUrl: llm.baseUrl, model: 'gpt-4o-mini' }, secrets: { apiKey: 'sk-test' } },
      actor,
    )
    await t.app.services.nlu.create(actor, {
      name: 'order_status',
      description: '询问订单或物流进度',
      examples: ['我的快递到哪了', '订单什么时候发货'],
    })
    await t.app.services.nlu.create(actor, {
      name: 'refund',
      description: '要求退货或退款',
      examples: ['我要退货', '怎么退款'],
    })
    faqId = (
      await t.app.services.kb.create(actor, {
        question: '退货运费谁出？',
        answer: '质量问题由我们承担运费；七天无理由退货运费由买家承担。',
      })
    ).id
  }, 120_000)
  afterAll(async () => {
    await t?.close()
    await llm?.close()
    built?.remove()
  })

  it('classifies with the LLM among the intents the NLU knows', async () => {
    llm.reply({ content: '{"intent":"refund","confidence":0.93}' })
    expect(await t.app.services.ai.classifyIntent('这个口红颜色不喜欢，可以退吗')).toEqual({
      intent: 'refund',
      confidence: 0.93,
    })
    const prompt = JSON.stringify(llm.requests.at(-1)!.body)
    expect(prompt).toContain('order_status')
    expect(prompt).toContain('refund')
  })

  it('falls back to the built-in classifier when the model fails', async () => {
    llm.reply({ status: 500, message: 'upstream overloaded' })
    const result = await t.app.services.ai.classifyIntent('我要退货')
    expect(result.intent).toBe('refund')
  })

  it('a kb-answer node in a flow answers from the FAQ through the LLM, with its citation', async () => {
    llm.reply({ content: JSON.stringify({ answer: '如果是质量问题，退货运费由我们承担。', citations: [faqId] }) })
    const flow = {
      name: 'FAQ bot',
      kind: 'bot',
      description: 'answers from the FAQ',
      document: {
        schemaVersion: 1,
        variables: {},
        nodes: [
          { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
          { id: 'faq', type: 'kb-answer', config: {}, position: { x: 0, y: 100 } },
          { id: 'sorry', type: 'send-message', config: { text: '抱歉，我不知道。' }, position: { x: 200, y: 200 } },
          { id: 'end', type: 'end', config: {}, position: { x: 0, y: 200 } },
        ],
        edges: [
          { from: 'start', port: 'next', to: 'faq' },
          { from: 'faq', port: 'answered', to: 'end' },
          { from: 'faq', port: 'no-answer', to: 'sorry' },
        ],
      },
    }
    const imported = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/flows/import',
      headers: bearer(admin),
      payload: { flow, publish: true },
    })
    expect(imported.statusCode, imported.payload).toBe(201)
    const run = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/runs',
      headers: bearer(admin),
      payload: { flow: 'FAQ bot', channel: 'text', input: { text: '退货的运费要我自己出吗' } },
    })
    expect(run.statusCode, run.payload).toBe(201)
    const outputs = JSON.parse(run.payload).outputs as Array<{ kind: string; text?: string }>
    expect(outputs.map((o) => o.text)).toContain('如果是质量问题，退货运费由我们承担。')
    const passages = JSON.stringify(llm.requests.at(-1)!.body)
    expect(passages).toContain(faqId)
  })
})
