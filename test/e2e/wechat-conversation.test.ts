import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import {
  pushRequest,
  pushXml,
  startFakeWechat,
  type FakeWechat,
} from '../../plugins/channel-wechat-oa/test/fake-wechat.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const root = join(import.meta.dirname, '../..')
const actor = systemActor('test')
const APP_ID = 'wx1234567890abcdef'
const APP_SECRET = 'a'.repeat(32)
const TOKEN = 'SwitchboardTok3n'
const OPENID = 'oX1a2B3c4D5e6F7g8H9i0JkLmNoP'

/**
 * A WeChat follower asks the order bot, end to end: the signed XML push reaches the WeChat channel
 * plugin's webhook, the conversations module stores it on a new contact and conversation, the
 * channel's entry flow (order-status, answering from the demo shop plugin) replies, and the reply
 * goes out through WeChat's customer-service API (a local fake speaking its protocol). Asking for a
 * human queues the conversation; the agent's reply goes out the same way.
 */
describe('a WeChat conversation through the channel plugin, the bot and an agent', () => {
  let t: TestApp
  let admin: string
  let agent: string
  let wechat: FakeWechat
  const builds: Array<{ remove(): void }> = []
  let msgId = 1000n

  const say = async (text: string) => {
    const request = pushRequest(
      { token: TOKEN },
      pushXml({ FromUserName: OPENID, MsgType: 'text', Content: text, MsgId: ++msgId }),
    )
    const query = new URLSearchParams(request.query).toString()
    return t.app.server.inject({
      method: 'POST',
      url: `/hooks/channel-wechat-oa/callback?${query}`,
      headers: request.headers,
      payload: request.body,
    })
  }
  const sentTexts = () =>
    wechat.sent.map((m) => ((m.text as { content?: string } | undefined)?.content ?? JSON.stringify(m)) as string)

  beforeAll(async () => {
    wechat = await startFakeWechat({ appId: APP_ID, appSecret: APP_SECRET, replyQuota: 50 })
    wechat.follow(OPENID)
    t = await createTestApp()
    await t.app.services.plugins.start()
    admin = (await t.tokenFor('admin')).token
    agent = (await t.tokenFor('agent')).token
    for (const name of ['channel-wechat-oa', 'demo-shop']) {
      const built = await builtPluginCopy(join(root, 'plugins', name))
      builds.push(built)
      await t.app.services.plugins.install({ dir: built.dir }, { actor })
    }
    await t.app.services.plugins.configure(
      'channel-wechat-oa',
      {
        config: { appId: APP_ID, apiBase: wechat.url, quickReplies: 'text' },
        secrets: { appSecret: APP_SECRET, token: TOKEN },
      },
      actor,
    )
    await t.app.db.queue.create({ data: { name: 'After-sales', description: '售后' } })
    const flow = JSON.parse(readFileSync(join(root, 'examples/flows/order-status.json'), 'utf8'))
    const imported = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/flows/import',
      headers: bearer(admin),
      payload: { flow, publish: true },
    })
    expect(imported.statusCode, imported.payload).toBe(201)
    const { id: flowId } = JSON.parse(imported.payload) as { id: string }
    const trigger = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/flows/${flowId}/triggers`,
      headers: bearer(admin),
      payload: { kind: 'channel-entry', config: { channel: 'wechat-oa' } },
    })
    expect(trigger.statusCode, trigger.payload).toBe(201)
  }, 180_000)

  afterAll(async () => {
    await t?.close()
    await wechat?.close()
    for (const b of builds) b.remove()
  })

  it('the bot answers a new follower on WeChat with the order and the parcel', async () => {
    const res = await say('我的快递到哪了？订单号 2026111812345')
    expect(res.statusCode, res.payload).toBe(200)
    expect(res.payload).toBe('success')
    await expect.poll(() => sentTexts().join('\n'), { timeout: 10_000 }).toContain('您的订单 2026111812345 已发货')
    expect(wechat.sent[0]).toMatchObject({ touser: OPENID, msgtype: 'text' })

    await t.app.services.conversations.drain()
    const contact = await t.app.services.contacts.findByIdentity('wechat-openid', OPENID)
    expect(contact).not.toBeNull()
    const [conversation] = await t.app.services.conversations.list({ contactId: contact!.id, limit: 5 })
    expect(conversation).toMatchObject({ channel: 'wechat-oa', channelPlugin: 'channel-wechat-oa', status: 'bot' })
    const thread = await t.app.services.conversations.messages(conversation!.id, { limit: 50 })
    expect(thread.map((m) => [m.seq, m.direction])).toEqual(
      thread.map((_, i) => [i + 1, i === 0 ? 'inbound' : 'outbound']),
    )
    expect(thread.filter((m) => m.direction === 'outbound').every((m) => m.status === 'sent')).toBe(true)
  })

  it('a WeChat retry of the same message is stored and answered once', async () => {
    await t.app.services.conversations.drain()
    const before = wechat.sent.length
    const request = pushRequest(
      { token: TOKEN },
      pushXml({ FromUserName: OPENID, MsgType: 'text', Content: '没有了，谢谢', MsgId: 777n }),
    )
    const query = new URLSearchParams(request.query).toString()
    for (let i = 0; i < 3; i++) {
      const res = await t.app.server.inject({
        method: 'POST',
        url: `/hooks/channel-wechat-oa/callback?${query}`,
        headers: request.headers,
        payload: request.body,
      })
      expect(res.payload).toBe('success')
    }
    await t.app.services.conversations.drain()
    await expect.poll(() => wechat.sent.length, { timeout: 10_000 }).toBe(before + 1)
    expect(sentTexts().at(-1)).toContain('感谢您的咨询')
  })

  it('asking for a human queues the conversation, and the agent’s reply reaches WeChat', async () => {
    await say('转人工')
    await expect.poll(() => sentTexts().at(-1), { timeout: 10_000 }).toContain('正在为您转接人工客服')
    const contact = await t.app.services.contacts.findByIdentity('wechat-openid', OPENID)
    await expect
      .poll(async () => (await t.app.services.conversations.list({ contactId: contact!.id, limit: 5 }))[0]?.status, {
        timeout: 10_000,
      })
      .toBe('queued')
    const [conversation] = await t.app.services.conversations.list({ contactId: contact!.id, limit: 5 })
    const reply = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation!.id}/messages`,
      headers: bearer(agent),
      payload: { text: '您好，我是客服小李，马上为您核实物流。' },
    })
    expect(reply.statusCode, reply.payload).toBe(201)
    await expect.poll(() => sentTexts().at(-1), { timeout: 10_000 }).toBe('您好，我是客服小李，马上为您核实物流。')
    const note = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation!.id}/messages`,
      headers: bearer(agent),
      payload: { text: '客户是 VIP，优先处理', internal: true },
    })
    expect(JSON.parse(note.payload)).toMatchObject({ direction: 'internal', kind: 'note' })
    expect(sentTexts().at(-1)).not.toContain('VIP')

    const resolved = await t.app.server.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${conversation!.id}`,
      headers: bearer(agent),
      payload: { status: 'resolved' },
    })
    expect(JSON.parse(resolved.payload)).toMatchObject({ status: 'resolved' })
  })
})
