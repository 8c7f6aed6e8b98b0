import { callSignal, type CallState } from './call-state.js'
import { hostCrypto } from './host-crypto.js'
import { hostFetch, type HostFetchResponse } from './host-fetch.js'
import type { HostCapabilities, HostPolicy } from './plugin-sandbox.js'

/** One thing the isolate may ask of the host; `args` is already parsed and cleaned JSON. */
export type HostOperation = (args: unknown[], call: CallState) => Promise<unknown>

/** Bad arguments from plugin code: the plugin sees a plain error (it counts as its own throw). */
export function invalidArgument(message: string): Error & { invalidArgument: true } {
  return Object.assign(new Error(message), { invalidArgument: true as const })
}

const MAX_KEY = 512
const MAX_URL = 8192
/** response bodies one call may hold open at once */
const MAX_OPEN_BODIES = 32

function text(args: unknown[], i: number, what: string, max = Infinity): string {
  const value = args[i]
  if (typeof value !== 'string') throw invalidArgument(`${what} must be a string`)
  if (value.length > max) throw invalidArgument(`${what} is longer than ${max} characters`)
  return value
}

function optionalSeconds(args: unknown[], i: number, what: string): number | undefined {
  const value = args[i]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw invalidArgument(`${what} must be a positive number`)
  return value
}

function fetchInit(value: unknown) {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidArgument('ctx.fetch: init must be an object')
  const init = value as Record<string, unknown>
  if (init.method !== undefined && typeof init.method !== 'string')
    throw invalidArgument('ctx.fetch: method must be a string')
  if (init.body !== undefined && typeof init.body !== 'string')
    throw invalidArgument('ctx.fetch: body must be a string (JSON.stringify objects first)')
  if (init.timeoutMs !== undefined && (typeof init.timeoutMs !== 'number' || !(init.timeoutMs > 0)))
    throw invalidArgument('ctx.fetch: timeoutMs must be a positive number')
  const headers: Record<string, string> = {}
  if (init.headers !== undefined) {
    if (typeof init.headers !== 'object' || init.headers === null || Array.isArray(init.headers))
      throw invalidArgument('ctx.fetch: headers must be an object of strings')
    for (const [name, v] of Object.entries(init.headers)) {
      if (typeof v !== 'string') throw invalidArgument(`ctx.fetch: header ${name} must be a string`)
      headers[name] = v
    }
  }
  return {
    method: init.method as string | undefined,
    headers,
    body: init.body as string | undefined,
    timeoutMs: init.timeoutMs as number | undefined,
  }
}

function bodyOf(args: unknown[], call: CallState): [number, HostFetchResponse | undefined] {
  const id = args[0]
  if (typeof id !== 'number') throw invalidArgument('not a response body')
  return [id, call.bodies.get(id)]
}

/**
 * The host's side of `ctx`, one entry per operation the in-isolate code can ask for. Arguments
 * are checked again here: the isolate-side checks are for helpful messages, these are the ones
 * that count.
 */
export function createHostOperations(deps: {
  hosts: HostPolicy
  timeoutMs: number
  maxResponseBytes: number
  capabilities: HostCapabilities
}): Record<string, HostOperation> {
  const { capabilities } = deps
  return {
    async fetch(args, call) {
      if (call.bodies.size >= MAX_OPEN_BODIES)
        throw invalidArgument(`ctx.fetch: more than ${MAX_OPEN_BODIES} responses are open; read or cancel them first`)
      const url = text(args, 0, 'ctx.fetch: the URL', MAX_URL)
      const response = await hostFetch(
        { url, ...fetchInit(args[1]) },
        {
          hosts: deps.hosts,
          config: call.config,
          timeoutMs: deps.timeoutMs,
          maxResponseBytes: deps.maxResponseBytes,
          signal: callSignal(call),
        },
      )
      if (callSignal(call).aborted) {
        response.cancel()
        throw invalidArgument('the call ended before the response arrived')
      }
      const id = call.nextBodyId++
      call.bodies.set(id, response)
      return { status: response.status, ok: response.ok, headers: response.headers, body: id }
    },
    async 'body.read'(args, call) {
      const [id, body] = bodyOf(args, call)
      if (!body) return null
      const piece = await body.read()
      if (piece === null) call.bodies.delete(id)
      return piece
    },
    async 'body.text'(args, call) {
      const [id, body] = bodyOf(args, call)
      if (!body) return ''
      try {
        return await body.text()
      } finally {
        call.bodies.delete(id)
      }
    },
    async 'body.cancel'(args, call) {
      const [id, body] = bodyOf(args, call)
      body?.cancel()
      call.bodies.delete(id)
      return null
    },
    async 'kv.get'(args) {
      return capabilities.kv.get(text(args, 0, 'ctx.kv.get: the key', MAX_KEY))
    },
    async 'kv.set'(args) {
      const key = text(args, 0, 'ctx.kv.set: the key', MAX_KEY)
      await capabilities.kv.set(key, args[1] ?? null, optionalSeconds(args, 2, 'ctx.kv.set: ttlSeconds'))
      return undefined
    },
    async 'kv.delete'(args) {
      await capabilities.kv.delete(text(args, 0, 'ctx.kv.delete: the key', MAX_KEY))
      return undefined
    },
    async 'kv.list'(args) {
      return capabilities.kv.list(text(args, 0, 'ctx.kv.list: the prefix', MAX_KEY))
    },
    async 'cache.get'(args) {
      return capabilities.cache.get(text(args, 0, 'ctx.cache.get: the key', MAX_KEY))
    },
    async 'cache.set'(args) {
      const key = text(args, 0, 'ctx.cache.set: the key', MAX_KEY)
      const ttl = optionalSeconds(args, 2, 'ctx.cache.set: ttlSeconds')
      if (ttl === undefined) throw invalidArgument('ctx.cache.set: ttlSeconds is required')
      await capabilities.cache.set(key, args[1] ?? null, ttl)
      return undefined
    },
    async emit(args) {
      await capabilities.emit(text(args, 0, 'ctx.emit: the topic', 200), args[1] ?? null)
      return undefined
    },
    async 'channel.receive'(args) {
      const result = await capabilities.receive(text(args, 0, 'ctx.channel.receive: the channel', 200), args[1])
      return { duplicate: result.duplicate === true }
    },
    async 'crypto.sha1'(args) {
      return hostCrypto.sha1(text(args, 0, 'ctx.crypto.sha1: the text'))
    },
    async 'crypto.sha256'(args) {
      return hostCrypto.sha256(text(args, 0, 'ctx.crypto.sha256: the text'))
    },
    async 'crypto.md5'(args) {
      return hostCrypto.md5(text(args, 0, 'ctx.crypto.md5: the text'))
    },
    async 'crypto.hmacSha256'(args) {
      const encoding = args[2] ?? 'hex'
      if (encoding !== 'hex' && encoding !== 'base64')
        throw invalidArgument('ctx.crypto.hmacSha256: the encoding is hex or base64')
      return hostCrypto.hmacSha256(
        text(args, 0, 'ctx.crypto.hmacSha256: the key'),
        text(args, 1, 'ctx.crypto.hmacSha256: the text'),
        encoding,
      )
    },
    async 'crypto.randomId'() {
      return hostCrypto.randomId()
    },
  }
}
