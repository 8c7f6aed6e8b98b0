import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, bearer, type TestApp } from '../support/test-app.js'

let t: TestApp
let admin: string
let agent: string
beforeAll(async () => {
  t = await createTestApp()
  admin = (await t.tokenFor('admin')).token
  agent = (await t.tokenFor('agent')).token
})
afterAll(() => t?.close())

const json = (res: { payload: string }) => JSON.parse(res.payload)
const call = (method: string, url: string, token: string, payload?: unknown) =>
  t.app.server.inject({ method, url, headers: bearer(token), payload: payload as object | undefined })
const classify = async (text: string, extra: object = {}) =>
  json(await call('POST', '/api/v1/nlu/classify', agent, { text, ...extra }))
const search = async (text: string, extra: object = {}) =>
  json(await call('POST', '/api/v1/kb/search', agent, { text, ...extra }))
const fieldsOf = (res: { payload: string }) =>
  json(res)
    .details.map((d: { path: string }) => d.path)
    .sort()
const auditActions = async (targetId: string) =>
  (await t.app.services.audit.list({ limit: 500 }))
    .filter((a) => a.targetId === targetId)
    .map((a) => a.action)
    .sort()

describe('intents and classification', () => {
  it('an admin creates intents; agents classify with them at once; every change retrains; each step audited', async () => {
    const created = await call('POST', '/api/v1/nlu/intents', admin, {
      name: 'order_status',
      description: '查物流',
      examples: ['我的快递到哪了', '帮我查一下物流', 'Where is my order?', '我的快递到哪了'],
    })
    expect(created.statusCode).toBe(201)
    const intent = json(created)
    expect(intent).toMatchObject({ name: 'order_status', description: '查物流' })
    expect(intent.examples.sort()).toEqual(['Where is my order?', '帮我查一下物流', '我的快递到哪了'].sort())
    const refund = json(
      await call('POST', '/api/v1/nlu/intents', admin, { name: 'refund', examples: ['我要退款', 'I want a refund'] }),
    )

    const result = await classify('包裹怎么还没到，帮我看看物流')
    expect(result).toMatchObject({ intent: 'order_status' })
    expect(result.confidence).toBeGreaterThan(0.2)
    expect(result.ranking[0]).toEqual({ intent: 'order_status', score: result.confidence })
    expect((await classify('退款什么时候到账')).intent).toBe('refund')

    const renamed = await call('PATCH', `/api/v1/nlu/intents/${refund.id}`, admin, {
      name: 'refund_request',
      examples: ['钱什么时候退给我', 'when do I get my money back'],
    })
    expect(renamed.statusCode).toBe(200)
    expect(json(renamed)).toMatchObject({
      name: 'refund_request',
      examples: expect.arrayContaining(['钱什么时候退给我']),
    })
    expect((await classify('我的钱什么时候退回来')).intent).toBe('refund_request')

    expect((await call('DELETE', `/api/v1/nlu/intents/${refund.id}`, admin)).statusCode).toBe(204)
    expect((await call('GET', `/api/v1/nlu/intents/${refund.id}`, agent)).statusCode).toBe(404)
    expect((await classify('我的钱什么时候退回来')).ranking.map((r: { intent: string }) => r.intent)).not.toContain(
      'refund_request',
    )
    expect(await t.app.db.nluExample.count({ where: { intentId: refund.id } })).toBe(0)

    const listed = json(await call('GET', '/api/v1/nlu/intents', agent))
    expect(listed.map((i: { name: string }) => i.name)).toEqual(['order_status'])
    expect(json(await call('GET', `/api/v1/nlu/intents/${intent.id}`, agent)).examples).toHaveLength(3)
    expect(await auditActions(refund.id)).toEqual(['nlu.intent.create', 'nlu.intent.delete', 'nlu.intent.update'])
  })

  it('gives no intent below the threshold, and takes a threshold per call', async () => {
    const offTopic = await classify('今天天气怎么样')
    expect(offTopic.intent).toBeNull()
    expect(offTopic.confidence).toBeLessThan(0.2)
    const strict = await classify('我的快递到哪了', { threshold: 1 })
    expect(strict.intent).toBeNull()
    expect(strict.ranking[0].intent).toBe('order_status')
  })

  it('bad input is a 400 that lists every wrong field, and nothing is written', async () => {
    const intents = await t.app.db.nluIntent.count()
    const audits = await t.app.db.auditEvent.count()
    const bad = await call('POST', '/api/v1/nlu/intents', admin, {
      name: '查物流 order',
      examples: ['ok', '', 42],
      colour: 'red',
    })
    expect(bad.statusCode).toBe(400)
    expect(json(bad).code).toBe('SB_ERR_VALIDATION')
    expect(fieldsOf(bad)).toEqual(['colour', 'examples.1', 'examples.2', 'name'])
    const noChange = await call(
      'PATCH',
      `/api/v1/nlu/intents/${(await t.app.db.nluIntent.findFirstOrThrow()).id}`,
      admin,
      {},
    )
    expect(noChange.statusCode).toBe(400)
    const badClassify = await call('POST', '/api/v1/nlu/classify', agent, { text: '   ', threshold: 2 })
    expect(badClassify.statusCode).toBe(400)
    expect(fieldsOf(badClassify)).toEqual(['text', 'threshold'])
    expect(await t.app.db.nluIntent.count()).toBe(intents)
    expect(await t.app.db.auditEvent.count()).toBe(audits)
  })

  it('a name already taken is a 409 naming the field; an unknown intent is a 404', async () => {
    const intents = await t.app.db.nluIntent.count()
    const taken = await call('POST', '/api/v1/nlu/intents', admin, { name: 'order_status', examples: ['x'] })
    expect(taken.statusCode).toBe(409)
    expect(json(taken)).toMatchObject({ code: 'SB_ERR_CONFLICT', details: [{ path: 'name' }] })
    expect(await t.app.db.nluIntent.count()).toBe(intents)
    const other = json(await call('POST', '/api/v1/nlu/intents', admin, { name: 'greeting', examples: ['你好'] }))
    const clash = await call('PATCH', `/api/v1/nlu/intents/${other.id}`, admin, { name: 'order_status' })
    expect(clash.statusCode).toBe(409)
    expect(json(await call('GET', `/api/v1/nlu/intents/${other.id}`, agent)).name).toBe('greeting')
    expect((await call('PATCH', '/api/v1/nlu/intents/nope', admin, { description: 'x' })).statusCode).toBe(404)
    expect((await call('DELETE', '/api/v1/nlu/intents/nope', admin)).statusCode).toBe(404)
  })

  it('agents may classify and read intents but not change them', async () => {
    expect((await call('POST', '/api/v1/nlu/intents', agent, { name: 'sneaky', examples: ['x'] })).statusCode).toBe(403)
    expect((await call('GET', '/api/v1/nlu/intents', agent)).statusCode).toBe(200)
  })

  it('the service import adds examples, creates intents, skips known ones, and refuses bad input whole', async () => {
    const nlu = t.app.services.nlu
    const actor = { userId: null, email: 'test' }
    const result = await nlu.importExamples(actor, [
      { intent: 'order_status', text: '我的快递到哪了' },
      { intent: 'cancel_order', text: '取消订单' },
      { intent: 'cancel_order', text: 'Please cancel my order' },
      { intent: 'cancel_order', text: '取消订单' },
    ])
    expect(result).toEqual({ intentsCreated: 1, examplesAdded: 2, examplesUnchanged: 2 })
    expect((await classify('帮我把订单取消')).intent).toBe('cancel_order')
    const examples = await t.app.db.nluExample.count()
    await expect(
      nlu.importExamples(actor, [
        { intent: 'new_one', text: 'fine' },
        { intent: 'bad name!', text: 'x' },
      ]),
    ).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION', details: [{ path: '1.intent' }] })
    expect(await t.app.db.nluExample.count()).toBe(examples)
    expect(await t.app.db.nluIntent.findUnique({ where: { name: 'new_one' } })).toBeNull()
  })
})

describe('the API description', () => {
  it('documents every NLU and knowledge-base route with its schemas', async () => {
    const doc = json(await t.app.server.inject({ url: '/api/openapi.json' }))
    for (const path of ['/api/v1/nlu/classify', '/api/v1/nlu/intents/{id}', '/api/v1/kb/search', '/api/v1/kb/entries'])
      expect(Object.keys(doc.paths)).toContain(path)
    expect(JSON.stringify(doc.paths['/api/v1/nlu/classify'].post)).toContain('confidence')
  })
})

describe('knowledge base', () => {
  const refundTime = {
    id: 'refund-time',
    question: '退款多久到账？',
    answer: '仓库签收退货后 1–3 个工作日内退款，原路退回。',
    tags: ['退款', 'refund'],
    variants: ['退款几天能到', 'How long does a refund take?'],
    language: 'zh-CN',
  }

  it('an admin manages entries; agents search them; every change re-indexes; each step audited', async () => {
    const created = await call('POST', '/api/v1/kb/entries', admin, refundTime)
    expect(created.statusCode).toBe(201)
    expect(json(created)).toMatchObject(refundTime)
    const invoice = json(
      await call('POST', '/api/v1/kb/entries', admin, { question: '怎么开发票？', answer: '在订单详情页申请开票。' }),
    )
    expect(invoice).toMatchObject({ tags: [], variants: [], language: null })
    expect(invoice.id).toMatch(/^[0-9a-f-]{36}$/)

    const hits = await search('钱退回来要等几天')
    expect(hits[0]).toMatchObject({ id: 'refund-time', question: refundTime.question, answer: refundTime.answer })
    expect(hits[0].score).toBeGreaterThan(0.25)
    expect((await search('when will I get my refund'))[0].id).toBe('refund-time')
    expect((await search('开个专票'))[0].id).toBe(invoice.id)
    // any phrasing will do to see the index follow the change, even one off the entry's topic
    expect(await search('支持云闪付吗')).toEqual([])
    const patched = await call('PATCH', `/api/v1/kb/entries/${invoice.id}`, admin, {
      variants: ['你们支持云闪付吗'],
      tags: ['发票'],
    })
    expect(json(patched)).toMatchObject({ variants: ['你们支持云闪付吗'], tags: ['发票'] })
    expect((await search('支持云闪付吗'))[0].id).toBe(invoice.id)

    expect(json(await call('GET', '/api/v1/kb/entries?tag=发票', agent)).map((e: { id: string }) => e.id)).toEqual([
      invoice.id,
    ])
    expect((await call('DELETE', `/api/v1/kb/entries/${invoice.id}`, admin)).statusCode).toBe(204)
    expect((await search('开个专票')).map((h: { id: string }) => h.id)).not.toContain(invoice.id)
    expect(await auditActions(invoice.id)).toEqual(['kb.entry.create', 'kb.entry.delete', 'kb.entry.update'])
  })

  it('answers nothing when nothing fits, and keeps to the limit', async () => {
    expect(await search('你们老板是谁')).toEqual([])
    expect(await search('退款', { limit: 1, threshold: 0 })).toHaveLength(1)
  })

  it('bad input is a 400 that lists every wrong field; a taken id is a 409; nothing is written', async () => {
    const entries = await t.app.db.kbEntry.count()
    const audits = await t.app.db.auditEvent.count()
    const bad = await call('POST', '/api/v1/kb/entries', admin, {
      id: 'has spaces',
      question: '',
      tags: 'refund',
      variants: [1],
    })
    expect(bad.statusCode).toBe(400)
    expect(fieldsOf(bad)).toEqual(['answer', 'id', 'question', 'tags', 'variants.0'])
    const taken = await call('POST', '/api/v1/kb/entries', admin, { ...refundTime, question: 'another' })
    expect(taken.statusCode).toBe(409)
    expect(json(taken).details[0].path).toBe('id')
    const badSearch = await call('POST', '/api/v1/kb/search', agent, { text: '', limit: 0 })
    expect(fieldsOf(badSearch)).toEqual(['limit', 'text'])
    expect((await call('PATCH', '/api/v1/kb/entries/refund-time', admin, { answer: '' })).statusCode).toBe(400)
    expect(json(await call('GET', '/api/v1/kb/entries/refund-time', agent)).answer).toBe(refundTime.answer)
    expect(await t.app.db.kbEntry.count()).toBe(entries)
    expect(await t.app.db.auditEvent.count()).toBe(audits)
    expect((await call('GET', '/api/v1/kb/entries/nope', agent)).statusCode).toBe(404)
  })

  it('the service import upserts by id and refuses bad input whole', async () => {
    const kb = t.app.services.kb
    const actor = { userId: null, email: 'test' }
    const result = await kb.importEntries(actor, [
      { ...refundTime, answer: '1–3 个工作日。' },
      { id: 'warranty', question: '产品保修多久？', answer: '一年。' },
    ])
    expect(result).toEqual({ created: 1, updated: 1 })
    expect(json(await call('GET', '/api/v1/kb/entries/refund-time', agent)).answer).toBe('1–3 个工作日。')
    expect((await search('保修期多长'))[0].id).toBe('warranty')
    await expect(
      kb.importEntries(actor, [
        { id: 'new-entry', question: 'q', answer: 'a' },
        { id: 'warranty', question: 'q', answer: '' },
        { id: 'new-entry', question: 'q', answer: 'a' },
      ]),
    ).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION' })
    expect(await t.app.db.kbEntry.findUnique({ where: { id: 'new-entry' } })).toBeNull()
    expect(json(await call('GET', '/api/v1/kb/entries/warranty', agent)).answer).toBe('一年。')
  })
})
