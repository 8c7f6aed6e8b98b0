import { createHmac } from 'node:crypto'
import { checkManifest, toManifest } from '@switchboard/plugin-sdk'
import { createTestHarness } from '@switchboard/plugin-sdk/testing'
import { describe, expect, it } from 'vitest'
import definition from '../plugin.definition.js'
import handlers from '../src/index.js'

const SECRET = 'shop-signing-secret-0123456789'
const VISITOR = 'v_0123456789abcdefXYZ'
const plugin = (config: Record<string, unknown> = {}, secrets: Record<string, unknown> = { identitySecret: SECRET }) =>
  createTestHarness({ definition, handlers, config, secrets })
const connect = (origin: string, identity?: { id: string; name?: string; signature: string }) => ({
  type: 'connect' as const,
  origin,
  host: 'chat.example.com',
  visitorId: VISITOR,
  identity,
})
const frame = (f: Record<string, unknown>) => ({ type: 'frame' as const, visitorId: VISITOR, frame: f })

describe('channel-webchat', () => {
  it('has a valid manifest with one socket and the webchat channel', () => {
    const checked = checkManifest(toManifest(definition))
    expect(checked.ok).toBe(true)
    expect(definition.permissions.sockets).toEqual([{ name: 'chat' }])
  })

  it('accepts the host’s own pages and the allowed origins, refuses others', async () => {
    const p = plugin({ allowedOrigins: ['https://shop.example.com'] })
    await expect(p.socket('chat', connect('https://chat.example.com'))).resolves.toMatchObject({ accept: true })
    await expect(p.socket('chat', connect('https://shop.example.com'))).resolves.toMatchObject({
      accept: true,
      settings: { color: '#0f766e' },
    })
    await expect(p.socket('chat', connect('https://evil.example.net'))).resolves.toMatchObject({ accept: false })
    await expect(plugin({ allowedOrigins: ['*'] }).socket('chat', connect('https://any.site'))).resolves.toMatchObject({
      accept: true,
    })
  })

  it('turns a correctly signed identity into a verified visitor and refuses a forged one', async () => {
    const signature = createHmac('sha256', SECRET).update('42').digest('hex')
    const p = plugin()
    await expect(p.socket('chat', connect('', { id: '42', name: 'Li Lei', signature }))).resolves.toMatchObject({
      accept: true,
      visitorId: 'user:42',
      name: 'Li Lei',
    })
    await expect(p.socket('chat', connect('', { id: '43', signature }))).resolves.toMatchObject({ accept: false })
    await expect(plugin({}, {}).socket('chat', connect('', { id: '42', signature }))).resolves.toMatchObject({
      accept: false,
    })
  })

  it('hands a text message to the host once per widget message id', async () => {
    const p = plugin()
    await expect(p.socket('chat', frame({ id: 'm_00000001', text: ' 我的订单到哪了 ' }))).resolves.toEqual({})
    expect(p.received).toHaveLength(1)
    expect(p.received[0]).toMatchObject({
      channel: 'webchat',
      message: {
        channelMessageId: `${VISITOR}:m_00000001`,
        from: { id: VISITOR, kind: 'web-visitor' },
        kind: 'text',
        text: '我的订单到哪了',
      },
    })
  })

  it('says the visitor reads the language their widget shows', async () => {
    const p = plugin()
    await p.socket('chat', { ...frame({ id: 'm_00000010', text: 'Where is my parcel?' }), language: 'en' })
    expect(p.received.at(-1)?.message.from).toEqual({ id: VISITOR, kind: 'web-visitor', language: 'en' })
  })

  it('takes attachments only from the host’s upload route, and the offline form as one message', async () => {
    const p = plugin()
    const url = '/hooks/channel-webchat/upload/chat/AAAAAAAAAAAAAAAAAAAAAA.png'
    await p.socket('chat', frame({ id: 'm_00000002', media: { url, mimeType: 'image/png', name: 'receipt.png' } }))
    expect(p.received.at(-1)?.message).toMatchObject({ kind: 'image', media: { url, mimeType: 'image/png' } })
    await expect(
      p.socket(
        'chat',
        frame({ id: 'm_00000003', media: { url: 'https://evil.example/x.png', mimeType: 'image/png' } }),
      ),
    ).resolves.toMatchObject({ reason: expect.stringContaining('uploaded') })
    await p.socket(
      'chat',
      frame({ id: 'm_00000004', form: { name: '张三', contact: '13800000000', question: '退货' } }),
    )
    expect(p.received.at(-1)?.message.text).toBe(
      '[离线留言 Offline form]\n姓名 Name: 张三\n联系方式 Contact: 13800000000\n问题 Question: 退货',
    )
    await expect(p.socket('chat', frame({ id: 'm_00000005', text: '   ' }))).resolves.toMatchObject({
      reason: 'the message is empty',
    })
  })

  it('send acknowledges: the host pushes replies to the widget itself', async () => {
    await expect(
      plugin().send({
        channel: 'webchat',
        message: { to: { id: VISITOR, kind: 'web-visitor' }, kind: 'text', text: 'hi' },
      }),
    ).resolves.toEqual({ channelMessageId: null })
  })
})
