import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkManifest, toManifest } from '@switchboard/plugin-sdk'
import { createTestHarness } from '@switchboard/plugin-sdk/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import definition from '../plugin.definition.js'
import { base64Utf8 } from '../src/base64.js'
import handlers from '../src/index.js'
import { orderStatus } from '../src/order-status.js'
import { samePhone } from '../src/phone-match.js'
import { encodeRfc3986 } from '../src/query-string.js'
import { startFakeWooCommerce, type FakeApiKey, type FakeWooCommerce } from './fake-woocommerce.js'
import { shopOrders } from './woo-fixtures.js'

const readKey: FakeApiKey = {
  consumerKey: 'ck_4f6b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b',
  consumerSecret: 'cs_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
  permissions: 'read',
}
const writeOnlyKey: FakeApiKey = {
  consumerKey: 'ck_write0000000000000000000000000000000000',
  consumerSecret: 'cs_write0000000000000000000000000000000000',
  permissions: 'write',
}
const customerUserKey: FakeApiKey = {
  consumerKey: 'ck_subscriber00000000000000000000000000000',
  consumerSecret: 'cs_subscriber00000000000000000000000000000',
  permissions: 'read',
  userCanViewOrders: false,
}
const keys = [readKey, writeOnlyKey, customerUserKey]
const secretsOf = (key: FakeApiKey) => ({ consumerKey: key.consumerKey, consumerSecret: key.consumerSecret })

/** Runs a call expected to fail and returns the coded error the host would report. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => expect.fail('expected the call to fail'),
    (e: unknown) => e,
  )
  return error as { code: string; message: string; retryable: boolean; details?: Record<string, unknown> }
}

describe('erp-woocommerce over plain http (OAuth 1.0a, as WooCommerce requires)', () => {
  let shop: FakeWooCommerce
  beforeAll(async () => {
    shop = await startFakeWooCommerce({ orders: shopOrders, keys })
  })
  afterAll(() => shop.close())
  beforeEach(() => shop.reset())

  const harness = (config: Record<string, unknown> = {}, key: FakeApiKey = readKey) =>
    createTestHarness({
      definition,
      handlers,
      config: { baseUrl: shop.url, ...config },
      secrets: secretsOf(key),
    })

  describe('getOrder', () => {
    it('returns the order mapped onto the SDK: state, money, items, customer, parcels, admin link', async () => {
      expect(await harness().callAction('getOrder', { orderNumber: '1001' })).toEqual({
        number: '1001',
        state: 'shipped',
        stateText: 'Processing (shipped)',
        createdAt: '2026-11-14T09:30:00Z',
        total: { amount: '647.00', currency: 'CNY' },
        items: [
          { name: '真丝围巾 · 藏青色', quantity: 1, sku: 'SCARF-NAVY' },
          { name: '手工青瓷茶具套装', quantity: 2, sku: 'TEA-SET-01' },
        ],
        customer: { name: '张伟', phone: '138 1234 5678', email: 'zhang.wei@example.cn' },
        shipments: [{ carrier: '顺丰速运', waybill: 'SF1234567890123' }],
        url: `${shop.url}/wp-admin/post.php?post=1001&action=edit`,
      })
      expect(shop.requests.map((r) => r.path)).toEqual(['/wp-json/wc/v3/orders/1001'])
    })

    it('signs every request with OAuth 1.0a and never puts the secret on the wire', async () => {
      const plugin = harness()
      await plugin.callAction('getOrder', { orderNumber: '1002' })
      expect(shop.requests[0]!.auth).toBe('oauth1')
      expect(shop.requests[0]!.query).toMatchObject({
        oauth_consumer_key: readKey.consumerKey,
        oauth_signature_method: 'HMAC-SHA256',
      })
      for (const { url, init } of plugin.fetches) {
        expect(url).not.toContain(readKey.consumerSecret)
        expect(JSON.stringify(init?.headers ?? {})).not.toContain(readKey.consumerSecret)
      }
    })

    it('accepts the number as customers write it ("#1002") and keeps the order currency', async () => {
      const order = await harness().callAction('getOrder', { orderNumber: ' #1002 ' })
      expect(order).toMatchObject({
        number: '1002',
        state: 'completed',
        total: { amount: '57.50', currency: 'USD' },
        customer: { name: 'Emily Clark', phone: '+1 (415) 555-0134', email: 'emily.clark@example.com' },
        shipments: [{ carrier: 'usps', waybill: '9400111899223197428490' }],
      })
    })

    it('answers a repeated lookup from the cache without asking the shop again', async () => {
      const plugin = harness()
      const first = await plugin.callAction('getOrder', { orderNumber: '1003' })
      const second = await plugin.callAction('getOrder', { orderNumber: '#1003' })
      expect(second).toEqual(first)
      expect(shop.count()).toBe(1)
      expect(definition.actions?.getOrder.cacheSeconds).toBe(60)
    })

    it('finds an order by a custom order number (sequential-numbers extension) through search', async () => {
      const order = await harness().callAction('getOrder', { orderNumber: 'wc-2026-0042' })
      expect(order).toMatchObject({
        number: 'WC-2026-0042',
        state: 'cancelled',
        url: `${shop.url}/wp-admin/post.php?post=1010&action=edit`,
      })
      expect(shop.requests.map((r) => [r.path, r.query.search])).toEqual([['/wp-json/wc/v3/orders', 'wc-2026-0042']])
    })

    it('finds a numeric custom number that is not an ID, with every parcel of the order', async () => {
      const order = await harness().callAction('getOrder', { orderNumber: '88001' })
      expect(order).toMatchObject({
        number: '88001',
        state: 'completed',
        shipments: [
          { carrier: 'zto', waybill: '78123456789012' },
          { carrier: '京东物流', waybill: 'JDVA01234567890' },
        ],
      })
      expect(shop.requests.map((r) => r.path)).toEqual(['/wp-json/wc/v3/orders/88001', '/wp-json/wc/v3/orders'])
    })

    it('does not pass off an order whose number differs from the ID asked for', async () => {
      // ID 1011 exists but its customers know it as 88001; no order is numbered 1011.
      expect(await harness().callAction('getOrder', { orderNumber: '1011' })).toBeNull()
    })

    it('returns null, not an error, for an order the shop does not have (404 invalid_id)', async () => {
      expect(await harness().callAction('getOrder', { orderNumber: '999999' })).toBeNull()
      expect(await harness().callAction('getOrder', { orderNumber: 'NO-SUCH-ORDER' })).toBeNull()
    })

    it('maps every WooCommerce status onto the SDK states', async () => {
      const plugin = harness()
      const states: Record<string, [string, string]> = {}
      for (const id of [1002, 1003, 1004, 1005, 1006, 1012]) {
        const order = (await plugin.callAction('getOrder', { orderNumber: String(id) })) as Record<string, string>
        states[id] = [order.state!, order.stateText!]
      }
      expect(states).toEqual({
        1002: ['completed', 'Completed'],
        1003: ['on-hold', 'On hold'],
        1004: ['pending', 'Pending payment'],
        1005: ['refunded', 'Refunded'],
        1006: ['failed', 'Failed'],
        1012: ['cancelled', 'Trash'],
      })
    })

    it('shows the status text in Chinese when the shop asks for it', async () => {
      const order = await harness({ statusLanguage: 'zh-CN' }).callAction('getOrder', { orderNumber: '1003' })
      expect(order).toMatchObject({ state: 'on-hold', stateText: '保留', customer: { name: '李娜' } })
    })

    it('rejects invalid input before any request reaches the shop', async () => {
      const plugin = harness()
      expect(await failure(plugin.callAction('getOrder', { orderNumber: '' }))).toMatchObject({
        code: 'SB_ERR_PLUGIN_INVALID_INPUT',
      })
      expect(await failure(plugin.callAction('getOrder', { orderNumber: 'x'.repeat(65) }))).toMatchObject({
        code: 'SB_ERR_PLUGIN_INVALID_INPUT',
      })
      expect(await failure(plugin.callAction('findOrders', { email: 'a@b.c', limit: 0 }))).toMatchObject({
        code: 'SB_ERR_PLUGIN_INVALID_INPUT',
      })
      expect(shop.count()).toBe(0)
    })
  })

  describe('findOrders and the recentOrders panel', () => {
    it('finds orders by email, exact matches only (any case), newest first', async () => {
      const orders = (await harness().callAction('findOrders', { email: 'LI.NA@example.cn' })) as Array<{
        number: string
      }>
      expect(orders.map((o) => o.number)).toEqual(['1006', '1003', 'WC-2026-0042'])
    })

    it('finds orders by phone however the customer typed it at checkout, without trashed ones', async () => {
      const orders = (await harness().callAction('findOrders', { phone: '+86 138-1234-5678' })) as Array<{
        number: string
      }>
      expect(orders.map((o) => o.number)).toEqual(['1004', '1001', '88001'])
      expect(shop.requests.map((r) => r.query.search)).toEqual(['13812345678', '5678'])
    })

    it('merges phone and email matches and honours the limit', async () => {
      const orders = (await harness().callAction('findOrders', {
        phone: '(415) 555-0134',
        email: 'emily.clark@example.com',
        limit: 1,
      })) as Array<{ number: string }>
      expect(orders.map((o) => o.number)).toEqual(['1002'])
    })

    it('returns [] without asking the shop when there is no phone or email to match', async () => {
      expect(await harness().callAction('findOrders', {})).toEqual([])
      expect(await harness().callAction('findOrders', { phone: '123' })).toEqual([])
      expect(shop.count()).toBe(0)
    })

    it('feeds the recentOrders panel from the contact on screen', async () => {
      const orders = await harness().callAction('recentOrders', {
        contact: { name: '张伟', phone: '13812345678', attributes: { vip: true } },
      })
      expect(orders).toHaveLength(3)
      const panel = definition.panels?.recentOrders
      expect(panel).toMatchObject({ action: 'recentOrders', layout: 'table' })
      expect(panel?.fields.map((f) => f.path)).toContain('stateText')
    })
  })

  describe('failures', () => {
    it('reports a wrong consumer secret as SB_ERR_ERP_AUTH_FAILED, not retryable', async () => {
      const plugin = harness({}, { ...readKey, consumerSecret: 'cs_wrong' })
      const error = await failure(plugin.callAction('getOrder', { orderNumber: '1001' }))
      expect(error).toMatchObject({ code: 'SB_ERR_ERP_AUTH_FAILED', retryable: false })
      expect(error.message).toContain('Invalid signature - provided signature does not match.')
    })

    it('reports an unknown consumer key, a write-only key and a user without access as auth failures', async () => {
      const unknown = await failure(
        harness({}, { ...readKey, consumerKey: 'ck_revoked' }).callAction('getOrder', { orderNumber: '1001' }),
      )
      expect(unknown).toMatchObject({ code: 'SB_ERR_ERP_AUTH_FAILED', details: { status: 401 } })
      const writeOnly = await failure(harness({}, writeOnlyKey).callAction('findOrders', { email: 'a@b.cn' }))
      expect(writeOnly.message).toContain('does not have read permissions')
      const noAccess = await failure(harness({}, customerUserKey).callAction('getOrder', { orderNumber: '1001' }))
      expect(noAccess).toMatchObject({
        code: 'SB_ERR_ERP_AUTH_FAILED',
        retryable: false,
        details: { status: 403, code: 'woocommerce_rest_cannot_view' },
      })
    })

    it('reports a WordPress fatal error (500) as retryable, and works again afterwards', async () => {
      const plugin = harness()
      shop.failNext(1, 500)
      const error = await failure(plugin.callAction('getOrder', { orderNumber: '1001' }))
      expect(error).toMatchObject({
        code: 'SB_ERR_ERP_UNAVAILABLE',
        retryable: true,
        details: { status: 500, code: 'internal_server_error' },
      })
      expect(error.message).toContain('There has been a critical error on this website.')
      expect(await plugin.callAction('getOrder', { orderNumber: '1001' })).toMatchObject({ number: '1001' })
    })

    it('reports a maintenance page (503 HTML) as retryable', async () => {
      shop.failNext(1, 503)
      expect(await failure(harness().callAction('findOrders', { email: 'a@b.cn' }))).toMatchObject({
        code: 'SB_ERR_ERP_UNAVAILABLE',
        retryable: true,
      })
    })

    it('gives up after timeoutMs with a retryable error', async () => {
      shop.delayMs = 2_000
      const started = Date.now()
      const error = await failure(harness({ timeoutMs: 200 }).callAction('getOrder', { orderNumber: '1001' }))
      expect(error).toMatchObject({ code: 'SB_ERR_ERP_UNAVAILABLE', retryable: true })
      expect(Date.now() - started).toBeLessThan(1_900)
    })

    it('says so when baseUrl is not a WooCommerce shop', async () => {
      const error = await failure(harness({ baseUrl: `${shop.url}/blog` }).callAction('getOrder', { orderNumber: '1' }))
      expect(error).toMatchObject({ code: 'SB_ERR_ERP_CONFIG_INVALID', retryable: false })
    })

    it('may reach only the configured shop: other hosts and ports are refused by the host', async () => {
      const plugin = harness()
      const port = Number(new URL(shop.url).port)
      for (const url of ['https://evil.example.com/steal', `http://127.0.0.1:${port === 65535 ? 1 : port + 1}/`])
        expect(await failure(plugin.ctx.fetch(url))).toMatchObject({ code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED' })
      expect(shop.count()).toBe(0)
    })
  })

  describe('healthCheck', () => {
    it('confirms the keys can read orders', async () => {
      expect(await harness().healthCheck()).toEqual({
        ok: true,
        message: `Connected to ${shop.url}: the keys can read orders (8 orders).`,
      })
    })

    it('explains what is wrong instead of throwing', async () => {
      const result: { ok: boolean; message?: string } = await harness(
        {},
        { ...readKey, consumerSecret: 'cs_wrong' },
      ).healthCheck()
      expect(result.ok).toBe(false)
      expect(result.message).toMatch(/^SB_ERR_ERP_AUTH_FAILED: /)
    })
  })
})

const hasOpenssl = spawnSync('openssl', ['version']).status === 0

describe.skipIf(!hasOpenssl)('erp-woocommerce over https (HTTP Basic)', () => {
  let shop: FakeWooCommerce
  let dir: string
  let previousTlsSetting: string | undefined
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-woo-tls-'))
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ],
      { stdio: 'ignore' },
    )
    const tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') }
    shop = await startFakeWooCommerce({ orders: shopOrders, keys, tls })
    // The harness fetches with Node's fetch, which has no per-request CA option: trust the
    // throw-away self-signed certificate by lifting verification for this test file only.
    previousTlsSetting = process.env.NODE_TLS_REJECT_UNAUTHORIZED
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'
  })
  afterAll(async () => {
    if (previousTlsSetting === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previousTlsSetting
    await shop.close()
    rmSync(dir, { recursive: true, force: true })
  })
  beforeEach(() => shop.reset())

  const harness = (config: Record<string, unknown> = {}, key: FakeApiKey = readKey) =>
    createTestHarness({ definition, handlers, config: { baseUrl: shop.url, ...config }, secrets: secretsOf(key) })

  it('sends the keys with HTTP Basic auth', async () => {
    const plugin = harness()
    expect(await plugin.callAction('getOrder', { orderNumber: '1002' })).toMatchObject({ number: '1002' })
    expect(shop.requests.map((r) => r.auth)).toEqual(['basic'])
    expect(plugin.fetches[0]!.init?.headers?.authorization).toBe(
      `Basic ${Buffer.from(`${readKey.consumerKey}:${readKey.consumerSecret}`).toString('base64')}`,
    )
  })

  it('sends consumer_key/consumer_secret as query parameters when keysInQuery is on', async () => {
    expect(
      await harness({ keysInQuery: true }).callAction('findOrders', { email: 'emily.clark@example.com' }),
    ).toHaveLength(2)
    expect(shop.requests.map((r) => r.auth)).toEqual(['query-keys'])
  })

  it('reports a wrong secret as an auth failure', async () => {
    const error = await failure(
      harness({}, { ...readKey, consumerSecret: 'cs_wrong' }).callAction('getOrder', { orderNumber: '1002' }),
    )
    expect(error).toMatchObject({ code: 'SB_ERR_ERP_AUTH_FAILED', details: { message: 'Consumer secret is invalid.' } })
  })
})

describe('erp-woocommerce pieces', () => {
  it('has a manifest the host accepts, with a description on every form field', () => {
    const checked = checkManifest(toManifest(definition))
    expect(checked.ok).toBe(true)
    const manifest = toManifest(definition)
    for (const schema of [manifest.config, manifest.secrets, manifest.actions.recentOrders!.input]) {
      const properties = (schema as { properties: Record<string, { description?: string }> }).properties
      for (const [field, property] of Object.entries(properties))
        expect(property.description, `${field} has a description`).toBeTruthy()
    }
  })

  it('maps statuses, including custom ones from shipment-tracking extensions', () => {
    const cases: Array<[string, boolean, string, string]> = [
      ['pending', false, 'pending', 'Pending payment'],
      ['processing', false, 'processing', 'Processing'],
      ['processing', true, 'shipped', 'Processing (shipped)'],
      ['wc-on-hold', false, 'on-hold', 'On hold'],
      ['completed', true, 'completed', 'Completed'],
      ['cancelled', false, 'cancelled', 'Cancelled'],
      ['refunded', false, 'refunded', 'Refunded'],
      ['failed', false, 'failed', 'Failed'],
      ['checkout-draft', false, 'pending', 'Draft'],
      ['trash', false, 'cancelled', 'Trash'],
      ['delivered', true, 'delivered', 'Delivered'],
      ['partial-shipped', true, 'shipped', 'Partially shipped'],
      ['awaiting-pickup', false, 'processing', 'awaiting pickup'],
    ]
    for (const [status, shipped, state, stateText] of cases)
      expect(orderStatus(status, shipped, 'en'), status).toEqual({ state, stateText })
    expect(orderStatus('refunded', false, 'zh-CN')).toEqual({ state: 'refunded', stateText: '已退款' })
  })

  it('encodes base64 and RFC 3986 without the Node or web globals the sandbox lacks', () => {
    for (const text of ['ck_1:cs_2', 'a', 'ab', 'abc', '张伟:密钥', '🙂'])
      expect(base64Utf8(text)).toBe(Buffer.from(text, 'utf8').toString('base64'))
    expect(encodeRfc3986("it's (张)*!~")).toBe('it%27s%20%28%E5%BC%A0%29%2A%21~')
  })

  it('matches phone numbers across formats and country codes', () => {
    expect(samePhone('+86 138-1234-5678', '13812345678')).toBe(true)
    expect(samePhone('138 1234 5678', '8613812345678')).toBe(true)
    expect(samePhone('139 8765 4321', '13812345678')).toBe(false)
    expect(samePhone('5678', '13812345678')).toBe(false)
  })
})
