import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { hostOf, isPrivateAddress } from './webhook-url.js'

/** What one attempt got: the HTTP status (null when there was no answer) and, unless 2xx, why it failed. */
export interface AttemptResult {
  responseStatus: number | null
  error: string | null
  durationMs: number
}

export interface WebhookPoster {
  post(url: string, body: string, headers: Record<string, string>): Promise<AttemptResult>
  /** closes the kept-alive connections */
  close(): void
}

/** The most of an answer's body that is read; the rest is dropped (the body is only kept for error messages). */
export const MAX_RESPONSE_BYTES = 64 * 1024
const EXCERPT_CHARS = 200

/**
 * Sends webhook requests with node:http(s): no redirects followed (one could lead inside the
 * network), a time limit on the whole exchange, at most 64 KiB of the answer read, and, unless
 * private addresses are allowed, every address the host name resolves to checked at connect
 * time, so a DNS answer that changed since the URL was saved cannot reach a private address.
 */
export function createWebhookPoster(options: { timeoutMs: number; allowPrivate: boolean }): WebhookPoster {
  const { timeoutMs, allowPrivate } = options
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
  }
  const lookup = allowPrivate ? undefined : publicOnlyLookup

  return {
    post(target, body, headers) {
      const started = performance.now()
      return new Promise<AttemptResult>((resolve) => {
        let settled = false
        const finish = (responseStatus: number | null, error: string | null) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          resolve({ responseStatus, error, durationMs: Math.round(performance.now() - started) })
        }
        const url = new URL(target)
        const host = hostOf(url)
        // an IP literal never reaches the lookup: check it here
        if (!allowPrivate && isIP(host) && isPrivateAddress(host)) {
          resolve({ responseStatus: null, error: `${host} is a private or loopback address`, durationMs: 0 })
          return
        }
        const transport = url.protocol === 'https:' ? https : http
        const request = transport.request(
          url,
          {
            method: 'POST',
            agent: agents[url.protocol as 'http:' | 'https:'],
            lookup,
            headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          },
          (response) => {
            const status = response.statusCode ?? 0
            const chunks: Buffer[] = []
            let size = 0
            const done = () => finish(status, status >= 200 && status < 300 ? null : describeStatus(status, chunks))
            response.on('data', (chunk: Buffer) => {
              if (size < EXCERPT_CHARS * 4) chunks.push(chunk)
              size += chunk.length
              if (size > MAX_RESPONSE_BYTES) {
                done()
                response.destroy()
              }
            })
            response.on('end', done)
            response.on('error', done)
            response.on('close', done)
          },
        )
        request.on('error', (error) => finish(null, describeError(error)))
        const timer = setTimeout(() => {
          finish(null, `no answer within ${timeoutMs} ms`)
          request.destroy()
        }, timeoutMs)
        request.end(body)
      })
    },
    close() {
      agents['http:'].destroy()
      agents['https:'].destroy()
    },
  }
}

const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0)
    const inside = addresses.find((a) => isPrivateAddress(a.address))
    if (inside)
      return callback(
        Object.assign(new Error(`${hostname} resolves to the private address ${inside.address}`), {
          code: 'EPRIVATEADDRESS',
        }),
        '',
        0,
      )
    if (options.all) return callback(null, addresses)
    const first = addresses[0]!
    callback(null, first.address, first.family)
  })
}

function describeStatus(status: number, chunks: Buffer[]): string {
  const excerpt = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS)
  const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : ''
  return `HTTP ${status}${redirect}${excerpt ? `: ${excerpt}` : ''}`
}

function describeError(error: Error & { code?: string }): string {
  return error.message || error.code || 'the request failed'
}
