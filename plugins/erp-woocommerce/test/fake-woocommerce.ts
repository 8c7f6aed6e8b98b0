import { createHmac } from 'node:crypto'
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { ShopOrder } from './woo-fixtures.js'

/**
 * A local WooCommerce shop that speaks the REST API v3 the way WooCommerce does
 * (woocommerce/includes/rest-api, class WC_REST_Authentication):
 *
 * - over https (`tls` given): HTTP Basic with the consumer key and secret, or both as
 *   `consumer_key`/`consumer_secret` query parameters;
 * - over plain http: only OAuth 1.0a "one-legged" (HMAC-SHA1/256 over method, URL and every
 *   query parameter, keyed with `<secret>&`), with a 15-minute timestamp window and nonces
 *   that may be used once; keys sent any other way are ignored;
 * - errors as WordPress REST bodies `{ code, message, data: { status } }`: 401 for bad or
 *   missing credentials, 403 for a user without access, `woocommerce_rest_shop_order_invalid_id`
 *   for an unknown order, `rest_no_route` for an unknown route, `rest_invalid_param`;
 * - `GET /orders?search=` as a case-insensitive substring match over the billing and shipping
 *   addresses, emails, phones, item names, the ID (numeric terms) and `_order_number` (the meta
 *   a sequential-order-numbers extension adds to the search fields); trash excluded.
 */

/** A REST API key as WooCommerce stores it (WooCommerce › Settings › Advanced › REST API). */
export interface FakeApiKey {
  consumerKey: string
  consumerSecret: string
  permissions: 'read' | 'write' | 'read_write'
  /** false for a key whose WordPress user may not see orders (a 403) */
  userCanViewOrders?: boolean
}

export interface FakeWooOptions {
  orders: ShopOrder[]
  keys: FakeApiKey[]
  /** serve https with this certificate, as a shop with TLS does */
  tls?: { key: string; cert: string }
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  auth: 'basic' | 'query-keys' | 'oauth1' | 'none'
}

export interface FakeWooCommerce {
  /** the shop's home URL, e.g. http://127.0.0.1:41234 */
  url: string
  requests: RecordedRequest[]
  /** requests whose path starts with the prefix (all when omitted) */
  count(pathPrefix?: string): number
  /** answer the next `times` requests with a WordPress fatal error (500) or another status */
  failNext(times: number, status?: number): void
  /** wait this long before answering every request */
  delayMs: number
  reset(): void
  close(): Promise<void>
}

interface WpError {
  status: number
  code: string
  message: string
  params?: Record<string, string>
}

type Auth = { kind: RecordedRequest['auth']; key?: FakeApiKey; error?: WpError }

const authError = (message: string, code = 'woocommerce_rest_authentication_error'): WpError => ({
  status: 401,
  code,
  message,
})

/** PHP's rawurlencode: RFC 3986, as WooCommerce's wc_rest_urlencode_rfc3986. */
function rawurlencode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** WC_REST_Authentication::check_oauth_signature, step by step. */
function oauthSignature(method: string, baseUri: string, params: Record<string, string>, secret: string): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'oauth_signature')
    .sort()
  const pairs = keys.map((k) => rawurlencode(`${rawurlencode(k)}=${rawurlencode(params[k]!)}`))
  const stringToSign = `${method}&${rawurlencode(baseUri)}&${pairs.join('%26')}`
  const algorithm = params.oauth_signature_method === 'HMAC-SHA1' ? 'sha1' : 'sha256'
  return createHmac(algorithm, `${secret}&`).update(stringToSign).digest('base64')
}

function searchText(order: ShopOrder): string {
  const address = (a: Record<string, unknown>) => Object.values(a).filter((v) => typeof v === 'string')
  const orderNumber = order.meta_data.find((m) => m.key === '_order_number')?.value
  return [
    ...address(order.billing),
    ...address(order.shipping),
    ...order.line_items.map((item) => item.name),
    typeof orderNumber === 'string' ? orderNumber : '',
  ]
    .join(' ')
    .toLowerCase()
}

/** Starts the fake shop on 127.0.0.1 and a free port. */
export async function startFakeWooCommerce(options: FakeWooOptions): Promise<FakeWooCommerce> {
  const secure = options.tls !== undefined
  const usedNonces = new Map<string, Set<string>>()
  const timers = new Set<NodeJS.Timeout>()
  const requests: RecordedRequest[] = []
  let failures: { times: number; status: number } = { times: 0, status: 500 }
  let baseUrl = ''

  function authenticate(req: IncomingMessage, url: URL, query: Record<string, string>): Auth {
    if (secure) {
      let key = query.consumer_key
      let secret = query.consumer_secret
      let kind: Auth['kind'] = 'query-keys'
      const header = req.headers.authorization ?? ''
      if (!(key && secret) && /^Basic /i.test(header)) {
        const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8')
        ;[key, secret] = [decoded.slice(0, decoded.indexOf(':')), decoded.slice(decoded.indexOf(':') + 1)]
        kind = 'basic'
      }
      const found = options.keys.find((k) => k.consumerKey === key)
      if (key && secret && found) {
        if (found.consumerSecret !== secret) return { kind, error: authError('Consumer secret is invalid.') }
        return { kind, key: found }
      }
    }
    return authenticateOAuth(req, url, query)
  }

  function authenticateOAuth(req: IncomingMessage, url: URL, query: Record<string, string>): Auth {
    const required = [
      'oauth_consumer_key',
      'oauth_timestamp',
      'oauth_nonce',
      'oauth_signature',
      'oauth_signature_method',
    ]
    const missing = required.filter((name) => !query[name])
    if (missing.length === required.length) return { kind: 'none' }
    if (missing.length > 0)
      return {
        kind: 'oauth1',
        error: authError(
          `Missing OAuth parameter ${missing.join(', ')}`,
          'woocommerce_rest_authentication_missing_parameter',
        ),
      }
    const key = options.keys.find((k) => k.consumerKey === query.oauth_consumer_key)
    if (!key) return { kind: 'oauth1', error: authError('Consumer key is invalid.') }
    const method = query.oauth_signature_method
    if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256')
      return { kind: 'oauth1', error: authError('Invalid signature - signature method is invalid.') }
    const expected = oauthSignature(req.method ?? 'GET', `${baseUrl}${url.pathname}`, query, key.consumerSecret)
    const given = decodeURIComponent(query.oauth_signature!.replace(/ /g, '+'))
    if (expected !== given)
      return { kind: 'oauth1', error: authError('Invalid signature - provided signature does not match.') }
    if (Math.abs(Number(query.oauth_timestamp) - Date.now() / 1000) > 15 * 60)
      return { kind: 'oauth1', error: authError('Invalid timestamp.') }
    const nonces = usedNonces.get(key.consumerKey) ?? new Set<string>()
    if (nonces.has(query.oauth_nonce!))
      return { kind: 'oauth1', error: authError('Invalid nonce - nonce has already been used.') }
    nonces.add(query.oauth_nonce!)
    usedNonces.set(key.consumerKey, nonces)
    return { kind: 'oauth1', key }
  }

  function listOrders(query: Record<string, string>): {
    status: number
    body: unknown
    headers?: Record<string, string>
  } {
    const perPage = query.per_page === undefined ? 10 : Number(query.per_page)
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100)
      return restError({
        status: 400,
        code: 'rest_invalid_param',
        message: 'Invalid parameter(s): per_page',
        params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' },
      })
    const page = Number(query.page ?? 1)
    const statuses = (query.status ?? 'any').split(',')
    const term = (query.search ?? '').trim().toLowerCase()
    const matching = options.orders
      .filter((o) => (statuses.includes('any') ? o.status !== 'trash' : statuses.includes(o.status)))
      .filter((o) => !term || searchText(o).includes(term) || (/^\d+$/.test(term) && o.id === Number(term)))
      .sort((a, b) => b.date_created_gmt.localeCompare(a.date_created_gmt) || b.id - a.id)
    if (query.order === 'asc') matching.reverse()
    return {
      status: 200,
      body: matching.slice((page - 1) * perPage, page * perPage),
      headers: {
        'x-wp-total': String(matching.length),
        'x-wp-totalpages': String(Math.ceil(matching.length / perPage)),
      },
    }
  }

  function restError(error: WpError) {
    const data: Record<string, unknown> = { status: error.status }
    if (error.params) data.params = error.params
    return { status: error.status, body: { code: error.code, message: error.message, data } }
  }

  function route(
    path: string,
    query: Record<string, string>,
    auth: Auth,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    const single = /^\/wp-json\/wc\/v3\/orders\/(\d+)\/?$/.exec(path)
    const isList = /^\/wp-json\/wc\/v3\/orders\/?$/.test(path)
    if (!single && !isList)
      return restError({
        status: 404,
        code: 'rest_no_route',
        message: 'No route was found matching the URL and request method.',
      })
    if (!auth.key || auth.key.userCanViewOrders === false)
      return restError({
        status: auth.key ? 403 : 401,
        code: 'woocommerce_rest_cannot_view',
        message: single ? 'Sorry, you cannot view this resource.' : 'Sorry, you cannot list resources.',
      })
    if (isList) return listOrders(query)
    const order = options.orders.find((o) => o.id === Number(single![1]))
    return order
      ? { status: 200, body: order }
      : restError({ status: 404, code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.' })
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    if (res.destroyed) return
    const isText = typeof body === 'string'
    res.writeHead(status, {
      'content-type': isText ? 'text/html; charset=UTF-8' : 'application/json; charset=UTF-8',
      ...headers,
    })
    res.end(isText ? body : JSON.stringify(body))
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', baseUrl)
    const query = Object.fromEntries(url.searchParams)
    const auth = authenticate(req, url, query)
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, auth: auth.kind })
    if (fake.delayMs > 0)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer)
          resolve()
        }, fake.delayMs)
        timers.add(timer)
      })
    if (failures.times > 0) {
      failures.times--
      if (failures.status === 500)
        return send(res, 500, {
          code: 'internal_server_error',
          message: '<p>There has been a critical error on this website.</p>',
          data: { status: 500 },
          additional_errors: [],
        })
      return send(
        res,
        failures.status,
        '<html><body><h1>Briefly unavailable for scheduled maintenance.</h1></body></html>',
      )
    }
    if (!url.pathname.startsWith('/wp-json/'))
      return send(res, 404, '<!doctype html><title>Page not found</title><h1>Oops! That page can’t be found.</h1>')
    // WordPress answers authentication errors before it looks at the route.
    if (auth.error) return send(res, 401, restError(auth.error).body)
    if (auth.key && req.method === 'GET' && auth.key.permissions === 'write')
      return send(res, 401, restError(authError('The API key provided does not have read permissions.')).body)
    if (req.method !== 'GET')
      return send(res, 404, restError({ status: 404, code: 'rest_no_route', message: 'No route was found.' }).body)
    const answer = route(url.pathname, query, auth)
    const unauthorized: Record<string, string> =
      answer.status === 401 && secure ? { 'www-authenticate': 'Basic realm="WooCommerce REST API"' } : {}
    send(res, answer.status, answer.body, { ...answer.headers, ...unauthorized })
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { code: 'fake_error', message: String(error) }))
  }
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `${secure ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`

  const fake: FakeWooCommerce = {
    url: baseUrl,
    requests,
    delayMs: 0,
    count: (prefix = '') => requests.filter((r) => r.path.startsWith(prefix)).length,
    failNext(times, status = 500) {
      failures = { times, status }
    },
    reset() {
      requests.length = 0
      failures = { times: 0, status: 500 }
      fake.delayMs = 0
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return fake
}
