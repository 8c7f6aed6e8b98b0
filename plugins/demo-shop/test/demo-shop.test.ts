import { createTestHarness } from '@switchboard/plugin-sdk/testing'
import { describe, expect, it } from 'vitest'
import definition from '../plugin.definition.js'
import handlers from '../src/index.js'

describe('demo-shop plugin', () => {
  const shop = createTestHarness({ definition, handlers })

  it('finds the sample orders by number, phone (any format) or email, and nothing else', async () => {
    expect(await shop.callAction('getOrder', { orderNumber: '2026111812345' })).toMatchObject({ state: 'shipped' })
    expect(await shop.callAction('getOrder', { orderNumber: '404' })).toBeNull()
    expect(await shop.callAction('findOrders', { phone: '138 0013 8000' })).toHaveLength(3)
    expect(await shop.callAction('findOrders', { email: 'LI.customer@example.com', limit: 1 })).toHaveLength(1)
    expect(await shop.callAction('findOrders', { phone: '8000' })).toEqual([])
  })

  it('tracks the parcel of a shipped order', async () => {
    const order = (await shop.callAction('getOrder', { orderNumber: '2026111812345' })) as {
      shipments: Array<{ waybill: string }>
    }
    const parcel = await shop.callAction('track', { waybill: order.shipments[0]!.waybill })
    expect(parcel).toMatchObject({ state: 'in-transit', lastEvent: { location: '上海' } })
    expect(await shop.callAction('track', { waybill: 'NOPE123456' })).toBeNull()
  })

  it("fills the profile panels: the contact's orders, newest first, and the latest parcel's scans", async () => {
    const contact = { phone: '+86 138 0013 8000' }
    const orders = (await shop.callAction('recentOrders', { contact })) as Array<{ number: string }>
    expect(orders.map((o) => o.number)).toEqual(['2026111812346', '2026111812345', '2026111700042'])
    const scans = (await shop.callAction('parcelScans', { contact })) as Array<{ waybill: string; order: string }>
    expect(scans).toHaveLength(3)
    expect(scans[0]).toMatchObject({ waybill: 'SF1423456789012', order: '2026111812345', stateText: '运输中' })
    expect(await shop.callAction('parcelScans', { contact: { email: 'nobody@example.com' } })).toEqual([])
  })
})
