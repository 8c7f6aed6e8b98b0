import type { Order } from '@switchboard/plugin-sdk/runtime'
import type { ActionInput, WooContext } from './context.js'
import { toOrder } from './to-order.js'
import { wooGet } from './woo-client.js'
import { isWooOrder, wooOrders, type WooOrder } from './woo-order.js'

/** How long a looked-up order (or its absence) is reused; the action's cacheSeconds says the same to the host. */
export const orderCacheSeconds = 60

/** "#1001", " 1001 " and "＃1001" all mean order 1001. */
export function normalizeOrderNumber(raw: string): string {
  return raw.trim().replace(/^[#＃]\s*/, '')
}

function sameNumber(order: WooOrder, wanted: string): boolean {
  return normalizeOrderNumber(order.number ?? String(order.id)).toLowerCase() === wanted.toLowerCase()
}

/**
 * The order whose number is `wanted`. Shops that keep WooCommerce's numbering have number = ID,
 * found with one GET /orders/{id}; shops with custom numbers (a sequential-numbers extension,
 * "WC-1001") are searched with GET /orders?search=, which those extensions hook into, and only an
 * exact number match counts.
 */
async function findByNumber(ctx: WooContext, wanted: string): Promise<WooOrder | null> {
  if (/^\d{1,19}$/.test(wanted)) {
    const byId = await wooGet(ctx, `/orders/${wanted}`)
    if (byId && isWooOrder(byId.data) && sameNumber(byId.data, wanted)) return byId.data
  }
  const answer = await wooGet(ctx, '/orders', { search: wanted, per_page: '20' })
  return wooOrders(answer?.data).find((order) => sameNumber(order, wanted)) ?? null
}

function isCached(value: unknown): value is { order: Order | null } {
  return typeof value === 'object' && value !== null && 'order' in value
}

/**
 * `erp-orders.getOrder`: one order by the number the customer sees, or null when the shop has
 * none. Answers (found or not) are cached for a minute, keyed by the normalised number.
 *
 * @example
 * ```ts
 * await getOrder(ctx, { orderNumber: '#1001' }) // { number: '1001', state: 'processing', … }
 * ```
 */
export async function getOrder(ctx: WooContext, input: ActionInput<'getOrder'>): Promise<Order | null> {
  const wanted = normalizeOrderNumber(input.orderNumber)
  if (!wanted) return null
  const cacheKey = `order:${wanted.toLowerCase()}`
  const cached = await ctx.cache.get(cacheKey)
  if (isCached(cached)) return cached.order
  const found = await findByNumber(ctx, wanted)
  const order = found ? toOrder(ctx, found) : null
  await ctx.cache.set(cacheKey, { order }, orderCacheSeconds)
  ctx.log.debug('order looked up', { found: order !== null })
  return order
}
