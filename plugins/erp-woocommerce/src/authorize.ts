import { base64Utf8 } from './base64.js'
import type { WooContext } from './context.js'
import { signOAuth1 } from './oauth1.js'
import { toQueryString } from './query-string.js'
import { shopUrl } from './shop-url.js'

/** A request ready to send: the full URL with its query, and the headers that carry the keys. */
export interface AuthorizedRequest {
  url: string
  headers: Record<string, string>
}

/**
 * Builds an authenticated GET to `/wp-json/wc/v3<path>` the way WooCommerce accepts it: over
 * https, HTTP Basic with the consumer key and secret (or both as query parameters when the admin
 * asked for it); over plain http, where WooCommerce ignores those, an OAuth 1.0a signature.
 *
 * @example
 * ```ts
 * const { url, headers } = await authorize(ctx, '/orders', { search: '1001', per_page: '10' })
 * ```
 */
export async function authorize(
  ctx: WooContext,
  path: string,
  params: Record<string, string>,
): Promise<AuthorizedRequest> {
  const endpoint = `${shopUrl(ctx)}/wp-json/wc/v3${path}`
  const withQuery = (query: Record<string, string>) =>
    Object.keys(query).length > 0 ? `${endpoint}?${toQueryString(query)}` : endpoint
  const { consumerKey, consumerSecret } = ctx.secrets
  if (!/^https:/i.test(endpoint)) return { url: withQuery(await signOAuth1(ctx, 'GET', endpoint, params)), headers: {} }
  if (ctx.config.keysInQuery)
    return { url: withQuery({ ...params, consumer_key: consumerKey, consumer_secret: consumerSecret }), headers: {} }
  return {
    url: withQuery(params),
    headers: { authorization: `Basic ${base64Utf8(`${consumerKey}:${consumerSecret}`)}` },
  }
}
