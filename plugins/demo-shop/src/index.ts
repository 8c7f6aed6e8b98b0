import { defineHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'
import { orders, parcels } from './sample-data.js'

const digits = (text: string | undefined) => (text ?? '').replace(/\D/g, '')

/** A contact's sample orders, newest first, found by the last digits of the phone or by email. */
function ordersOf(contact: { phone?: string; email?: string }) {
  const wanted = digits(contact.phone).slice(-11)
  const email = contact.email?.toLowerCase()
  return orders
    .filter(
      (o) =>
        (wanted.length >= 7 && digits(o.customer?.phone).endsWith(wanted)) ||
        (email !== undefined && o.customer?.email?.toLowerCase() === email),
    )
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
}

export default defineHandlers<typeof definition>({
  actions: {
    async getOrder({ orderNumber }) {
      return orders.find((o) => o.number === orderNumber.trim()) ?? null
    },
    async findOrders({ phone, email, limit }) {
      const wanted = digits(phone).slice(-11)
      return orders
        .filter(
          (o) =>
            (wanted.length >= 7 && digits(o.customer?.phone).endsWith(wanted)) ||
            (email !== undefined && o.customer?.email?.toLowerCase() === email.toLowerCase()),
        )
        .slice(0, limit)
    },
    async track({ waybill }) {
      return parcels.find((p) => p.waybill === waybill.replace(/\s+/g, '')) ?? null
    },
    async recentOrders({ contact }) {
      return ordersOf(contact).slice(0, 5)
    },
    async parcelScans({ contact }) {
      // the newest order that has a parcel, and that parcel's scans
      for (const order of ordersOf(contact)) {
        const parcel = parcels.find((p) => order.shipments.some((s) => s.waybill === p.waybill))
        if (parcel)
          return parcel.events.map((e) => ({
            ...e,
            waybill: parcel.waybill,
            carrier: order.shipments[0]?.carrier ?? parcel.carrier,
            stateText: parcel.stateText,
            order: order.number,
          }))
      }
      return []
    },
  },
})
