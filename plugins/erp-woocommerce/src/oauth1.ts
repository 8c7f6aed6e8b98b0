import type { WooContext } from './context.js'
import { encodeRfc3986 } from './query-string.js'

/**
 * Signs a request with OAuth 1.0a "one-legged" (RFC 5849 without a token), which WooCommerce
 * requires when the shop is plain http: HMAC-SHA256 over the method, the URL and every query
 * parameter, keyed with the consumer secret followed by "&". Returns the parameters to send,
 * the request's own plus the oauth_* ones and the signature.
 *
 * @example
 * ```ts
 * const query = await signOAuth1(ctx, 'GET', 'http://shop.test/wp-json/wc/v3/orders', { per_page: '1' })
 * ```
 */
export async function signOAuth1(
  ctx: WooContext,
  method: 'GET',
  url: string,
  params: Record<string, string>,
): Promise<Record<string, string>> {
  const nonce = (await ctx.crypto.randomId()).replace(/[^A-Za-z0-9]/g, '')
  const all: Record<string, string> = {
    ...params,
    oauth_consumer_key: ctx.secrets.consumerKey,
    oauth_nonce: nonce,
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
  }
  const normalized = Object.keys(all)
    .sort()
    .map((key) => `${encodeRfc3986(key)}=${encodeRfc3986(all[key]!)}`)
    .join('&')
  const baseString = `${method}&${encodeRfc3986(url)}&${encodeRfc3986(normalized)}`
  const signature = await ctx.crypto.hmacSha256(`${ctx.secrets.consumerSecret}&`, baseString, 'base64')
  return { ...all, oauth_signature: signature }
}
