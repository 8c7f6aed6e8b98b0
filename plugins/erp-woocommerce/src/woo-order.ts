/** The parts of a WooCommerce REST API v3 order this plugin reads (all fields may be missing). */
export interface WooOrder {
  id: number
  number?: string
  status?: string
  currency?: string
  date_created?: string | null
  date_created_gmt?: string | null
  total?: string | number
  billing?: WooAddress
  shipping?: WooAddress
  line_items?: Array<{ name?: string; quantity?: number; sku?: string | null }>
  meta_data?: Array<{ id?: number; key?: string; value?: unknown }>
}

/** A billing or shipping address of an order. */
export interface WooAddress {
  first_name?: string
  last_name?: string
  email?: string
  phone?: string
}

/** True for a value shaped like an order (an object with a numeric id). */
export function isWooOrder(value: unknown): value is WooOrder {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'number'
}

/** The orders in a list answer, ignoring anything that is not an order. */
export function wooOrders(value: unknown): WooOrder[] {
  return Array.isArray(value) ? value.filter(isWooOrder) : []
}
