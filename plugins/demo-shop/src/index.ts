import { defineHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'
import { orders, parcels } from './sample-data.js'

const digits = (text: string | undefined) => (text ?? '').replace(/\D/g, '')

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
  },
})
