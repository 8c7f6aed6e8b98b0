import type { Order } from '@switchboard/plugin-sdk/runtime'

type OrderState = Order['state']
type Language = 'en' | 'zh-CN'

/** WooCommerce's statuses, plus the custom ones shipment-tracking extensions add, with their labels. */
const statuses: Record<string, { state: OrderState; en: string; 'zh-CN': string }> = {
  pending: { state: 'pending', en: 'Pending payment', 'zh-CN': '待付款' },
  processing: { state: 'processing', en: 'Processing', 'zh-CN': '处理中' },
  'on-hold': { state: 'on-hold', en: 'On hold', 'zh-CN': '保留' },
  completed: { state: 'completed', en: 'Completed', 'zh-CN': '已完成' },
  cancelled: { state: 'cancelled', en: 'Cancelled', 'zh-CN': '已取消' },
  refunded: { state: 'refunded', en: 'Refunded', 'zh-CN': '已退款' },
  failed: { state: 'failed', en: 'Failed', 'zh-CN': '失败' },
  'checkout-draft': { state: 'pending', en: 'Draft', 'zh-CN': '草稿' },
  trash: { state: 'cancelled', en: 'Trash', 'zh-CN': '已删除' },
  shipped: { state: 'shipped', en: 'Shipped', 'zh-CN': '已发货' },
  'partial-shipped': { state: 'shipped', en: 'Partially shipped', 'zh-CN': '部分发货' },
  delivered: { state: 'delivered', en: 'Delivered', 'zh-CN': '已送达' },
}

/**
 * Maps a WooCommerce order status onto the SDK's order states, with the status text agents see.
 * A "processing" order that already has a tracking number is reported as shipped; a status this
 * table does not know (one a plugin registered) counts as processing and keeps its own name.
 *
 * @example
 * ```ts
 * orderStatus('on-hold', false, 'zh-CN') // { state: 'on-hold', stateText: '保留' }
 * ```
 */
export function orderStatus(
  status: string | undefined,
  hasShipments: boolean,
  language: Language,
): { state: OrderState; stateText: string } {
  const slug = (status ?? '').replace(/^wc-/, '')
  const known = statuses[slug]
  if (!known) return { state: 'processing', stateText: slug.replace(/[-_]+/g, ' ') || 'unknown' }
  if (slug === 'processing' && hasShipments)
    return { state: 'shipped', stateText: language === 'en' ? 'Processing (shipped)' : '处理中（已发货）' }
  return { state: known.state, stateText: known[language] }
}
