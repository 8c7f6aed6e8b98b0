import { readFileSync } from 'node:fs'
import type { InboundMessage } from '@switchboard/plugin-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../test/support/test-app.js'
import { systemActor } from '../audit/index.js'

const actor = systemActor('test')
const orderBot = JSON.parse(readFileSync(new URL('../../../examples/flows/order-status.json', import.meta.url), 'utf8'))

/** The language a channel reports for its customer reaches the contact, and the bot answers in it. */
describe('conversations: the sender’s language', () => {
  let t: TestApp
  let n = 0
  const receive = (visitor: string, text: string, language?: string) =>
    t.app.services.conversations.receive({
      channelPlugin: null,
      channel: 'webchat',
      identityKind: 'web-visitor',
      message: {
        channelMessageId: `${visitor}:m${++n}`,
        from: { id: visitor, kind: 'web-visitor', ...(language ? { language } : {}) },
        kind: 'text',
        text,
        receivedAt: new Date().toISOString(),
      } satisfies InboundMessage,
    })
  const contactOf = async (visitor: string) => (await t.app.services.contacts.findByIdentity('web-visitor', visitor))!
  const botSaid = async (conversationId: string) =>
    (await t.app.services.conversations.messages(conversationId, { limit: 20 }))
      .filter((m) => m.direction === 'outbound')
      .map((m) => m.body)

  beforeAll(async () => {
    t = await createTestApp()
    const flow = await t.app.services.flows.importFile(actor, orderBot, { publish: true })
    await t.app.services.flowTriggers.create(actor, flow.id, { kind: 'channel-entry', config: { channel: 'webchat' } })
  }, 60_000)
  afterAll(() => t?.close())

  it('a new visitor’s contact takes the language their widget shows, and the order bot answers in it', async () => {
    const { conversationId } = await receive('visitor-english-0001', 'Where is my parcel?', 'en')
    await t.app.services.conversations.drain()
    expect((await contactOf('visitor-english-0001')).language).toBe('en')
    expect(await botSaid(conversationId)).toEqual([expect.stringMatching(/^Please give your order number/)])

    const chinese = await receive('visitor-chinese-0001', '我的快递到哪了', 'zh-CN')
    await t.app.services.conversations.drain()
    expect(await botSaid(chinese.conversationId)).toEqual([expect.stringMatching(/^请提供您的订单号/)])
  })

  it('the latest language a channel reports wins; a message that says none changes nothing', async () => {
    await receive('visitor-switches-01', '你好', 'zh-CN')
    expect((await contactOf('visitor-switches-01')).language).toBe('zh-CN')
    await receive('visitor-switches-01', 'hello', 'en')
    expect((await contactOf('visitor-switches-01')).language).toBe('en')
    await receive('visitor-switches-01', 'still there?')
    expect((await contactOf('visitor-switches-01')).language).toBe('en')
    await t.app.services.conversations.drain()
  })

  it('a contact whose language was set keeps it while their channel says nothing (WeChat, phone)', async () => {
    const contact = await t.app.services.contacts.create({
      name: 'Tom',
      language: 'en',
      identities: [{ channel: 'web-visitor', address: 'visitor-known-00001' }],
    })
    await receive('visitor-known-00001', 'where is my parcel')
    await t.app.services.conversations.drain()
    expect((await t.app.services.contacts.get(contact.id)).language).toBe('en')
  })
})
