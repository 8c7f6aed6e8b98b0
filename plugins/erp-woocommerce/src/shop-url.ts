import type { WooContext } from './context.js'

/** The shop's address from the config, without a trailing slash. */
export function shopUrl(ctx: WooContext): string {
  return ctx.config.baseUrl.replace(/\/+$/, '')
}

/** Where staff open an order in wp-admin (WooCommerce redirects it to the HPOS screen when that is on). */
export function adminOrderUrl(ctx: WooContext, orderId: number): string {
  return `${shopUrl(ctx)}/wp-admin/post.php?post=${orderId}&action=edit`
}
