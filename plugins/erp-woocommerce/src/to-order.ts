import type { Order } from '@switchboard/plugin-sdk/runtime'
import type { WooContext } from './context.js'
import { orderStatus } from './order-status.js'
import { adminOrderUrl } from './shop-url.js'
import type { WooAddress, WooOrder } from './woo-order.js'

const cjk = /[\u3400-\u9fff\uf900-\ufaff]/

/** "First Last", or "姓名" (family name first, no space) when the name is Chinese. */
function personName(address: WooAddress | undefined): string | undefined {
  const first = address?.first_name?.trim() ?? ''
  const last = address?.last_name?.trim() ?? ''
  if (!first && !last) return undefined
  return cjk.test(first + last) ? `${last}${first}` : [first, last].filter(Boolean).join(' ')
}

/** The parcels recorded by the Shipment Tracking extension (and Advanced Shipment Tracking) in order meta. */
function shipments(order: WooOrder): Order['shipments'] {
  const meta = order.meta_data?.find((m) => m.key === '_wc_shipment_tracking_items')
  if (!Array.isArray(meta?.value)) return []
  const result: Order['shipments'] = []
  for (const item of meta.value as Array<Record<string, unknown>>) {
    const waybill = typeof item?.tracking_number === 'string' ? item.tracking_number.trim() : ''
    if (!waybill) continue
    const provider = [item.tracking_provider, item.custom_tracking_provider].find(
      (p): p is string => typeof p === 'string' && p.trim() !== '',
    )
    result.push(provider ? { carrier: provider.trim(), waybill } : { waybill })
  }
  return result
}

/** ISO 8601 in UTC from WooCommerce's `date_created_gmt` ("2026-11-14T09:30:00", no zone). */
function createdAt(order: WooOrder): string {
  const gmt = order.date_created_gmt
  if (gmt) return /(Z|[+-]\d\d:?\d\d)$/.test(gmt) ? gmt : `${gmt}Z`
  return order.date_created ?? ''
}

function compact<T extends Record<string, unknown>>(value: T): T | undefined {
  const kept = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== ''))
  return Object.keys(kept).length > 0 ? (kept as T) : undefined
}

/**
 * Turns a WooCommerce order into the SDK's `Order`: state mapped from the status, money as the
 * order's own strings and currency, customer from the billing address, parcels from the
 * Shipment Tracking meta, and a link to the order in wp-admin.
 *
 * @example
 * ```ts
 * const order = toOrder(ctx, await answer.data)
 * ```
 */
export function toOrder(ctx: WooContext, order: WooOrder): Order {
  const parcels = shipments(order)
  const total = order.total === undefined ? '0.00' : String(order.total)
  return {
    number: order.number ? String(order.number) : String(order.id),
    ...orderStatus(order.status, parcels.length > 0, ctx.config.statusLanguage),
    createdAt: createdAt(order),
    total: { amount: total, currency: order.currency ?? '' },
    items: (order.line_items ?? []).map((item) => ({
      name: item.name ?? '',
      quantity: typeof item.quantity === 'number' ? item.quantity : 0,
      ...(item.sku ? { sku: item.sku } : {}),
    })),
    customer: compact({
      name: personName(order.billing) ?? personName(order.shipping),
      phone: order.billing?.phone?.trim() || order.shipping?.phone?.trim() || undefined,
      email: order.billing?.email?.trim() || undefined,
    }),
    shipments: parcels,
    url: adminOrderUrl(ctx, order.id),
  }
}
