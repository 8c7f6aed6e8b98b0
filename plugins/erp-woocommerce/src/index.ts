import { defineHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'
import { findOrders } from './find-orders.js'
import { getOrder } from './get-order.js'
import { healthCheck } from './health-check.js'

/** The WooCommerce plugin's handlers; they run in the sandbox and reach the shop only through ctx.fetch. */
export default defineHandlers<typeof definition>({
  actions: {
    getOrder: (input, ctx) => getOrder(ctx, input),
    findOrders: (input, ctx) => findOrders(ctx, input),
    recentOrders: ({ contact }, ctx) => findOrders(ctx, { phone: contact.phone, email: contact.email, limit: 5 }),
  },
  healthCheck,
})
