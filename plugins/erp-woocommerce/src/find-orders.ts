import type { Order } from '@switchboard/plugin-sdk/runtime'
import type { ActionInput, WooContext } from './context.js'
import { phoneDigits, samePhone, searchablePhone } from './phone-match.js'
import { toOrder } from './to-order.js'
import { wooGet } from './woo-client.js'
import { wooOrders, type WooOrder } from './woo-order.js'

function newestFirst(a: WooOrder, b: WooOrder): number {
  const byDate = (b.date_created_gmt ?? '').localeCompare(a.date_created_gmt ?? '')
  return byDate !== 0 ? byDate : b.id - a.id
}

/**
 * `erp-orders.findOrders`: the customer's most recent orders, newest first. WooCommerce's
 * `search` is a substring match over addresses, emails, phones and items, so every hit is
 * checked: the billing email must equal the one asked for, or a billing/shipping phone must be
 * the same number. A phone is searched as digits first and, when that finds fewer than `limit`,
 * by its last four digits too: shops keep numbers as customers typed them ("138 1234 5678").
 * Without a phone or email there is nothing to match: [].
 *
 * @example
 * ```ts
 * await findOrders(ctx, { email: 'li.na@example.com', limit: 5 })
 * ```
 */
export async function findOrders(ctx: WooContext, input: ActionInput<'findOrders'>): Promise<Order[]> {
  const found = new Map<number, WooOrder>()
  const perPage = String(Math.min(100, Math.max(input.limit * 2, 10)))
  const search = async (term: string, matches: (order: WooOrder) => boolean): Promise<number> => {
    const answer = await wooGet(ctx, '/orders', { search: term, per_page: perPage })
    const hits = wooOrders(answer?.data).filter(matches)
    for (const order of hits) found.set(order.id, order)
    return hits.length
  }

  const email = input.email?.trim().toLowerCase()
  if (email) await search(email, (order) => order.billing?.email?.trim().toLowerCase() === email)

  const digits = phoneDigits(input.phone)
  if (digits.length >= 7) {
    const matches = (order: WooOrder) =>
      samePhone(order.billing?.phone, digits) || samePhone(order.shipping?.phone, digits)
    const hits = await search(searchablePhone(digits), matches)
    if (hits < input.limit) await search(digits.slice(-4), matches)
  }

  return [...found.values()]
    .sort(newestFirst)
    .slice(0, input.limit)
    .map((order) => toOrder(ctx, order))
}
