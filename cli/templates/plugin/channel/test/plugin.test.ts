import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTestHarness } from '@switchboard/plugin-sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import definition from '../plugin.definition.js'
import handlers from '../src/index.js'

const secrets = { apiToken: 'test-token', webhookSecret: 'a-webhook-secret-of-some-length' }
/** A local stand-in for the messaging API: it records what it was asked to deliver. */
const delivered: Array<{ authorization?: string; body: unknown }> = []
let server: Server
let apiBaseUrl: string

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/messages') {
        res.writeHead(404).end()
        return
      }
      delivered.push({ authorization: req.headers.authorization, body: JSON.parse(body) })
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `m-${delivered.length}` }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  apiBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const plugin = () => createTestHarness({ definition, handlers, config: { apiBaseUrl }, secrets })
const signed = (body: string) => ({
  method: 'POST' as const,
  body,
  headers: { 'x-signature': createHmac('sha256', secrets.webhookSecret).update(body).digest('hex') },
})

describe('{{NAME}}', () => {
  it('hands a signed inbound message to the host once, however often it is delivered', async () => {
    const harness = plugin()
    const body = JSON.stringify({
      id: 'msg-1',
      from: { id: 'u-7', name: 'Li Na' },
      text: '你好',
      sentAt: '2026-01-05T08:00:00Z',
    })
    expect(await harness.webhook('inbound', signed(body))).toMatchObject({ status: 200 })
    expect(await harness.webhook('inbound', signed(body))).toMatchObject({ status: 200 })
    expect(harness.received).toEqual([
      {
        channel: '{{NAME}}',
        message: {
          channelMessageId: 'msg-1',
          from: { id: 'u-7', kind: '{{IDENTITY_KIND}}', name: 'Li Na' },
          kind: 'text',
          text: '你好',
          receivedAt: '2026-01-05T08:00:00Z',
        },
      },
    ])
  })

  it('refuses a webhook call with a wrong signature', async () => {
    const harness = plugin()
    const response = await harness.webhook('inbound', { method: 'POST', body: '{}', headers: { 'x-signature': 'x' } })
    expect(response.status).toBe(401)
    expect(harness.received).toEqual([])
  })

  it('sends a reply through the messaging API', async () => {
    const result = await plugin().send({
      channel: '{{NAME}}',
      message: { to: { id: 'u-7', kind: '{{IDENTITY_KIND}}' }, kind: 'text', text: 'Your parcel left today' },
    })
    expect(result.channelMessageId).toMatch(/^m-\d+$/)
    expect(delivered.at(-1)).toEqual({
      authorization: 'Bearer test-token',
      body: { to: 'u-7', text: 'Your parcel left today' },
    })
  })
})
