import { readFileSync } from 'node:fs'
import type { InboundMessage } from '@switchboard/plugin-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../test/support/test-app.js'
import { systemActor } from '../audit/index.js'
import { BOT_TAKEOVER_JOB } from './conversations-service.js'

const actor = systemActor('test')
const orderBot = JSON.parse(readFileSync(new URL('../../../examples/flows/order-status.json', import.meta.url), 'utf8'))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The bot answers an inbound message right after it is stored and acknowledged, in the instance
 * that stored it. If that instance dies before the bot's turn is done, a durable job keyed by the
 * message answers it instead (found by the 3-instance routing test: such conversations stayed
 * with the bot for ever).
 */
describe('conversations: the bot’s turn survives the instance that stored the message', () => {
  let t: TestApp
  let n = 0
  const receive = (visitor: string, text: string) =>
    t.app.services.conversations.receive({
      channelPlugin: null,
      channel: 'webchat',
      identityKind: 'web-visitor',
      message: {
        channelMessageId: `${visitor}:m${++n}`,
        from: { id: visitor, kind: 'web-visitor', language: 'en' },
        kind: 'text',
        text,
        receivedAt: new Date().toISOString(),
      } satisfies InboundMessage,
    })
  const botSaid = async (conversationId: string) =>
    (await t.app.services.conversations.messages(conversationId, { limit: 20 })).filter(
      (m) => m.direction === 'outbound',
    )
  const pendingTakeovers = async () =>
    (await t.app.infra.scheduler.list({ type: BOT_TAKEOVER_JOB, limit: 50 })).filter((j) => j.status === 'pending')

  beforeAll(async () => {
    t = await createTestApp({}, { botTakeoverMs: 300 })
    const flow = await t.app.services.flows.importFile(actor, orderBot, { publish: true })
    await t.app.services.flowTriggers.create(actor, flow.id, { kind: 'channel-entry', config: { channel: 'webchat' } })
  }, 60_000)
  afterAll(() => t?.close())

  it('answers once in process, and leaves no takeover job behind', async () => {
    const { conversationId } = await receive('visitor-takeover-ok', 'Where is my parcel?')
    await t.app.services.conversations.drain()
    expect(await botSaid(conversationId)).toHaveLength(1)
    await sleep(600)
    expect(await botSaid(conversationId)).toHaveLength(1)
    expect(await pendingTakeovers()).toEqual([])
  })

  it('when the in-process turn is lost, the takeover job answers the message once', async () => {
    const triggers = t.app.services.flowTriggers
    const original = triggers.startForNewConversation
    let lost = 0
    // the instance "dies" between storing the message and the bot's turn: the turn never happens
    triggers.startForNewConversation = async (input) => {
      if (lost++ === 0) throw new Error('the instance died before the bot’s turn')
      return original.call(triggers, input)
    }
    try {
      const { conversationId } = await receive('visitor-takeover-lost', 'Where is my parcel?')
      await t.app.services.conversations.drain()
      expect(await botSaid(conversationId)).toHaveLength(0)
      for (let i = 0; i < 100 && (await botSaid(conversationId)).length === 0; i++) await sleep(100)
      const said = await botSaid(conversationId)
      expect(said).toHaveLength(1)
      expect(said[0]!.body).toMatch(/^Please give your order number/)
      await sleep(500)
      expect(await botSaid(conversationId)).toHaveLength(1)
      expect(lost).toBe(2)
    } finally {
      triggers.startForNewConversation = original
    }
  })
})
