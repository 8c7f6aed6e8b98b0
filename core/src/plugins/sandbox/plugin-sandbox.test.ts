import { createHash, createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture, recordingCapabilities, startServer, testLimits } from './__tests__/sandbox-test-support.js'
import { createPluginSandbox, sandboxEngineInfo, type PluginSandbox, type SandboxResult } from './index.js'

const code = fixture('normal-plugin.js')
let upstream: Awaited<ReturnType<typeof startServer>>
let sandbox: PluginSandbox
let recorded: ReturnType<typeof recordingCapabilities>
let config: Record<string, unknown>
const secrets = { token: 's3cret' }

function action(name: string, input: unknown = {}, onProgress?: (partial: string) => void): Promise<SandboxResult> {
  return sandbox.invoke({ call: { kind: 'action', name, input }, config, secrets, onProgress })
}

function value(result: SandboxResult): unknown {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

beforeAll(async () => {
  upstream = await startServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x')
    if (url.pathname === '/json') {
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ method: request.method, header: request.headers['x-test'] ?? null }))
    } else if (url.pathname === '/echo') {
      let body = ''
      request.on('data', (d: Buffer) => (body += d))
      request.on('end', () =>
        response.end(JSON.stringify({ got: JSON.parse(body), type: request.headers['content-type'] })),
      )
    } else if (url.pathname === '/sse') {
      // deltas arrive 30 ms apart: the plugin must see each as it comes, not the whole body at the end
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      const words = ['Hello', ' there', ', how', ' can', ' I help?']
      let i = 0
      const timer = setInterval(() => {
        if (i < words.length) response.write(`data: ${JSON.stringify({ delta: words[i++] })}\n\n`)
        else {
          response.end('data: [DONE]\n\n')
          clearInterval(timer)
        }
      }, 30)
    } else if (url.pathname === '/sleep') {
      setTimeout(() => response.end('slept'), Number(url.searchParams.get('ms') ?? 0))
    } else {
      response.statusCode = 404
      response.end('{}')
    }
  })
  config = { greeting: 'Hello', baseUrl: upstream.origin }
  recorded = recordingCapabilities()
  sandbox = await createPluginSandbox({
    name: 'normal',
    version: '1.2.3',
    code,
    hosts: ['config:baseUrl'],
    limits: testLimits,
    capabilities: recorded.capabilities,
  })
})

afterAll(async () => {
  await sandbox?.dispose()
  await upstream?.close()
})

describe('the sandbox engine', () => {
  it('reports which isolated-vm build loaded', () => {
    const info = sandboxEngineInfo()
    expect(info.loaded).not.toBeNull()
    expect(info.tried.at(-1)).toEqual({ name: info.loaded, error: null })
  })
})

describe('calls into a normal plugin', () => {
  it('runs an action with the config and the plugin identity in ctx', async () => {
    expect(value(await action('greet', { name: 'Ada' }))).toEqual({
      text: 'Hello, Ada',
      plugin: { name: 'normal', version: '1.2.3' },
    })
  })

  it('copies input and output as plain data', async () => {
    const input = { a: [1, 2, { b: 'c' }], n: null, t: true, s: '中文' }
    expect(value(await action('echo', input))).toEqual(input)
    expect(value(await action('nothing'))).toBeUndefined()
    expect(value(await action('date'))).toEqual({ at: '2026-01-02T03:04:05.000Z' })
  })

  it('hands the secrets of the call to the plugin', async () => {
    expect(value(await action('secret'))).toEqual({ token: 's3cret' })
  })

  it('keeps the isolate warm between calls (module state survives)', async () => {
    const first = value(await action('count')) as number
    expect(value(await action('count'))).toBe(first + 1)
  })

  it('runs a node, a webhook, a socket, send, an event and the health check', async () => {
    const node = await sandbox.invoke({
      call: { kind: 'node', name: 'route', input: { config: {}, vars: { tier: 'vip' }, channel: 'text' } },
      config,
      secrets,
    })
    expect(value(node)).toEqual({ port: 'vip', vars: { routedBy: 'normal' }, messages: [{ text: 'Right this way' }] })

    const body = JSON.stringify({ id: 'm-1', from: 'visitor-9', text: 'where is my order?' })
    const request = {
      method: 'POST',
      path: '/',
      query: {},
      headers: { 'x-signature': createHmac('sha256', 's3cret').update(body).digest('hex') },
      body,
    }
    const hook = () => sandbox.invoke({ call: { kind: 'webhook', name: 'inbound', request }, config, secrets })
    expect(value(await hook())).toEqual({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'stored' })
    expect(value(await hook())).toMatchObject({ body: 'duplicate' })
    expect(recorded.received[0]).toMatchObject({
      channel: 'main',
      message: { channelMessageId: 'm-1', text: 'where is my order?' },
    })

    const sent = await sandbox.invoke({
      call: {
        kind: 'send',
        input: { channel: 'main', message: { to: { id: 'v9', kind: 'web-visitor' }, kind: 'text', text: 'hi' } },
      },
      config,
      secrets,
    })
    expect(value(sent)).toEqual({ channelMessageId: 'sent-v9-2' })

    const socket = (event: unknown) =>
      sandbox.invoke({ call: { kind: 'socket', name: 'chat', event }, config, secrets })
    expect(
      value(await socket({ type: 'connect', origin: 'https://shop.example', host: 'h', visitorId: 'v9' })),
    ).toEqual({
      accept: true,
      settings: { title: 'Hi' },
    })
    expect(
      value(await socket({ type: 'connect', origin: 'https://evil.example', host: 'h', visitorId: 'v9' })),
    ).toMatchObject({
      accept: false,
    })
    expect(value(await socket({ type: 'frame', visitorId: 'v9', frame: { id: 'f1', text: 'hello' } }))).toEqual({})
    expect(recorded.received.at(-1)).toMatchObject({
      channel: 'main',
      message: { channelMessageId: 'v9:f1', text: 'hello' },
    })
    const missing = await sandbox.invoke({ call: { kind: 'socket', name: 'other', event: {} }, config, secrets })
    expect(missing.ok).toBe(false)

    const event = await sandbox.invoke({
      call: { kind: 'event', topic: 'order.updated', data: { id: 7 } },
      config,
      secrets,
    })
    expect(value(event)).toBeUndefined()
    expect(recorded.emitted).toContainEqual({ topic: 'order.seen', data: { id: 7 } })

    expect(value(await sandbox.invoke({ call: { kind: 'healthCheck' }, config, secrets }))).toEqual({
      ok: true,
      message: 'configured',
    })
  })

  it('reaches kv and cache through the capabilities', async () => {
    expect(value(await action('storage', { key: 'k1', value: { n: 1 } }))).toEqual({
      read: { n: 1 },
      keys: ['k1'],
      afterDelete: undefined,
      cached: { cached: { n: 1 } },
    })
    expect(recorded.cache.get('c:k1')).toEqual({ cached: { n: 1 } })
  })

  it('hashes on the host with node:crypto', async () => {
    const out = value(await action('hashes', { text: 'abc' })) as Record<string, string>
    expect(out).toMatchObject({
      sha1: createHash('sha1').update('abc').digest('hex'),
      sha256: createHash('sha256').update('abc').digest('hex'),
      md5: createHash('md5').update('abc').digest('hex'),
      hmacHex: createHmac('sha256', 'key').update('abc').digest('hex'),
      hmacBase64: createHmac('sha256', 'key').update('abc').digest('base64'),
    })
    expect(out.id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('delivers logs to the capability and progress to the caller', async () => {
    const partials: string[] = []
    expect(value(await action('talk', { steps: 3 }, (p) => partials.push(p)))).toBe('talked')
    expect(partials).toEqual(['step 1', 'step 2', 'step 3'])
    expect(recorded.logs).toContainEqual({ level: 'info', message: 'starting', fields: { steps: 3 } })
    expect(recorded.logs).toContainEqual({ level: 'warn', message: 'done' })
  })

  it('fetches from a host given by config:<field>', async () => {
    expect(value(await action('getJson', { path: '/json' }))).toEqual({
      status: 200,
      ok: true,
      type: 'application/json',
      body: { method: 'GET', header: 'yes' },
    })
    expect(value(await action('post', { path: '/echo', body: { x: 1 } }))).toEqual({
      got: { x: 1 },
      type: 'application/json',
    })
  })

  it('streams a response body chunk by chunk as it arrives (server-sent events)', async () => {
    const partials: Array<{ text: string; at: number }> = []
    const started = Date.now()
    const result = value(
      await action('stream', { path: '/sse' }, (text) => partials.push({ text, at: Date.now() - started })),
    ) as {
      text: string
      pieces: number
    }
    expect(result.text).toBe('Hello there, how can I help?')
    expect(result.pieces).toBeGreaterThanOrEqual(5)
    expect(partials.map((p) => p.text)).toEqual([
      'Hello',
      'Hello there',
      'Hello there, how',
      'Hello there, how can',
      'Hello there, how can I help?',
    ])
    // the first delta reached the caller well before the stream ended (~150 ms later)
    expect(partials.at(-1)!.at - partials[0]!.at).toBeGreaterThanOrEqual(80)
  })

  it('stops reading a stream when the plugin stops iterating', async () => {
    expect(value(await action('streamThenStop', { path: '/sse' }))).toEqual({ first: true })
  })

  it('keeps a plugin error code and its retryable flag', async () => {
    expect(await action('coded')).toEqual({
      ok: false,
      error: { code: 'SB_ERR_ORDER_NOT_FOUND', message: 'No order 42', retryable: false, details: { order: 42 } },
    })
  })

  it('reports an undeclared host as SB_ERR_PLUGIN_HOST_NOT_ALLOWED', async () => {
    const result = await action('fetchNotAllowed', { url: 'http://localhost:1/x' })
    expect(result).toMatchObject({ ok: false, error: { code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED', retryable: false } })
  })

  it('lets a body be read once', async () => {
    const result = await action('readTwice', { path: '/json' })
    expect(result).toMatchObject({ ok: false, error: { code: 'SB_ERR_PLUGIN_THREW' } })
    expect(!result.ok && result.error.message).toMatch(/already read/)
  })

  it('answers unknown handlers with SB_ERR_PLUGIN_ACTION_NOT_FOUND without entering the isolate', async () => {
    expect(await action('nope')).toMatchObject({ ok: false, error: { code: 'SB_ERR_PLUGIN_ACTION_NOT_FOUND' } })
    expect(await action('toString')).toMatchObject({ ok: false, error: { code: 'SB_ERR_PLUGIN_ACTION_NOT_FOUND' } })
    const hook = await sandbox.invoke({ call: { kind: 'webhook', name: 'none', request: {} }, config, secrets })
    expect(hook).toMatchObject({ ok: false, error: { code: 'SB_ERR_PLUGIN_ACTION_NOT_FOUND' } })
  })

  it('refuses input that is not JSON', async () => {
    expect(await action('echo', { big: 10n })).toMatchObject({
      ok: false,
      error: { code: 'SB_ERR_PLUGIN_INVALID_INPUT' },
    })
  })

  it('runs many calls at once on one isolate', async () => {
    const before = sandbox.stats().restarts
    const started = Date.now()
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => action('slow', { ms: 100 + (i % 5) })))
    expect(results.every((r) => r.ok)).toBe(true)
    // they waited side by side, not one after the other (50 × 100 ms)
    expect(Date.now() - started).toBeLessThan(2000)
    const echoes = await Promise.all(Array.from({ length: 200 }, (_, i) => action('echo', { i })))
    expect(echoes.map((r) => value(r))).toEqual(Array.from({ length: 200 }, (_, i) => ({ i })))
    expect(sandbox.stats().restarts).toBe(before)
  })

  it('counts calls, failures and resources', () => {
    const stats = sandbox.stats()
    expect(stats.calls).toBeGreaterThan(20)
    expect(stats.failures).toBeGreaterThan(0)
    expect(stats.cpuTimeMs).toBeGreaterThan(0)
    expect(stats.heapUsedBytes).toBeGreaterThan(0)
    expect(stats.inFlight).toBe(0)
  })
})

describe('loading a bundle', () => {
  const options = (code: string) => ({
    name: 'broken',
    version: '0.0.1',
    code,
    hosts: [],
    limits: testLimits,
    capabilities: recordingCapabilities().capabilities,
  })

  it('fails with a coded error when the bundle does not compile, throws, loops or defines no handlers', async () => {
    await expect(createPluginSandbox(options('var __switchboardPlugin = ('))).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_THREW',
      details: { phase: 'load' },
    })
    await expect(createPluginSandbox(options('throw new Error("top-level")'))).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_THREW',
      message: expect.stringContaining('top-level'),
    })
    await expect(createPluginSandbox(options('for (;;) {}'))).rejects.toMatchObject({ code: 'SB_ERR_PLUGIN_TIMEOUT' })
    await expect(createPluginSandbox(options('var x = 1'))).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_THREW',
      message: expect.stringContaining('__switchboardPlugin'),
    })
    await expect(
      createPluginSandbox(options('var __switchboardPlugin = { default: { actions: { a: 1 } } }')),
    ).rejects.toMatchObject({ message: expect.stringContaining('actions.a is not a function') })
  })

  it('fails the calls still running when it is disposed, and refuses later ones', async () => {
    const s = await createPluginSandbox(
      options('var __switchboardPlugin = { default: { actions: { wait: () => new Promise(() => {}) } } }'),
    )
    const running = s.invoke({ call: { kind: 'action', name: 'wait', input: {} }, config: {}, secrets: {} })
    await new Promise((resolve) => setTimeout(resolve, 20))
    await s.dispose()
    expect(await running).toMatchObject({ ok: false, error: { code: 'SB_ERR_PLUGIN_UNAVAILABLE', retryable: true } })
  })

  it('answers the health check itself when the plugin has none', async () => {
    const s = await createPluginSandbox(options('var __switchboardPlugin = { default: { actions: {} } }'))
    expect(await s.invoke({ call: { kind: 'healthCheck' }, config: {}, secrets: {} })).toEqual({
      ok: true,
      value: { ok: true, message: 'the plugin has no health check' },
    })
    await s.dispose()
    expect(await s.invoke({ call: { kind: 'healthCheck' }, config: {}, secrets: {} })).toMatchObject({
      ok: false,
      error: { code: 'SB_ERR_PLUGIN_UNAVAILABLE' },
    })
  })
})
