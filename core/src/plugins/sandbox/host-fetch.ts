import { ErrorCode } from '../../errors/index.js'
import { isHostAllowed } from './host-allow-list.js'
import type { HostPolicy } from './plugin-sandbox.js'
import { sandboxFault } from './sandbox-errors.js'

/** What a plugin asked `ctx.fetch` for (`PluginFetchInit` plus the URL). */
export interface HostFetchRequest {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: string
  /** can only shorten the host's limit */
  timeoutMs?: number
}

/** What bounds one plugin fetch: the declared hosts, the call's config, the time and size limits. */
export interface HostFetchPolicy {
  hosts: HostPolicy
  /** the configuration of the call, for `config:<field>` hosts */
  config: unknown
  timeoutMs: number
  maxResponseBytes: number
  /** aborted when the call ends, whatever the state of the request */
  signal?: AbortSignal
}

/** A response whose body is still upstream: `read` pulls it piece by piece as the plugin asks. */
export interface HostFetchResponse {
  status: number
  ok: boolean
  /** header names in lower case */
  headers: Record<string, string>
  /** the next piece of the body as text, null at its end */
  read(): Promise<string | null>
  /** the rest of the body */
  text(): Promise<string>
  cancel(): void
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 3
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
/** set by the host's HTTP client, not by plugins */
const DROPPED_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-connection',
])
/** credentials that must not follow a redirect to another origin */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization']

function failure(reason: string, message: string, retryable: boolean, details: Record<string, unknown> = {}) {
  return sandboxFault(ErrorCode.PLUGIN_FETCH_FAILED, message, { retryable, details: { reason, ...details } })
}

function requestHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase()
    if (!DROPPED_HEADERS.has(lower)) out[lower] = value
  }
  return out
}

function checkHost(url: URL, policy: HostFetchPolicy, redirected: boolean): void {
  if (isHostAllowed(url, policy.hosts, policy.config)) return
  throw sandboxFault(
    ErrorCode.PLUGIN_HOST_NOT_ALLOWED,
    `${url.protocol}//${url.host} is not among the hosts the plugin declared${redirected ? ' (reached by a redirect)' : ''}`,
    { details: { host: url.host, protocol: url.protocol, redirect: redirected } },
  )
}

function errorReason(timeout: AbortSignal, call: AbortSignal | undefined): 'timeout' | 'aborted' | 'network' {
  if (timeout.aborted) return 'timeout'
  if (call?.aborted) return 'aborted'
  return 'network'
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
}

function streamBody(
  response: Response,
  host: string,
  policy: HostFetchPolicy,
  timeout: AbortSignal,
): Pick<HostFetchResponse, 'read' | 'text' | 'cancel'> {
  const reader = response.body?.getReader()
  const decoder = new TextDecoder()
  let received = 0
  let done = !reader
  let queue: Promise<unknown> = Promise.resolve()

  function cancel() {
    if (done) return
    done = true
    reader?.cancel().catch(() => undefined)
  }

  async function readOnce(): Promise<string | null> {
    while (!done) {
      let chunk: { done: boolean; value?: Uint8Array }
      try {
        chunk = await reader!.read()
      } catch (error) {
        done = true
        const reason = errorReason(timeout, policy.signal)
        throw failure(
          reason,
          `reading the response of ${host} failed: ${reason === 'network' ? describe(error) : reason}`,
          true,
          { host },
        )
      }
      if (chunk.done || !chunk.value) {
        done = true
        const tail = decoder.decode()
        return tail === '' ? null : tail
      }
      received += chunk.value.byteLength
      if (received > policy.maxResponseBytes) {
        cancel()
        throw failure('too-large', `the response of ${host} is larger than ${policy.maxResponseBytes} bytes`, false, {
          host,
          limit: policy.maxResponseBytes,
        })
      }
      const text = decoder.decode(chunk.value, { stream: true })
      if (text !== '') return text
    }
    return null
  }

  // one read at a time, so pieces keep their order and the decoder its state
  function read(): Promise<string | null> {
    const next = queue.then(readOnce, readOnce)
    queue = next.catch(() => undefined)
    return next
  }

  async function text(): Promise<string> {
    let out = ''
    for (let piece = await read(); piece !== null; piece = await read()) out += piece
    return out
  }

  return { read, text, cancel }
}

/**
 * `ctx.fetch` on the host side: only to declared hosts (checked again after each redirect, at
 * most 3, followed here rather than by the HTTP client), only http and https, within a time
 * limit (the plugin's, if shorter than the host's) and a size limit. The body is not read until
 * the plugin asks for it, so a streamed answer reaches the plugin as it arrives.
 *
 * @example
 * ```ts
 * const response = await hostFetch({ url: 'https://api.example.com/v1/orders/1' },
 *   { hosts: ['api.example.com'], config: {}, timeoutMs: 10_000, maxResponseBytes: 1 << 20 })
 * const body = await response.text()
 * ```
 */
export async function hostFetch(request: HostFetchRequest, policy: HostFetchPolicy): Promise<HostFetchResponse> {
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    throw failure('invalid-url', `not a URL: ${String(request.url).slice(0, 200)}`, false)
  }
  let method = (request.method ?? 'GET').toUpperCase()
  if (!METHODS.has(method)) throw failure('invalid-method', `the method ${method} is not allowed`, false)
  let body = request.body
  const headers = requestHeaders(request.headers)
  const timeoutMs = Math.max(1, Math.min(policy.timeoutMs, request.timeoutMs ?? Infinity))
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = policy.signal ? AbortSignal.any([timeout, policy.signal]) : timeout

  for (let hop = 0; ; hop++) {
    checkHost(url, policy, hop > 0)
    let response: Response
    try {
      response = await fetch(url, { method, headers, body, redirect: 'manual', signal })
    } catch (error) {
      const reason = errorReason(timeout, policy.signal)
      throw failure(reason, `fetch ${url.host} failed: ${reason === 'network' ? describe(error) : reason}`, true, {
        host: url.host,
      })
    }
    const location = response.headers.get('location')
    if (REDIRECTS.has(response.status) && location !== null) {
      await response.body?.cancel().catch(() => undefined)
      if (hop >= MAX_REDIRECTS) throw failure('too-many-redirects', `more than ${MAX_REDIRECTS} redirects`, false)
      let next: URL
      try {
        next = new URL(location, url)
      } catch {
        throw failure('invalid-redirect', `${url.host} redirected to something that is not a URL`, false)
      }
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET'
        body = undefined
        delete headers['content-type']
      }
      if (next.origin !== url.origin) for (const name of ORIGIN_BOUND_HEADERS) delete headers[name]
      url = next
      continue
    }
    const declared = Number(response.headers.get('content-length') ?? NaN)
    if (declared > policy.maxResponseBytes) {
      await response.body?.cancel().catch(() => undefined)
      throw failure('too-large', `the response of ${url.host} is larger than ${policy.maxResponseBytes} bytes`, false, {
        host: url.host,
        limit: policy.maxResponseBytes,
      })
    }
    return {
      status: response.status,
      ok: response.ok,
      headers: Object.fromEntries(response.headers),
      ...streamBody(response, url.host, policy, timeout),
    }
  }
}
