import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')

/**
 * What the customer panel reads beside the suggestions: the contact's history on every channel
 * with its tickets, the plugin panels (from the cache when hot, with when they were loaded, and
 * loaded again on refresh), and finding another contact to merge.
 */
describe('screen pop: history, plugin panels, contact search', () => {
  let t: TestApp
  let agent: string
  let built: { dir: string; remove(): void }
  let msLi: string

  beforeAll(async () => {
    t = await createTestApp()
    await t.app.services.plugins.start()
    built = await builtPluginCopy(join(import.meta.dirname, '../../plugins/demo-shop'))
    await t.app.services.plugins.install({ dir: built.dir }, { actor })
    const agentUser = await t.tokenFor('agent')
    agent = agentUser.token
    await t.app.db.user.update({ where: { id: agentUser.userId }, data: { name: '李娜' } })
    const contact = await t.app.services.contacts.create({
      name: '李女士',
      phone: '+86 138 0013 8000',
      email: 'li.customer@example.com',
      identities: [{ channel: 'phone', address: '+86 138 0013 8000', verified: true }],
    })
    msLi = contact.id
    const old = await t.app.db.conversation.create({
      data: {
        contactId: msLi,
        channel: 'voice',
        status: 'resolved',
        lastAgentId: agentUser.userId,
        createdAt: new Date(Date.now() - 86_400_000 * 3),
        messageSeq: 2,
      },
    })
    await t.app.db.message.createMany({
      data: [
        { conversationId: old.id, channel: 'voice', direction: 'outbound', body: '您好', seq: 1 },
        {
          conversationId: old.id,
          channel: 'voice',
          direction: 'inbound',
          body: '我想查一下\n订单 2026111812345 的物流',
          seq: 2,
        },
      ],
    })
    const now = await t.app.db.conversation.create({
      data: { contactId: msLi, channel: 'webchat', status: 'assigned' },
    })
    await t.app.db.ticket.create({
      data: {
        subject: '口红漏液 — 换货',
        priority: 'high',
        contactId: msLi,
        conversationId: now.id,
        statusToken: 'screen-pop-ticket',
      },
    })
  }, 120_000)
  afterAll(async () => {
    await t?.close()
    built?.remove()
  })

  const call = async (url: string) => {
    const res = await t.app.server.inject({ method: 'GET', url, headers: bearer(agent) })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }

  it("lists the contact's conversations on every channel, newest first, with their first line, and the tickets", async () => {
    const res = await call(`/api/v1/contacts/${msLi}/history`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.conversations.map((c: { channel: string }) => c.channel)).toEqual(['webchat', 'voice'])
    expect(res.body.conversations[1]).toMatchObject({
      status: 'resolved',
      firstLine: '我想查一下 订单 2026111812345 的物流',
      messageCount: 2,
      agentName: '李娜',
    })
    expect(res.body.tickets).toEqual([
      expect.objectContaining({ subject: '口红漏液 — 换货', status: 'open', priority: 'high' }),
    ])
    expect((await call('/api/v1/contacts/nope/history')).status).toBe(404)
  })

  it("fills the demo shop's order table and parcel timeline, from the cache until refreshed", async () => {
    const first = await call(`/api/v1/contacts/${msLi}/panels`)
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    const orders = first.body.find((p: { id: string }) => p.id === 'orders')
    expect(orders).toMatchObject({ plugin: 'demo-shop', layout: 'table', error: null, cacheSeconds: 60 })
    expect(orders.data.map((o: { number: string }) => o.number)).toEqual([
      '2026111812346',
      '2026111812345',
      '2026111700042',
    ])
    const tracking = first.body.find((p: { id: string }) => p.id === 'tracking')
    expect(tracking.layout).toBe('timeline')
    expect(tracking.data[0]).toMatchObject({ waybill: 'SF1423456789012', text: '快件已到达【上海浦东集散中心】' })

    await new Promise((r) => setTimeout(r, 30))
    const cached = await call(`/api/v1/contacts/${msLi}/panels`)
    const cachedOrders = cached.body.find((p: { id: string }) => p.id === 'orders')
    expect(cachedOrders.loadedAt).toBe(orders.loadedAt)
    const refreshed = await call(`/api/v1/contacts/${msLi}/panels?refresh=true`)
    const fresh = refreshed.body.find((p: { id: string }) => p.id === 'orders')
    expect(Date.parse(fresh.loadedAt)).toBeGreaterThan(Date.parse(orders.loadedAt))
    expect(fresh.data).toEqual(orders.data)
  })

  it('finds contacts by a part of the name, phone or email', async () => {
    await t.app.services.contacts.create({
      name: 'Li Wei (WeChat)',
      identities: [{ channel: 'wechat', address: 'oLi01' }],
    })
    const byName = await call(`/api/v1/contacts?q=${encodeURIComponent('李女')}`)
    expect(byName.body.map((c: { id: string }) => c.id)).toEqual([msLi])
    expect((await call('/api/v1/contacts?q=0013%208000')).body.map((c: { id: string }) => c.id)).toEqual([msLi])
    expect((await call('/api/v1/contacts?q=LI.CUSTOMER')).body.map((c: { id: string }) => c.id)).toEqual([msLi])
    expect((await call('/api/v1/contacts?q=wechat')).body.map((c: { name: string }) => c.name)).toEqual([
      'Li Wei (WeChat)',
    ])
  })
})
