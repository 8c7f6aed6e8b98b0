import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTestHarness } from '@switchboard/plugin-sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import definition from '../plugin.definition.js'
import handlers from '../src/index.js'

interface ChatRequest {
  model: string
  messages: Array<{ role: string; content: string }>
}

/** A local stand-in for an OpenAI-compatible API: it echoes the last message back. */
const requests: Array<{ authorization?: string; body: ChatRequest }> = []
let server: Server
let baseUrl: string
let failNext = false

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end()
        return
      }
      if (failNext) {
        failNext = false
        res.writeHead(503).end()
        return
      }
      const request = JSON.parse(body) as ChatRequest
      requests.push({ authorization: req.headers.authorization, body: request })
      const last = request.messages.at(-1)?.content ?? ''
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          model: request.model,
          choices: [{ index: 0, message: { role: 'assistant', content: `echo: ${last}` }, finish_reason: 'stop' }],
        }),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const plugin = () =>
  createTestHarness({ definition, handlers, config: { baseUrl, model: 'test-model' }, secrets: { apiKey: 'sk-test' } })

describe('{{NAME}}', () => {
  it('completes a chat through the model API', async () => {
    const reply = await plugin().callAction('complete', { messages: [{ role: 'user', content: 'Hello' }] })
    expect(reply).toEqual({ text: 'echo: Hello', model: 'test-model' })
    expect(requests.at(-1)).toMatchObject({
      authorization: 'Bearer sk-test',
      body: { model: 'test-model', messages: [{ role: 'user', content: 'Hello' }] },
    })
  })

  it('generates a reply in a flow, saves it and sends it', async () => {
    const out = await plugin().runNode('generateReply', {
      config: { instructions: 'Answer briefly.' },
      text: 'Where is my parcel?',
    })
    expect(out).toEqual({
      port: 'next',
      vars: { reply: 'echo: Where is my parcel?' },
      messages: [{ text: 'echo: Where is my parcel?' }],
    })
  })

  it('follows the failed port when the model API is down', async () => {
    failNext = true
    const out = await plugin().runNode('generateReply', { config: { instructions: 'Answer briefly.' }, text: 'Hi' })
    expect(out.port).toBe('failed')
  })
})
