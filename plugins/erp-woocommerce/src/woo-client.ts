import { pluginError, type PluginResponse } from '@switchboard/plugin-sdk/runtime'
import { authorize } from './authorize.js'
import type { WooContext } from './context.js'
import { fetchFailed, wooErrorCodes } from './errors.js'
import { shopUrl } from './shop-url.js'

/** A successful answer: the parsed JSON body and the response headers (lower-case names). */
export interface WooAnswer {
  data: unknown
  headers: Record<string, string>
}

/** The WordPress REST error body: `{ code, message, data: { status } }`. */
function restError(body: unknown): { code: string; message: string } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown }
  const text = typeof b.message === 'string' ? b.message.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ') : ''
  return { code: typeof b.code === 'string' ? b.code : 'unknown', message: text.trim().slice(0, 300) }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** What a status other than 2xx means for the caller. */
function failure(status: number, body: unknown, shop: string): Error {
  const { code, message } = restError(body)
  const details = { status, code, message }
  if (status === 401 || status === 403)
    return pluginError(
      wooErrorCodes.authFailed,
      `WooCommerce refused the API keys (${status} ${code}: ${message}). Check the consumer key and secret, that the key has Read permission, and that its user may manage orders.`,
      { retryable: false, details },
    )
  if (status === 404)
    return pluginError(
      wooErrorCodes.notWooCommerce,
      `${shop} does not answer the WooCommerce REST API (${status} ${code}). Check baseUrl and that WordPress permalinks are not "Plain".`,
      { retryable: false, details },
    )
  if (status === 408 || status === 429 || status >= 500)
    return pluginError(wooErrorCodes.unavailable, `WooCommerce at ${shop} failed (${status} ${code}): ${message}`, {
      retryable: true,
      details,
    })
  return pluginError(wooErrorCodes.badResponse, `WooCommerce at ${shop} answered ${status} ${code}: ${message}`, {
    retryable: false,
    details,
  })
}

/**
 * GETs a resource of the WooCommerce REST API v3 (`/wp-json/wc/v3<path>`), authenticated, within
 * the configured timeout. Resolves `null` when WooCommerce says the ID does not exist
 * (`woocommerce_rest_*_invalid_id`, 404); throws coded errors for everything else that failed.
 *
 * @example
 * ```ts
 * const answer = await wooGet(ctx, '/orders/1234')
 * if (answer === null) return null
 * ```
 */
export async function wooGet(
  ctx: WooContext,
  path: string,
  params: Record<string, string> = {},
): Promise<WooAnswer | null> {
  const shop = shopUrl(ctx)
  const request = await authorize(ctx, path, params)
  let response: PluginResponse
  let text: string
  try {
    response = await ctx.fetch(request.url, {
      method: 'GET',
      headers: { accept: 'application/json', ...request.headers },
      timeoutMs: ctx.config.timeoutMs,
    })
    text = await response.text()
  } catch (error) {
    throw fetchFailed(error, shop)
  }
  const body = parseJson(text)
  if (response.status === 404 && /_invalid_id$/.test(restError(body).code)) return null
  if (!response.ok) throw failure(response.status, body, shop)
  if (body === undefined)
    throw pluginError(wooErrorCodes.badResponse, `WooCommerce at ${shop} answered ${response.status} without JSON`, {
      retryable: false,
      details: { status: response.status, body: text.slice(0, 200) },
    })
  return { data: body, headers: response.headers }
}
