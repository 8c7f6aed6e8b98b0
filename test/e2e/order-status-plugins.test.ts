import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { startFakeKuaidi100, type FakeKuaidi100 } from '../../plugins/logistics-kuaidi100/test/fake-kuaidi100.js'
import { parcels } from '../../plugins/logistics-kuaidi100/test/kuaidi100-fixtures.js'
import { startFakeWooCommerce, type FakeWooCommerce } from '../../plugins/erp-woocommerce/test/fake-woocommerce.js'
import { shopOrders } from '../../plugins/erp-woocommerce/test/woo-fixtures.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const root = join(import.meta.dirname, '../..')
const actor = systemActor('test')
const ORDER = '2026111812345'
const FLOW = 'Order status bot 订单查询'
const key = {
  consumerKey: 'ck_e2e0000000000000000000000000000000000000',
  consumerSecret: 'cs_e2e0000000000000000000000000000000000000',
}
const account = { customer: 'E2ECUSTOMER0000000000000000000000', key: 'e2eKey000000' }

/**
 * The issue's end-to-end promise: the order-status example flow answers with the order's real
 * state from the shop and the parcel's position from the carrier, through the first-party ERP
 * and logistics plugins running in the sandbox, each talking to a local server that speaks the
 * real service's protocol (WooCommerce REST v3 with OAuth 1.0a over http; Kuaidi100's signed query).
 */
describe('order-status flow through sandboxed plugins', () => {
  let t: TestApp
  let admin: string
  let shop: FakeWooCommerce
  let kuaidi100: FakeKuaidi100
  const builds: Array<{ remove(): void }> = []

  beforeAll(async () => {
    // the shop's order 1001 (顺丰, waybill SF1234567890123, phone …5678) under a 13-digit number
    const order = { ...shopOrders[0]!, id: Number(ORDER), number: ORDER }
    shop = await startFakeWooCommerce({ orders: [order], keys: [{ ...key, permissions: 'read' }] })
    kuaidi100 = await startFakeKuaidi100({ accounts: [account], parcels })
    t = await createTestApp()
    await t.app.services.plugins.start()
    admin = (await t.tokenFor('admin')).token
    for (const name of ['erp-woocommerce', 'logistics-kuaidi100']) {
      const built = await builtPluginCopy(join(root, 'plugins', name))
      builds.push(built)
      await t.app.services.plugins.install({ dir: built.dir }, { actor })
    }
    await t.app.services.plugins.configure(
      'erp-woocommerce',
      { config: { baseUrl: shop.url, statusLanguage: 'zh-CN' }, secrets: key },
      actor,
    )
    await t.app.services.plugins.configure(
      'logistics-kuaidi100',
      { config: { apiBase: kuaidi100.url, autoNumberBase: kuaidi100.url }, secrets: account },
      actor,
    )
    const flow = JSON.parse(readFileSync(join(root, 'examples/flows/order-status.json'), 'utf8'))
    const imported = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/flows/import',
      headers: bearer(admin),
      payload: { flow, publish: true },
    })
    expect(imported.statusCode, imported.payload).toBe(201)
  }, 180_000)

  afterAll(async () => {
    await t?.close()
    await shop?.close()
    await kuaidi100?.close()
    for (const b of builds) b.remove()
  })

  const post = async (url: string, payload: unknown) => {
    const res = await t.app.server.inject({ method: 'POST', url, headers: bearer(admin), payload: payload as never })
    expect(res.statusCode, res.payload).toBeLessThan(300)
    return JSON.parse(res.payload) as { runId: string; status: string; outputs: Array<{ kind: string; text?: string }> }
  }
  const texts = (turn: { outputs: Array<{ kind: string; text?: string }> }) =>
    turn.outputs.filter((o) => o.kind === 'message').map((o) => o.text ?? '')

  it("answers with the shop's order state and the carrier's latest scan", async () => {
    const start = await post('/api/v1/runs', { flow: FLOW, channel: 'text' })
    expect(texts(start).join('\n')).toContain('请问有什么可以帮您')
    const turn = await post(`/api/v1/runs/${start.runId}/events`, {
      kind: 'input',
      text: `我的快递到哪了？订单号 ${ORDER}`,
    })
    const reply = texts(turn).join('\n')
    // the shop says processing with a tracking number: shipped; the parcel was delivered (签收)
    expect(reply).toContain(`您的订单 ${ORDER} 已发货`)
    expect(reply).toContain('顺丰速运')
    expect(reply).toContain('SF1234567890123')
    expect(reply).toMatch(/物流状态：.*签收/)
    expect(reply).toContain('您的快件已签收')
    // both services were really asked, through the sandboxed plugins
    expect(shop.requests.some((r) => r.path.includes(`/orders/${ORDER}`))).toBe(true)
    expect(kuaidi100.requests.length).toBeGreaterThan(0)
  })

  it('an unknown order number is not found in the shop, and the flow says so', async () => {
    const start = await post('/api/v1/runs', { flow: FLOW, channel: 'text' })
    const turn = await post(`/api/v1/runs/${start.runId}/events`, { kind: 'input', text: '查订单 2026111899999' })
    expect(texts(turn).join('\n')).toContain('没有找到订单 2026111899999')
  })

  it("screen pop: the contact's orders from the shop fill the ERP plugin's panel", async () => {
    const contact = await t.app.services.contacts.create({ name: '张伟', phone: '138 1234 5678' })
    const res = await t.app.server.inject({
      method: 'GET',
      url: `/api/v1/contacts/${contact.id}/panels`,
      headers: bearer(admin),
    })
    expect(res.statusCode, res.payload).toBe(200)
    const panels = JSON.parse(res.payload) as Array<{
      plugin: string
      id: string
      layout: string
      data: unknown
      error: unknown
    }>
    const orders = panels.find((p) => p.plugin === 'erp-woocommerce' && p.id === 'recentOrders')
    expect(orders).toMatchObject({ layout: 'table', error: null })
    expect(orders!.data).toEqual([expect.objectContaining({ number: ORDER, state: 'shipped' })])
  })

  it('the shop being down takes the flow to its apology, not a crash', async () => {
    await t.app.services.plugins.configure('erp-woocommerce', { config: { baseUrl: 'http://127.0.0.1:9' } }, actor)
    const start = await post('/api/v1/runs', { flow: FLOW, channel: 'text' })
    const turn = await post(`/api/v1/runs/${start.runId}/events`, { kind: 'input', text: '订单 2026111800001 到哪了' })
    expect(texts(turn).join('\n')).toContain('订单系统暂时无法查询')
  })
})
