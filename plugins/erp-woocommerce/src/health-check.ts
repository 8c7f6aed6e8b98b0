import { isPluginError } from '@switchboard/plugin-sdk/runtime'
import type { WooContext } from './context.js'
import { shopUrl } from './shop-url.js'
import { wooGet } from './woo-client.js'

/**
 * Checks the saved configuration the way the actions will use it: one authenticated
 * GET /orders?per_page=1. Reports what is wrong instead of throwing, for the admin page.
 *
 * @example
 * ```ts
 * await healthCheck(ctx)
 * // { ok: true, message: 'Connected to https://shop.example.com: the keys can read orders (42 orders).' }
 * ```
 */
export async function healthCheck(ctx: WooContext): Promise<{ ok: boolean; message?: string }> {
  try {
    const answer = await wooGet(ctx, '/orders', { per_page: '1' })
    const total = answer?.headers['x-wp-total']
    return {
      ok: true,
      message: `Connected to ${shopUrl(ctx)}: the keys can read orders${total ? ` (${total} orders)` : ''}.`,
    }
  } catch (error) {
    if (isPluginError(error)) return { ok: false, message: `${error.code}: ${error.message}` }
    throw error
  }
}
