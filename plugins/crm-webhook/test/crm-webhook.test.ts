import { createHmac } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { crmContacts, pluginError, toManifest } from '@switchboard/plugin-sdk'
import { createTestHarness } from '@switchboard/plugin-sdk/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import definition from '../plugin.definition.js'
import handlers from '../src/index.js'
import { startFakeCrm, type FakeCrm, type FakeCrmOptions } from './fake-crm.js'
import { verifySwitchboardSignature } from './verify-signature.js'

const SECRET = 'whsec_5f2b8c1e9a7d4e3f'
const contacts = [
  {
    externalId: 'c-88',
    phone: '+8613800138000',
    email: 'lina@example.com',
    name: '李娜',
    level: 'VIP2',
    tags: ['repeat-buyer'],
    attributes: { owner: '王芳', lifetimeValue: 12880.5 },
    url: 'https://crm.example.com/customers/c-88',
  },
]
let fake: FakeCrm

beforeEach(async () => {
  fake = await startFakeCrm({ secret: SECRET, contacts })
})
afterEach(async () => {
  await fake.close()
})

async function restartFake(options: FakeCrmOptions) {
  await fake.close()
  fake = await startFakeCrm(options)
}

function plugin(config: Record<string, unknown> = {}, secret = SECRET) {
  return createTestHarness({
    definition,
    handlers,
    config: { endpoint: fake.endpoint, ...config },
    secrets: { signingSecret: secret },
  })
}

const lina = {
  externalId: 'c-88',
  name: '李娜',
  level: 'VIP2',
  tags: ['repeat-buyer'],
  attributes: { owner: '王芳', lifetimeValue: 12880.5 },
  url: 'https://crm.example.com/customers/c-88',
}

describe('definition', () => {
  it('implements crm-contacts with the interface schemas and builds a valid manifest', () => {
    expect(definition.implements).toEqual(['crm-contacts'])
    expect(definition.actions!.lookupContact.input).toBe(crmContacts.methods.lookupContact.input)
    expect(definition.actions!.lookupContact.output).toBe(crmContacts.methods.lookupContact.output)
    expect(definition.permissions).toEqual({
      hosts: ['config:endpoint'],
      events: { receive: ['conversation.resolved'] },
    })
    expect(Object.keys(handlers.events!)).toEqual(definition.permissions.events!.receive)
    expect(() => plugin()).not.toThrow()
  })

  it('describes every config and secret field, and shows the panel from loadProfile', () => {
    const manifest = toManifest(definition)
    for (const schema of [manifest.config, manifest.secrets])
      for (const [field, property] of Object.entries((schema as { properties: Record<string, object> }).properties))
        expect(property, field).toHaveProperty('description')
    expect(manifest.panels.crmProfile).toMatchObject({ action: 'loadProfile', layout: 'key-value' })
  })

  it('refuses a short signing secret and an endpoint that is not http(s)', () => {
    expect(() => plugin({}, 'short')).toThrow(/16 characters/)
    expect(() => plugin({ endpoint: 'ftp://crm.example.com/hook' })).toThrow()
  })
})

describe('lookupContact', () => {
  it('POSTs a signed contact.lookup and returns the contact', async () => {
    const before = Math.floor(Date.now() / 1000)
    expect(await plugin().callAction('lookupContact', { phone: ' +8613800138000 ' })).toEqual(lina)
    const [request] = fake.requests
    expect(request!.verdict).toEqual({ ok: true })
    expect(request!.headers['content-type']).toBe('application/json')
    expect(request!.headers['x-switchboard-signature']).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(request!.body).toEqual({
      type: 'contact.lookup',
      query: { phone: '+8613800138000' },
      requestId: request!.headers['x-switchboard-request-id'],
      timestamp: Number(request!.headers['x-switchboard-timestamp']),
    })
    expect(request!.body!.timestamp).toBeGreaterThanOrEqual(before)
  })

  it('signs "<timestamp>.<body>" with HMAC-SHA256 of the shared secret, as the README says', async () => {
    await plugin().callAction('lookupContact', { email: 'lina@example.com' })
    const { headers, rawBody } = fake.requests[0]!
    const expected = createHmac('sha256', SECRET)
      .update(`${String(headers['x-switchboard-timestamp'])}.${rawBody}`)
      .digest('hex')
    expect(headers['x-switchboard-signature']).toBe(`sha256=${expected}`)
  })

  it('returns null for an unknown customer, whether the endpoint answers 200 { contact: null } or 404', async () => {
    expect(await plugin().callAction('lookupContact', { email: 'nobody@example.com' })).toBeNull()
    await restartFake({ secret: SECRET, contacts, notFoundAs404: true })
    expect(await plugin().callAction('lookupContact', { externalId: 'c-404' })).toBeNull()
    expect(await plugin().callAction('lookupContact', { externalId: 'c-88' })).toEqual(lina)
  })

  it('needs at least one identifier, and validates the input against the interface', async () => {
    const harness = plugin()
    await expect(harness.callAction('lookupContact', {})).rejects.toMatchObject({
      code: 'SB_ERR_CRM_QUERY_EMPTY',
      retryable: false,
    })
    await expect(harness.callAction('lookupContact', { phone: '  ' })).rejects.toMatchObject({
      code: 'SB_ERR_CRM_QUERY_EMPTY',
    })
    await expect(harness.callAction('lookupContact', { phone: '1'.repeat(33) })).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_INVALID_INPUT',
    })
    await expect(harness.callAction('lookupContact', { email: 42 })).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_INVALID_INPUT',
    })
    expect(fake.requests).toHaveLength(0)
  })
})

describe('responses checked against the protocol (test/data/contacts)', () => {
  const dir = join(import.meta.dirname, 'data', 'contacts')
  const read = (kind: string) =>
    readdirSync(join(dir, kind)).map((file) => ({
      file,
      fixture: JSON.parse(readFileSync(join(dir, kind, file), 'utf8')) as {
        levelField: string
        response: unknown
        expected?: unknown
        problems?: string[]
      },
    }))

  for (const { file, fixture } of read('good'))
    it(`good/${file}`, async () => {
      fake.script({ status: 200, body: fixture.response })
      const result = await plugin({ levelField: fixture.levelField }).callAction('lookupContact', { phone: '1' })
      expect(result).toEqual(fixture.expected)
    })

  for (const { file, fixture } of read('bad'))
    it(`bad/${file}`, async () => {
      fake.script({ status: 200, body: fixture.response })
      const error = await plugin({ levelField: fixture.levelField })
        .callAction('lookupContact', { phone: '1' })
        .then(
          () => undefined,
          (e: { code: string; retryable: boolean; details: { problems: Array<{ path: string }> } }) => e,
        )
      expect(error).toMatchObject({ code: 'SB_ERR_CRM_INVALID_RESPONSE', retryable: false })
      expect(error!.details.problems.map((p) => p.path)).toEqual(fixture.problems)
    })

  it('a 200 whose body is not JSON', async () => {
    fake.script({ status: 200, body: '<html>ok</html>' })
    await expect(plugin().callAction('lookupContact', { phone: '1' })).rejects.toMatchObject({
      code: 'SB_ERR_CRM_INVALID_RESPONSE',
    })
  })
})

describe('signature and replay protection (the fake checks them as the README tells integrators)', () => {
  it('a wrong secret is refused: SB_ERR_CRM_SIGNATURE_REJECTED, not retryable', async () => {
    await expect(plugin({}, 'not-the-shared-secret').callAction('lookupContact', { phone: '1' })).rejects.toMatchObject(
      {
        code: 'SB_ERR_CRM_SIGNATURE_REJECTED',
        retryable: false,
        message: expect.stringContaining('signature mismatch'),
      },
    )
    expect(fake.requests[0]!.verdict).toEqual({ ok: false, reason: 'signature mismatch' })
  })

  it('a clock more than 5 minutes off is refused; within 5 minutes is accepted', async () => {
    fake.clock.offsetSeconds = 301
    await expect(plugin().callAction('lookupContact', { phone: '+8613800138000' })).rejects.toMatchObject({
      code: 'SB_ERR_CRM_SIGNATURE_REJECTED',
      message: expect.stringContaining('5-minute window'),
    })
    fake.clock.offsetSeconds = -301
    await expect(plugin().callAction('lookupContact', { phone: '+8613800138000' })).rejects.toMatchObject({
      code: 'SB_ERR_CRM_SIGNATURE_REJECTED',
    })
    fake.clock.offsetSeconds = 290
    expect(await plugin().callAction('lookupContact', { phone: '+8613800138000' })).toEqual(lina)
  })

  it('a captured request replayed is refused: after the window by its timestamp, within it by its requestId', async () => {
    await plugin().callAction('lookupContact', { phone: '+8613800138000' })
    const { headers, rawBody } = fake.requests[0]!
    const replay = () =>
      fetch(fake.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-switchboard-timestamp': String(headers['x-switchboard-timestamp']),
          'x-switchboard-signature': String(headers['x-switchboard-signature']),
        },
        body: rawBody,
      })
    expect((await replay()).status).toBe(409)
    fake.clock.offsetSeconds = 6 * 60
    const late = await replay()
    expect(late.status).toBe(401)
    expect(await late.json()).toEqual({ error: { message: 'timestamp outside the 5-minute window' } })
  })

  it('a body changed in transit no longer matches its signature', async () => {
    await plugin().callAction('lookupContact', { phone: '+8613800138000' })
    const { headers, rawBody } = fake.requests[0]!
    const tampered = rawBody.replace('+8613800138000', '+8613900139000')
    const verdict = verifySwitchboardSignature(tampered, headers, SECRET)
    expect(verdict).toEqual({ ok: false, reason: 'signature mismatch' })
  })

  it('is the very function the README gives integrators', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8')
    const documented = /```ts\n([\s\S]*?)```/.exec(readme)![1]!.trim()
    const tested = readFileSync(join(import.meta.dirname, 'verify-signature.ts'), 'utf8')
      .replace(/\/\*\*[\s\S]*?\*\/\n/g, '')
      .trim()
    expect(documented).toBe(tested)
  })

  it('the README check refuses missing or malformed headers', () => {
    const body = '{"type":"ping"}'
    const ts = String(Math.floor(Date.now() / 1000))
    const sig = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`
    expect(
      verifySwitchboardSignature(body, { 'x-switchboard-timestamp': ts, 'x-switchboard-signature': sig }, SECRET),
    ).toEqual({ ok: true })
    expect(verifySwitchboardSignature(body, { 'x-switchboard-signature': sig }, SECRET)).toMatchObject({ ok: false })
    expect(verifySwitchboardSignature(body, { 'x-switchboard-timestamp': ts }, SECRET)).toMatchObject({ ok: false })
    expect(
      verifySwitchboardSignature(
        body,
        { 'x-switchboard-timestamp': ts, 'x-switchboard-signature': 'sha256=abc' },
        SECRET,
      ),
    ).toMatchObject({ ok: false, reason: 'missing signature' })
  })
})

describe('endpoint errors', () => {
  const lookup = (harness = plugin()) => harness.callAction('lookupContact', { phone: '+8613800138000' })

  it('429: SB_ERR_CRM_RATE_LIMITED and 5xx: SB_ERR_CRM_UPSTREAM, both retryable', async () => {
    fake.script({ status: 429, body: { error: { message: 'slow down' } } }, { status: 503, body: 'maintenance' })
    const harness = plugin()
    await expect(lookup(harness)).rejects.toMatchObject({ code: 'SB_ERR_CRM_RATE_LIMITED', retryable: true })
    await expect(lookup(harness)).rejects.toMatchObject({
      code: 'SB_ERR_CRM_UPSTREAM',
      retryable: true,
      message: expect.stringContaining('maintenance'),
    })
  })

  it('another 4xx: SB_ERR_CRM_BAD_REQUEST, not retryable, with the endpoint message', async () => {
    fake.script({ status: 422, body: { error: { message: 'phone must be E.164' } } })
    await expect(lookup()).rejects.toMatchObject({
      code: 'SB_ERR_CRM_BAD_REQUEST',
      retryable: false,
      message: expect.stringContaining('phone must be E.164'),
    })
  })

  it('no answer within timeoutMs: SB_ERR_CRM_TIMEOUT, retryable', async () => {
    fake.script({ status: 200, body: { contact: null }, delayMs: 3000 })
    await expect(lookup(plugin({ timeoutMs: 200 }))).rejects.toMatchObject({
      code: 'SB_ERR_CRM_TIMEOUT',
      retryable: true,
    })
  })

  it('nothing listening: SB_ERR_CRM_UNREACHABLE, retryable', async () => {
    const endpoint = fake.endpoint
    await fake.close()
    fake = await startFakeCrm({ secret: SECRET })
    await expect(lookup(plugin({ endpoint }))).rejects.toMatchObject({
      code: 'SB_ERR_CRM_UNREACHABLE',
      retryable: true,
    })
  })

  it("maps the host's SB_ERR_PLUGIN_FETCH_FAILED, and passes its other errors on unchanged", async () => {
    const harness = plugin()
    harness.ctx.fetch = async () => {
      throw pluginError('SB_ERR_PLUGIN_FETCH_FAILED', 'upstream request failed', {
        retryable: true,
        details: { reason: 'timeout' },
      })
    }
    await expect(lookup(harness)).rejects.toMatchObject({ code: 'SB_ERR_CRM_TIMEOUT', retryable: true })
    harness.ctx.fetch = async () => {
      throw pluginError('SB_ERR_PLUGIN_HOST_NOT_ALLOWED', 'redirected to another host')
    }
    await expect(lookup(harness)).rejects.toMatchObject({ code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED' })
  })

  it('fetch to any host but the configured endpoint is refused', async () => {
    let hits = 0
    const other = createServer((_req, res) => {
      hits++
      res.end('{}')
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = other.address() as AddressInfo
      const harness = plugin()
      await expect(harness.ctx.fetch(`http://127.0.0.1:${port}/switchboard/webhook`)).rejects.toMatchObject({
        code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED',
      })
      await expect(harness.ctx.fetch('https://attacker.example.com/')).rejects.toMatchObject({
        code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED',
      })
      expect(hits).toBe(0)
    } finally {
      other.close()
    }
  })
})

describe('crmProfile panel: loadProfile', () => {
  it("looks the console's contact up by phone or email, or by an externalId attribute", async () => {
    const harness = plugin()
    expect(await harness.callAction('loadProfile', { contact: { phone: '+8613800138000', attributes: {} } })).toEqual(
      lina,
    )
    expect(
      await harness.callAction('loadProfile', { contact: { name: 'Lina', attributes: { externalId: 'c-88' } } }),
    ).toEqual(lina)
    expect(fake.requests.map((r) => (r.body as { query: unknown }).query)).toEqual([
      { phone: '+8613800138000' },
      { externalId: 'c-88' },
    ])
  })

  it('shows an empty panel, without a request, for a contact with nothing to look up by', async () => {
    expect(await plugin().callAction('loadProfile', { contact: { name: 'Walk-in', attributes: {} } })).toBeNull()
    expect(fake.requests).toHaveLength(0)
  })
})

/** Delivers a conversation.resolved event the way the host would (the harness has no helper for events). */
function deliverResolved(harness: ReturnType<typeof plugin>, data: unknown) {
  const handler = handlers.events!['conversation.resolved']!
  return handler(data, harness.ctx as Parameters<typeof handler>[1])
}

describe('recordInteraction and conversation.resolved', () => {
  const resolved = {
    conversationId: 'conv-123',
    contact: { phone: '+8613800138000' },
    channel: 'webchat',
    startedAt: '2025-05-02T09:58:00+08:00',
    resolvedAt: '2025-05-02T10:12:00+08:00',
    agent: { id: 'u-7', name: 'Ana' },
    summary: 'Asked about delivery of order 1234; it arrives tomorrow.',
    tags: ['delivery'],
  }

  it('POSTs a signed interaction.record with the conversation', async () => {
    expect(await plugin().callAction('recordInteraction', resolved)).toEqual({ recorded: true })
    expect(fake.requests[0]!.verdict).toEqual({ ok: true })
    expect(fake.requests[0]!.body).toMatchObject({ type: 'interaction.record', interaction: resolved })
    expect(fake.interactions).toEqual([resolved])
  })

  it('returns recorded: false when the CRM does not know the contact (404)', async () => {
    const stranger = { ...resolved, contact: { email: 'nobody@example.com' } }
    expect(await plugin().callAction('recordInteraction', stranger)).toEqual({ recorded: false })
  })

  it('validates the input: an ISO resolvedAt and a conversation id are required', async () => {
    const harness = plugin()
    await expect(
      harness.callAction('recordInteraction', { ...resolved, resolvedAt: 'yesterday' }),
    ).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_INVALID_INPUT',
    })
    await expect(harness.callAction('recordInteraction', { ...resolved, conversationId: '' })).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_INVALID_INPUT',
    })
  })

  it('records a resolved conversation from the event, keeping only well-formed fields', async () => {
    const harness = plugin()
    await deliverResolved(harness, { ...resolved, agent: { name: 'no id' }, tags: ['delivery', 7], extra: 'ignored' })
    const { agent: _agent, ...withoutAgent } = resolved
    expect(fake.interactions).toEqual([withoutAgent])
    expect(harness.logs.at(-1)).toMatchObject({ level: 'info', fields: { conversationId: 'conv-123', recorded: true } })
  })

  it('skips events it cannot link to a customer, and sends nothing when recordInteractions is off', async () => {
    const harness = plugin()
    await deliverResolved(harness, { conversationId: 'conv-9', contact: {} })
    await deliverResolved(harness, 'garbage')
    expect(harness.logs.filter((l) => l.level === 'warn')).toHaveLength(2)
    const off = plugin({ recordInteractions: false })
    await deliverResolved(off, resolved)
    expect(fake.requests).toHaveLength(0)
  })

  it('lets the host see a failure to record (to retry the event)', async () => {
    fake.script({ status: 500, body: { error: { message: 'db down' } } })
    const harness = plugin()
    await expect(deliverResolved(harness, resolved)).rejects.toMatchObject({
      code: 'SB_ERR_CRM_UPSTREAM',
      retryable: true,
    })
  })
})

describe('healthCheck', () => {
  it('sends a signed ping', async () => {
    expect(await plugin().healthCheck()).toMatchObject({ ok: true })
    expect(fake.requests[0]!.body).toMatchObject({ type: 'ping' })
  })

  it('explains a refused signature', async () => {
    expect(await plugin({}, 'the-wrong-secret-value').healthCheck()).toMatchObject({
      ok: false,
      message: expect.stringContaining('signingSecret'),
    })
  })
})
