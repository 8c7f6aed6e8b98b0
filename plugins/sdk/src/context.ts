import type { InboundMessage } from './capabilities/channel.js'

/** What `ctx.fetch` returns: the status, headers and a body read once, whole or in chunks. */
export interface PluginResponse {
  status: number
  ok: boolean
  /** header names in lower case */
  headers: Record<string, string>
  text(): Promise<string>
  json(): Promise<unknown>
  /** the body as it arrives (server-sent events, streamed completions) */
  chunks(): AsyncIterable<string>
}

export interface PluginFetchInit {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  headers?: Record<string, string>
  body?: string
  /** shorter than the host's limit, never longer */
  timeoutMs?: number
}

/**
 * Everything a handler can do beyond computing: each member is a capability the host hands in,
 * limited to what the plugin's manifest declared. There is no `process`, `require` or network
 * outside `fetch`.
 *
 * @example
 * ```ts
 * async getOrder({ orderNumber }, ctx) {
 *   const response = await ctx.fetch(`${ctx.config.baseUrl}/wp-json/wc/v3/orders/${orderNumber}`)
 *   if (response.status === 404) return null
 *   ctx.log.info('order fetched', { orderNumber })
 *   return toOrder(await response.json())
 * }
 * ```
 */
export interface PluginContext<Config = Record<string, unknown>, Secrets = Record<string, unknown>> {
  plugin: { name: string; version: string }
  /** the configuration the admin saved, defaults applied */
  config: Config
  /** this plugin's own secrets, decrypted for the call */
  secrets: Secrets
  /** HTTP to the hosts in `permissions.hosts` only; time- and size-limited by the host */
  fetch(url: string, init?: PluginFetchInit): Promise<PluginResponse>
  /** a key-value store private to the plugin, within `permissions.storageKb` */
  kv: {
    get(key: string): Promise<unknown>
    set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>
    delete(key: string): Promise<void>
    list(prefix?: string): Promise<string[]>
  }
  /** a shared cache of hot results (Redis when configured), namespaced to the plugin */
  cache: {
    get(key: string): Promise<unknown>
    set(key: string, value: unknown, ttlSeconds: number): Promise<void>
  }
  log: Record<'debug' | 'info' | 'warn' | 'error', (message: string, fields?: Record<string, unknown>) => void>
  /** publishes `<plugin>.<topic>` on the bus; the topic must be in `permissions.events.emit` */
  emit(topic: string, data: unknown): Promise<void>
  /** channel plugins: hand an inbound message to the host (stored once per channelMessageId) */
  channel: {
    receive(channel: string, message: InboundMessage): Promise<{ duplicate: boolean }>
  }
  /** hashing the sandbox lacks (signatures of webhooks, API auth) */
  crypto: {
    sha1(text: string): Promise<string>
    sha256(text: string): Promise<string>
    md5(text: string): Promise<string>
    hmacSha256(key: string, text: string, encoding?: 'hex' | 'base64'): Promise<string>
    randomId(): Promise<string>
  }
  /** streams partial output to the caller (an agent watching a reply being drafted) */
  progress(partial: string): void
}

/** An HTTP request to one of the plugin's webhook routes, as the handler sees it. */
export interface WebhookRequest {
  method: 'GET' | 'POST'
  /** the path after /hooks/<plugin>/<name> */
  path: string
  query: Record<string, string>
  /** header names in lower case */
  headers: Record<string, string>
  /** the raw body, as text */
  body: string
}

export interface WebhookResponse {
  status: number
  headers?: Record<string, string>
  body?: string
}

/**
 * What the host hands a plugin's socket handler. `connect`: a browser opens the socket (the plugin
 * decides whether to accept it: the Origin, a verified identity); `frame`: a frame the visitor sent
 * that the host does not handle itself (a message, a rating…). The host has already parsed the JSON
 * and bounded its size; the plugin validates the rest.
 */
export type SocketEvent =
  | {
      type: 'connect'
      /** the Origin header of the page opening the socket ('' when absent) */
      origin: string
      /** the Host header: the Switchboard server's own host, for same-origin pages */
      host: string
      /** the id the widget presents (random, kept in the browser) */
      visitorId: string
      /** an identity signed by the host site: HMAC-SHA256(identitySecret, id) in hex */
      identity?: { id: string; name?: string; signature: string }
      /** the language the widget shows (BCP 47, checked by the host), when it says */
      language?: string
    }
  | {
      type: 'frame'
      /** the visitor id the plugin accepted on connect */
      visitorId: string
      name?: string
      /** the language the widget showed when this socket connected (BCP 47), when it said */
      language?: string
      frame: Record<string, unknown>
    }

/** A socket handler's answer: accept or refuse a connection, or what to tell the visitor about a frame. */
export interface SocketAnswer {
  /** connect: whether to open the socket */
  accept?: boolean
  /** connect: the visitor id to use instead (a verified user's own id) */
  visitorId?: string
  /** connect: the visitor's display name (a verified user) */
  name?: string
  /** why a connection or frame was refused, shown to the visitor */
  reason?: string
  /** connect: settings the widget shows (title, welcome, colour…); plain JSON */
  settings?: Record<string, unknown>
}
