import { z } from 'zod'

/** Order states every ERP plugin maps its own statuses onto, so flows branch on one vocabulary. */
export const orderStates = [
  'pending',
  'paid',
  'processing',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunded',
  'on-hold',
  'failed',
] as const

/**
 * An order as flows and the console see it, whatever shop or ERP it came from.
 *
 * @example
 * ```ts
 * const order: Order = { number: '12345', state: 'shipped', stateText: 'Shipped', createdAt: '2026-11-14T09:30:00Z',
 *   total: { amount: '299.00', currency: 'CNY' }, items: [{ name: 'Lipstick', quantity: 1 }], shipments: [] }
 * ```
 */
export const order = z.object({
  number: z.string(),
  state: z.enum(orderStates),
  /** the shop's own status text, for people */
  stateText: z.string(),
  createdAt: z.string().describe('ISO 8601'),
  total: z.object({ amount: z.string(), currency: z.string() }),
  items: z.array(z.object({ name: z.string(), quantity: z.number(), sku: z.string().optional() })),
  customer: z
    .object({ name: z.string().optional(), phone: z.string().optional(), email: z.string().optional() })
    .optional(),
  shipments: z.array(z.object({ carrier: z.string().optional(), waybill: z.string() })),
  url: z.string().optional().describe('where staff open the order in the shop'),
})
export type Order = z.infer<typeof order>

/** `erp-orders`: look up orders by number or by the customer's phone or email. */
export const erpOrders = {
  name: 'erp-orders',
  alias: 'erp',
  title: { en: 'Orders (ERP / shop)', 'zh-CN': '订单（ERP/商城）' },
  methods: {
    getOrder: {
      input: z.object({ orderNumber: z.string().min(1).max(64).describe('the order number the customer sees') }),
      output: order.nullable(),
    },
    findOrders: {
      input: z.object({
        phone: z.string().max(32).optional().describe("the customer's phone number, any format"),
        email: z.string().max(200).optional().describe("the customer's email address"),
        limit: z.number().int().min(1).max(50).default(5).describe('at most this many orders, newest first'),
      }),
      output: z.array(order),
    },
  },
} as const
