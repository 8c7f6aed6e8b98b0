/**
 * A text shown to people, in both languages Switchboard ships with.
 *
 * @example
 * ```ts
 * const title: Localized = { en: 'WooCommerce orders', 'zh-CN': 'WooCommerce 订单' }
 * ```
 */
export interface Localized {
  en: string
  'zh-CN': string
}
