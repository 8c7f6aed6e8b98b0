import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { systemActor } from '../../core/src/audit/index.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const root = join(import.meta.dirname, '../..')
const actor = systemActor('test')
const SECRET = 'shop-signing-secret-0123456789'

type Frame = Record<string, unknown> & { type: string }

/** A widget-like client: collects frames, waits for one matching a test. */
async function open(url: string, origin?: string) {
  const frames: Frame[] = []
  const ws = new WebSocket(url, origin ? { origin } : {})
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
  const waitFor = async (test: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> => {
    for (let waited = 0; waited < timeoutMs; waited += 20) {
      const found = frames.find(test)
      if (found) return found
      await new Promise((r) => setTimeout(r, 20))
    }
    throw new Error(`no such frame in ${JSON.stringify(frames)}`)
  }
  return { ws, frames, waitFor, send: (f: unknown) => ws.send(JSON.stringify(f)), close: () => ws.close() }
}

/** The host's WebSocket transport for plugins, spoken to directly: the protocol the widget relies on. */
describe('plugin sockets: the web chat protocol', () => {
  let t: TestApp
  let base: string
  let remove: () => void
  const url = (visitor: string, extra = '') =>
    `${base.replace('http', 'ws')}/hooks/channel-webchat/ws/chat?visitor=${visitor}${extra}`

  beforeAll(async () => {
    t = await createTestApp({ PORT: '0', HOST: '127.0.0.1' })
    await t.app.services.plugins.start()
    const built = await builtPluginCopy(join(root, 'plugins', 'channel-webchat'))
    remove = built.remove
    await t.app.services.plugins.install({ dir: built.dir }, { actor })
    await t.app.services.plugins.configure(
      'channel-webchat',
      { config: { allowedOrigins: ['https://shop.example.com'] }, secrets: { identitySecret: SECRET } },
      actor,
    )
    await t.app.server.start()
    base = t.app.server.info.uri
  }, 120_000)

  afterAll(async () => {
    await t?.close()
    remove?.()
  })

  it('refuses unknown sockets, bad visitor ids, foreign origins and forged identities', async () => {
    await expect(
      open(`${base.replace('http', 'ws')}/hooks/channel-webchat/ws/other?visitor=v_0123456789abcdef`),
    ).rejects.toThrow('404')
    await expect(open(url('short'))).rejects.toThrow('400')
    await expect(open(url('v_0123456789abcdef'), 'https://evil.example.net')).rejects.toThrow('403')
    await expect(open(url('v_0123456789abcdef', '&uid=42&usig=00'))).rejects.toThrow('403')
    const signature = createHmac('sha256', SECRET).update('42').digest('hex')
    const verified = await open(
      url('v_0123456789abcdef', `&uid=42&uname=Li&usig=${signature}`),
      'https://shop.example.com',
    )
    expect(await verified.waitFor((f) => f.type === 'welcome')).toMatchObject({ visitorId: 'user:42' })
    verified.close()
  })

  it('stores a message once per widget id across resends and sockets, and pushes it with its seq', async () => {
    const visitor = 'v_resend_0123456789'
    const a = await open(url(visitor))
    const b = await open(url(visitor))
    await a.waitFor((f) => f.type === 'welcome')
    a.send({ type: 'message', id: 'msg_00000001', text: '你好' })
    await a.waitFor((f) => f.type === 'ack' && f.id === 'msg_00000001')
    b.send({ type: 'message', id: 'msg_00000001', text: '你好' })
    await b.waitFor((f) => f.type === 'ack')
    const pushed = await b.waitFor((f) => f.type === 'message')
    expect(pushed).toMatchObject({
      seq: 1,
      direction: 'inbound',
      by: 'visitor',
      text: '你好',
      ref: `${visitor}:msg_00000001`,
    })
    const contact = await t.app.services.contacts.findByIdentity('web-visitor', visitor)
    const [conversation] = await t.app.services.conversations.list({ contactId: contact!.id, limit: 5 })
    expect(await t.app.services.conversations.messages(conversation!.id, { limit: 10 })).toHaveLength(1)
    a.close()
    b.close()
  })

  it('resumes after a seq with exactly what was missed, and marks acked replies delivered', async () => {
    const visitor = 'v_resume_0123456789'
    const first = await open(url(visitor))
    first.send({ type: 'message', id: 'msg_00000010', text: 'one' })
    await first.waitFor((f) => f.type === 'message' && f.seq === 1)
    first.close()
    const contact = await t.app.services.contacts.findByIdentity('web-visitor', visitor)
    const [conversation] = await t.app.services.conversations.list({ contactId: contact!.id, limit: 5 })
    const agent = (await t.tokenFor('agent')).token
    for (const text of ['two', 'three'])
      await t.app.server.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversation!.id}/messages`,
        headers: bearer(agent),
        payload: { text },
      })
    await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation!.id}/messages`,
      headers: bearer(agent),
      payload: { text: 'internal note', internal: true },
    })
    const again = await open(url(visitor))
    again.send({ type: 'resume', afterSeq: 1 })
    const synced = await again.waitFor((f) => f.type === 'synced')
    const replayed = again.frames.filter((f) => f.type === 'message')
    expect(replayed.map((f) => [f.seq, f.text, f.by])).toEqual([
      [2, 'two', 'agent'],
      [3, 'three', 'agent'],
    ])
    expect(synced).toMatchObject({ conversationId: conversation!.id, lastSeq: 4, status: 'bot' })
    again.send({ type: 'ack', seq: 3 })
    await expect
      .poll(async () =>
        (await t.app.services.conversations.messages(conversation!.id, { limit: 10 })).map((m) => m.status),
      )
      .toEqual(['received', 'delivered', 'delivered', 'received'])
    again.close()
  })

  it('answers a bad frame with an error and refuses to rate an open conversation', async () => {
    const c = await open(url('v_badframe_0123456789'))
    c.send({ type: 'message', id: 'x', text: 'id too short' })
    expect(await c.waitFor((f) => f.type === 'error')).toMatchObject({ type: 'error' })
    c.ws.send('not json')
    await c.waitFor((f) => f.type === 'error' && f.reason === 'a frame is one JSON object')
    c.send({ type: 'rate', stars: 5 })
    await c.waitFor((f) => f.type === 'error' && String(f.reason).includes('resolved'))
    c.close()
  })

  it('takes attachments of the allowed types and sizes and serves them back inert', async () => {
    const post = (type: string, body: Buffer, visitor = 'v_upload_0123456789') =>
      fetch(`${base}/hooks/channel-webchat/upload/chat?visitor=${visitor}`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: new Uint8Array(body),
      })
    expect((await post('text/html', Buffer.from('<script>'))).status).toBe(415)
    expect((await post('image/png', Buffer.alloc(6 * 1024 * 1024))).status).toBe(413)
    expect((await post('image/png', Buffer.from('x'), 'bad')).status).toBe(400)
    const ok = await post('application/pdf', Buffer.from('%PDF-1.4'))
    expect(ok.status).toBe(201)
    const { url: fileUrl } = (await ok.json()) as { url: string }
    expect(fileUrl).toMatch(/^\/hooks\/channel-webchat\/upload\/chat\/[\w-]{22}\.pdf$/)
    const file = await fetch(`${base}${fileUrl}`)
    expect(file.headers.get('content-type')).toBe('application/pdf')
    expect(file.headers.get('content-security-policy')).toContain('sandbox')
    expect(file.headers.get('content-disposition')).toContain('attachment')
    expect((await fetch(`${base}/hooks/channel-webchat/upload/chat/../../secrets.json`)).status).toBe(404)
  })

  it('answers a visitor in the language their widget shows: the demo order bot in English or Chinese', async () => {
    await expect(open(url('v_badlang_0123456789', '&lang=en_US'))).rejects.toThrow('400')
    const flow = await t.app.services.flows.importFile(
      actor,
      JSON.parse(readFileSync(join(root, 'examples', 'flows', 'order-status.json'), 'utf8')),
      { publish: true },
    )
    const trigger = await t.app.services.flowTriggers.create(actor, flow.id, {
      kind: 'channel-entry',
      config: { channel: 'webchat' },
    })
    try {
      const english = await open(url('v_english_0123456789', '&lang=en'))
      english.send({ type: 'message', id: 'msg_en_00001', text: 'Where is my parcel?' })
      const reply = await english.waitFor((f) => f.type === 'message' && f.by === 'bot')
      expect(reply.text).toMatch(/^Please give your order number/)
      const contact = await t.app.services.contacts.findByIdentity('web-visitor', 'v_english_0123456789')
      expect(contact?.language).toBe('en')
      english.close()

      const chinese = await open(url('v_chinese_0123456789', '&lang=zh-cn'))
      chinese.send({ type: 'message', id: 'msg_zh_00001', text: '我的快递到哪了' })
      expect((await chinese.waitFor((f) => f.type === 'message' && f.by === 'bot')).text).toMatch(/^请提供您的订单号/)
      chinese.close()
    } finally {
      await t.app.services.flowTriggers.remove(actor, flow.id, trigger.id)
    }
  })

  it("records the run's intent variable on the conversation (reports and recurring issues read it)", async () => {
    const flow = await t.app.services.flows.importFile(
      actor,
      {
        name: 'Refund triage',
        kind: 'bot',
        document: {
          schemaVersion: 1,
          variables: {},
          nodes: [
            { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
            {
              id: 'tag',
              type: 'set-variables',
              config: { assignments: [{ name: 'intent', value: '"refund"' }] },
              position: { x: 0, y: 100 },
            },
            { id: 'say', type: 'send-message', config: { text: 'Refunds take 3 days.' }, position: { x: 0, y: 200 } },
          ],
          edges: [
            { from: 'start', port: 'next', to: 'tag' },
            { from: 'tag', port: 'next', to: 'say' },
          ],
        },
      } as never,
      { publish: true },
    )
    const trigger = await t.app.services.flowTriggers.create(actor, flow.id, {
      kind: 'channel-entry',
      config: { channel: 'webchat' },
    })
    try {
      const visitor = await open(url('v_refund_0123456789', '&lang=en'))
      visitor.send({ type: 'message', id: 'msg_refund_0001', text: 'I want my money back' })
      expect((await visitor.waitFor((f) => f.type === 'message' && f.by === 'bot')).text).toBe('Refunds take 3 days.')
      visitor.close()
      const contact = await t.app.services.contacts.findByIdentity('web-visitor', 'v_refund_0123456789')
      const conversation = await t.app.db.conversation.findFirstOrThrow({ where: { contactId: contact!.id } })
      expect(conversation.intent).toBe('refund')
    } finally {
      await t.app.services.flowTriggers.remove(actor, flow.id, trigger.id)
    }
  })

  it('serves the widget script and the demo page', async () => {
    const widget = await fetch(`${base}/widget.js`)
    expect(widget.status).toBe(200)
    expect(widget.headers.get('content-type')).toContain('javascript')
    expect((await widget.text()).length).toBeLessThan(40_000)
    expect(await (await fetch(`${base}/demo/chat`)).text()).toContain('data-channel="channel-webchat"')
  })
})
