import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../core/src/index.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'
import { appUsesRedis } from '../support/test-env.js'

/** The verification function of docs/webhooks.md, copied unchanged: the receiver checks every request with it. */
const TOLERANCE_SECONDS = 300
function verifySwitchboardWebhook(
  rawBody: Buffer | string,
  headers: Record<string, string | string[] | undefined>,
  secret: string,
  nowMs: number = Date.now(),
): { ok: true } | { ok: false; reason: string } {
  const timestamp = headers['x-switchboard-timestamp']
  const signature = headers['x-switchboard-signature']
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing timestamp' }
  if (typeof signature !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(signature))
    return { ok: false, reason: 'missing signature' }
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > TOLERANCE_SECONDS)
    return { ok: false, reason: 'timestamp outside the 5-minute window' }
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest()
  const given = Buffer.from(signature.slice('sha256='.length), 'hex')
  if (!timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' }
  return { ok: true }
}

interface Received {
  path: string
  headers: IncomingHttpHeaders
  body: string
  at: number
}
type Behaviour = (nth: number) => number | 'hang'

/** A local integrator: records every request; each path answers as its behaviour says (200 by default). */
async function startReceiver() {
  const received: Received[] = []
  const behaviours = new Map<string, Behaviour>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = req.url ?? '/'
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() })
      const answer = (behaviours.get(path) ?? (() => 200))(received.filter((r) => r.path === path).length)
      if (answer === 'hang') return
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'receiver is down')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: (path: string, behaviour?: Behaviour) => {
      if (behaviour) behaviours.set(path, behaviour)
      return `${base}${path}`
    },
    at: (path: string) => received.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function until<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await read()
    if (ok(v) || Date.now() > deadline) return v
    await new Promise((r) => setTimeout(r, 50))
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const json = (res: { payload: string }) => JSON.parse(res.payload)

let t: TestApp
let admin: string
let receiver: Awaited<ReturnType<typeof startReceiver>>
beforeAll(async () => {
  t = await createTestApp({
    SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE: 'true',
    SWITCHBOARD_WEBHOOKS_RETRY_DELAYS: '100ms,200ms,300ms',
    SWITCHBOARD_WEBHOOKS_TIMEOUT: '1s',
  })
  await t.app.services.webhooks.start()
  admin = (await t.tokenFor('admin')).token
  receiver = await startReceiver()
})
afterAll(async () => {
  await t?.close()
  await receiver?.close()
})

const call = (method: string, url: string, payload?: unknown) =>
  t.app.server.inject({ method, url, payload: payload as object, headers: bearer(admin) })

async function subscribe(path: string, events: string[], behaviour?: Behaviour) {
  const res = await call('POST', '/api/v1/webhooks', { url: receiver.url(path, behaviour), events })
  expect(res.statusCode, res.payload).toBe(201)
  return json(res) as { id: string; secret: string }
}

function expectSigned(request: Received, secret: string) {
  expect(verifySwitchboardWebhook(request.body, request.headers, secret)).toEqual({ ok: true })
}

describe('outbound webhooks', () => {
  it('creates a subscription and shows its secret only once', async () => {
    const res = await call('POST', '/api/v1/webhooks', {
      url: receiver.url('/created'),
      events: ['conversation.created', 'conversation.created', 'ticket.*'],
      description: 'CRM sync',
    })
    expect(res.statusCode).toBe(201)
    const created = json(res)
    expect(created).toMatchObject({
      url: receiver.url('/created'),
      events: ['conversation.created', 'ticket.*'],
      description: 'CRM sync',
      active: true,
      disabledReason: null,
    })
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    expect(created.secretPrefix).toBe(created.secret.slice(0, 10))

    const one = json(await call('GET', `/api/v1/webhooks/${created.id}`))
    expect(one).not.toHaveProperty('secret')
    expect(one.secretPrefix).toBe(created.secretPrefix)
    const list = json(await call('GET', '/api/v1/webhooks'))
    expect(list.map((w: { id: string }) => w.id)).toContain(created.id)
    expect(JSON.stringify(list)).not.toContain(created.secret)
    const stored = await t.app.db.webhook.findUniqueOrThrow({ where: { id: created.id } })
    expect(stored.secretEnc).not.toContain(created.secret)
    expect(t.app.pii.decrypt('webhook.secret', stored.secretEnc)).toBe(created.secret)

    const audit = json(await call('GET', '/api/v1/audit?action=webhook.create'))
    expect(audit[0]).toMatchObject({ targetId: created.id, details: { url: receiver.url('/created') } })

    const types = json(await call('GET', '/api/v1/webhooks/event-types'))
    expect(types.map((e: { type: string }) => e.type)).toContain('conversation.assigned')
  })

  it('refuses unknown event types and empty subscriptions', async () => {
    for (const events of [['conversation.opened'], ['auth.credentials-revoked'], ['kb.*'], []]) {
      const res = await call('POST', '/api/v1/webhooks', { url: receiver.url('/bad'), events })
      expect(res.statusCode, JSON.stringify(events)).toBe(400)
      expect(json(res).code).toBe('SB_ERR_VALIDATION')
    }
    const res = await call('POST', '/api/v1/webhooks', { url: 'ftp://example.com/x', events: ['ticket.created'] })
    expect(res.statusCode).toBe(400)
    expect(json(res).code).toBe('SB_ERR_WEBHOOK_URL_NOT_ALLOWED')
  })

  it('delivers a matching bus event once, signed as the docs say', async () => {
    const hook = await subscribe('/signed', ['conversation.created'])
    const event = { conversationId: 'c-1', version: 1, status: 'bot', channel: 'webchat', contactId: 'k-1' }
    await t.app.infra.bus.publish('conversation.created', event)
    await t.app.infra.bus.publish('conversation.created', event) // the same event twice: one delivery
    await t.app.infra.bus.publish('ticket.created', { ticketId: 1 }) // not subscribed
    const got = await until(
      () => receiver.at('/signed'),
      (r) => r.length > 0,
    )
    await sleep(300)
    expect(receiver.at('/signed')).toHaveLength(1)
    const request = got[0]!
    expectSigned(request, hook.secret)
    expect(verifySwitchboardWebhook(request.body, request.headers, 'whsec_another')).toEqual({
      ok: false,
      reason: 'signature mismatch',
    })
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.headers['x-switchboard-event']).toBe('conversation.created')
    const body = JSON.parse(request.body)
    expect(body).toEqual({
      id: request.headers['x-switchboard-delivery'],
      type: 'conversation.created',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: event,
    })

    const deliveries = await until(
      async () => json(await call('GET', `/api/v1/webhooks/${hook.id}/deliveries`)),
      (d) => d[0]?.status === 'succeeded',
    )
    expect(deliveries).toHaveLength(1)
    expect(deliveries[0]).toMatchObject({
      id: body.id,
      type: 'conversation.created',
      status: 'succeeded',
      attempts: 1,
      responseStatus: 200,
      lastError: null,
    })
    const stored = await t.app.db.webhookDelivery.findUniqueOrThrow({ where: { id: body.id } })
    expect(stored.dataEnc).not.toContain('c-1')
    expect(json(await call('GET', `/api/v1/webhooks/${hook.id}`)).lastSuccessAt).not.toBeNull()
  })

  it('a pattern subscription gets every public event under it, and nothing internal', async () => {
    const hook = await subscribe('/pattern', ['conversation.*', 'plugin.*'])
    await t.app.infra.bus.publish('conversation.message.created', { conversationId: 'c-2', seq: 1 })
    await t.app.infra.bus.publish('conversation.resolved', { conversationId: 'c-2', version: 4 })
    await t.app.infra.bus.publish('plugin.demo-shop.order-paid', { orderId: 'o-9' })
    await t.app.infra.bus.publish('conversation.message.failed', { conversationId: 'c-2' }) // internal
    await t.app.infra.bus.publish('ticket.updated', { ticketId: 2, status: 'open' }) // not subscribed
    const got = await until(
      () => receiver.at('/pattern'),
      (r) => r.length >= 3,
    )
    await sleep(300)
    expect(receiver.at('/pattern')).toHaveLength(3)
    for (const r of got) expectSigned(r, hook.secret)
    expect(got.map((r) => r.headers['x-switchboard-event']).sort()).toEqual([
      'conversation.message.created',
      'conversation.resolved',
      'plugin.demo-shop.order-paid',
    ])
  })

  it('retries a failing receiver with backoff until it answers 2xx, and records every attempt', async () => {
    const hook = await subscribe('/flaky', ['ticket.created'], (nth) => (nth === 1 ? 500 : nth === 2 ? 503 : 204))
    await t.app.infra.bus.publish('ticket.created', { ticketId: 7, conversationId: null })
    const got = await until(
      () => receiver.at('/flaky'),
      (r) => r.length >= 3,
    )
    expect(got).toHaveLength(3)
    // one delivery: the same id on every attempt, each signed afresh
    expect(new Set(got.map((r) => r.headers['x-switchboard-delivery'])).size).toBe(1)
    for (const r of got) expectSigned(r, hook.secret)
    // the waits are the configured ones (100 ms, then 200 ms), at least
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(90)
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(190)

    const [delivery] = await until(
      async () => json(await call('GET', `/api/v1/webhooks/${hook.id}/deliveries`)),
      (d) => d[0]?.status === 'succeeded',
    )
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, responseStatus: 204, lastError: null })
    expect(delivery.attemptLog.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([500, 503, 204])
    expect(delivery.attemptLog[0].error).toBe('HTTP 500: receiver is down')
    const webhook = json(await call('GET', `/api/v1/webhooks/${hook.id}`))
    expect(webhook).toMatchObject({ active: true, failingSince: null })
  })

  it('gives up after the last attempt and deactivates a webhook that keeps failing', async () => {
    const hook = await subscribe('/down', ['callback.due'], () => 500)
    await t.app.infra.bus.publish('callback.due', { jobId: 'j-1', conversationId: 'c-3' })
    const [failed] = await until(
      async () => json(await call('GET', `/api/v1/webhooks/${hook.id}/deliveries`)),
      (d) => d[0]?.status === 'failed',
    )
    expect(failed).toMatchObject({ status: 'failed', attempts: 4, responseStatus: 500, nextAttemptAt: null })
    expect(receiver.at('/down')).toHaveLength(4)
    const failing = json(await call('GET', `/api/v1/webhooks/${hook.id}`))
    expect(failing).toMatchObject({ active: true })
    expect(failing.failingSince).not.toBeNull()

    // it has been failing for longer than SWITCHBOARD_WEBHOOKS_DISABLE_AFTER (24 h)
    await t.app.db.webhook.update({
      where: { id: hook.id },
      data: { failingSince: new Date(Date.now() - 25 * 3_600_000) },
    })
    await t.app.infra.bus.publish('callback.due', { jobId: 'j-2', conversationId: 'c-3' })
    const off = await until(
      async () => json(await call('GET', `/api/v1/webhooks/${hook.id}`)),
      (w) => !w.active,
    )
    expect(off.active).toBe(false)
    expect(off.disabledReason).toMatch(/every delivery attempt failed from .* HTTP 500/)
    const audit = json(await call('GET', '/api/v1/audit?action=webhook.deactivated'))
    expect(audit[0]).toMatchObject({ targetId: hook.id, actorUserId: null, actorEmail: 'webhooks' })
    // the second delivery's remaining attempts are skipped; new events are not delivered
    const skipped = await until(
      async () => json(await call('GET', `/api/v1/webhooks/${hook.id}/deliveries`)),
      (d) => d[0]?.status === 'skipped',
    )
    expect(skipped[0]).toMatchObject({ status: 'skipped', attempts: 1, lastError: 'the webhook is not active' })
    const before = receiver.at('/down').length
    await t.app.infra.bus.publish('callback.due', { jobId: 'j-3', conversationId: 'c-3' })
    await sleep(300)
    expect(receiver.at('/down')).toHaveLength(before)

    // an admin turns it on again: the failure record starts afresh
    const on = json(await call('PATCH', `/api/v1/webhooks/${hook.id}`, { active: true }))
    expect(on).toMatchObject({ active: true, disabledReason: null, failingSince: null })
  })

  it('sends a webhook.test event on request and reports the outcome', async () => {
    const hook = await subscribe('/ping', ['survey.sent'])
    const res = await call('POST', `/api/v1/webhooks/${hook.id}/test`)
    expect(res.statusCode).toBe(200)
    expect(json(res)).toMatchObject({ type: 'webhook.test', status: 'succeeded', attempts: 1, responseStatus: 200 })
    const [request] = receiver.at('/ping')
    expectSigned(request!, hook.secret)
    expect(JSON.parse(request!.body)).toMatchObject({ type: 'webhook.test', data: { webhookId: hook.id } })

    const down = await subscribe('/ping-down', ['survey.sent'], () => 502)
    const failed = json(await call('POST', `/api/v1/webhooks/${down.id}/test`))
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 502 })
    // a test is a diagnosis: it does not count towards deactivation
    expect(json(await call('GET', `/api/v1/webhooks/${down.id}`)).failingSince).toBeNull()

    const slow = await subscribe('/ping-hang', ['survey.sent'], () => 'hang')
    const timedOut = json(await call('POST', `/api/v1/webhooks/${slow.id}/test`))
    expect(timedOut).toMatchObject({ status: 'failed', responseStatus: null, lastError: 'no answer within 1000 ms' })
  })

  it('a new secret signs the next deliveries', async () => {
    const hook = await subscribe('/rotated', ['agent.presence'])
    const rotated = json(await call('POST', `/api/v1/webhooks/${hook.id}/secret`))
    expect(rotated.secret).not.toBe(hook.secret)
    await t.app.infra.bus.publish('agent.presence', { userId: 'u-1', presence: 'away', reason: 'lunch' })
    const [request] = await until(
      () => receiver.at('/rotated'),
      (r) => r.length > 0,
    )
    expectSigned(request!, rotated.secret)
    expect(verifySwitchboardWebhook(request!.body, request!.headers, hook.secret)).toMatchObject({ ok: false })
  })

  it('updates and deletes a subscription', async () => {
    const hook = await subscribe('/changed', ['ticket.updated'])
    const updated = await call('PATCH', `/api/v1/webhooks/${hook.id}`, {
      events: ['ticket.*'],
      description: 'tickets',
    })
    expect(json(updated)).toMatchObject({ events: ['ticket.*'], description: 'tickets' })
    await t.app.infra.bus.publish('ticket.created', { ticketId: 99, conversationId: null })
    await until(
      () => receiver.at('/changed'),
      (r) => r.length > 0,
    )
    expect((await call('DELETE', `/api/v1/webhooks/${hook.id}`)).statusCode).toBe(204)
    expect((await call('GET', `/api/v1/webhooks/${hook.id}`)).statusCode).toBe(404)
    await t.app.infra.bus.publish('ticket.created', { ticketId: 100, conversationId: null })
    await sleep(300)
    expect(receiver.at('/changed')).toHaveLength(1)
  })

  it('is for admins only', async () => {
    for (const role of ['agent', 'supervisor'] as const) {
      const { token } = await t.tokenFor(role)
      for (const [method, url] of [
        ['GET', '/api/v1/webhooks'],
        ['POST', '/api/v1/webhooks'],
      ] as const) {
        const res = await t.app.server.inject({ method, url, payload: {}, headers: bearer(token) })
        expect(res.statusCode, `${role} ${method} ${url}`).toBe(403)
      }
    }
  })
})

describe('webhooks without SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE', () => {
  let strict: TestApp
  let token: string
  beforeAll(async () => {
    strict = await createTestApp()
    token = (await strict.tokenFor('admin')).token
  })
  afterAll(() => strict?.close())

  it('refuses private, loopback and link-local hosts', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://app.localhost/hook',
      'http://[::1]/hook',
      'http://10.1.2.3/hook',
      'https://192.168.1.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:10.0.0.1]/hook',
      'http://user:pw@203.0.114.5/hook',
    ]) {
      const res = await strict.app.server.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        payload: { url, events: ['ticket.created'] },
        headers: bearer(token),
      })
      expect(res.statusCode, url).toBe(400)
      expect(json(res), url).toMatchObject({ code: 'SB_ERR_WEBHOOK_URL_NOT_ALLOWED', details: [{ path: 'url' }] })
    }
    const res = await strict.app.server.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'http://127.0.0.1/hook', events: ['ticket.created'] },
      headers: bearer(token),
    })
    expect(json(res).message).toContain('SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE')
  })

  it('accepts a public address', async () => {
    const res = await strict.app.server.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'https://93.184.215.14/hook', events: ['ticket.created'] },
      headers: bearer(token),
    })
    expect(res.statusCode, res.payload).toBe(201)
  })
})

describe.runIf(appUsesRedis)('webhooks on several instances', () => {
  let second: App
  beforeAll(async () => {
    second = await createApp(t.config)
    await second.services.webhooks.start()
    await second.infra.scheduler.start()
  })
  afterAll(() => second?.stop())

  it('a bus event both instances see is delivered once', async () => {
    const hook = await subscribe('/cluster', ['conversation.updated'])
    await sleep(200) // the second instance hears of the new webhook through the bus
    for (let i = 0; i < 5; i++)
      await t.app.infra.bus.publish('conversation.updated', { conversationId: 'c-9', version: i })
    await until(
      () => receiver.at('/cluster'),
      (r) => r.length >= 5,
    )
    await sleep(500)
    const got = receiver.at('/cluster')
    expect(got.map((r) => JSON.parse(r.body).data.version).sort()).toEqual([0, 1, 2, 3, 4])
    for (const r of got) expectSigned(r, hook.secret)
  })
})
