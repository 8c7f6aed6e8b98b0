import { createHash, createHmac, randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { inboundMessage, inboundMessageProblem, type InboundMessage } from './capabilities/channel.js'
import type {
  PluginContext,
  PluginFetchInit,
  PluginResponse,
  SocketAnswer,
  SocketEvent,
  WebhookRequest,
} from './context.js'
import type { PluginDefinition } from './definition.js'
import { isPluginError } from './errors.js'
import type { NodeOutput, PluginHandlers } from './handlers.js'
import { checkManifest, toManifest } from './manifest.js'

export interface TestHarnessOptions<D extends PluginDefinition> {
  definition: D
  handlers: PluginHandlers<D>
  config?: z.input<D['config']>
  secrets?: z.input<D['secrets']>
}

/** A call that failed the way the host would report it: plain data with a code. */
export class HarnessCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' }
const portOf = (url: URL) => url.port || DEFAULT_PORTS[url.protocol] || ''

/** `a.b.c` of the config, own properties only, as the host reads `config:<field>` hosts */
function configValue(config: unknown, path: string): unknown {
  let value: unknown = config
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, key))
      return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

/** The host's allow-list rule: http or https, to a declared host on its declared (or default) port. */
function hostAllowed(definition: PluginDefinition, config: Record<string, unknown>, url: URL): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
  for (const entry of definition.permissions.hosts ?? []) {
    if (entry.startsWith('config:')) {
      const value = configValue(config, entry.slice(7))
      if (typeof value !== 'string') continue
      try {
        const configured = new URL(value)
        if (configured.hostname === url.hostname && portOf(configured) === portOf(url)) return true
      } catch {
        /* not a URL: matches nothing */
      }
      continue
    }
    const colon = entry.lastIndexOf(':')
    const name = (colon === -1 ? entry : entry.slice(0, colon)).toLowerCase()
    // a bare name means the scheme's default port: declaring api.example.com does not open :8443
    const port = colon === -1 ? DEFAULT_PORTS[url.protocol] : entry.slice(colon + 1)
    if (portOf(url) !== port) continue
    if (name.startsWith('*.') ? url.hostname.endsWith(name.slice(1)) : url.hostname === name) return true
  }
  return false
}

// ── the host's checks of inputs and outputs, against the manifest's JSON Schemas ───────────────
//
// The host validates with Ajv against the JSON Schemas of the manifest: an input gets the
// schema's defaults (and nothing else: no zod transforms), an output loses the properties its
// schema closes with `additionalProperties: false` and must have every required property (zod
// writes a field with a default as required in an output schema; the host fills no default).
// The harness keeps zod for the type checks and applies these rules itself on the JSON copy.

type Schema = Record<string, unknown>
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const jsonCopy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T))

/** the schema an `$ref` inside `root` points to (`#`, `#/$defs/…`), or undefined */
function deref(ref: unknown, root: Schema): Schema | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined
  const target = ref
    .slice(1)
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), root)
  return isRecord(target) ? target : undefined
}

/** the schemas that apply to a value together with `schema` itself: its `allOf` and `$ref` (followed) */
function applicable(schema: unknown, root: Schema, depth = 0): Schema[] {
  if (!isRecord(schema) || depth > 32) return []
  const out = [schema]
  const referenced = deref(schema.$ref, root)
  if (referenced) out.push(...applicable(referenced, root, depth + 1))
  if (Array.isArray(schema.allOf)) for (const sub of schema.allOf) out.push(...applicable(sub, root, depth + 1))
  return out
}

function typeFits(type: unknown, value: unknown): boolean {
  if (type === undefined) return true
  if (Array.isArray(type)) return type.some((t) => typeFits(t, value))
  switch (type) {
    case 'null':
      return value === null
    case 'boolean':
      return typeof value === 'boolean'
    case 'integer':
      return Number.isInteger(value)
    case 'number':
      return typeof value === 'number'
    case 'string':
      return typeof value === 'string'
    case 'array':
      return Array.isArray(value)
    case 'object':
      return isRecord(value)
    default:
      return true
  }
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** What Ajv checks first about a branch of a union: its type, const, enum and required properties. */
function branchFits(branch: unknown, value: unknown, root: Schema): boolean {
  return applicable(branch, root).every((s) => {
    if (!typeFits(s.type, value)) return false
    if ('const' in s && !sameJson(s.const, value)) return false
    if (Array.isArray(s.enum) && !s.enum.some((e) => sameJson(e, value))) return false
    if (isRecord(value)) {
      if (Array.isArray(s.required) && s.required.some((r) => typeof r === 'string' && value[r] === undefined))
        return false
      if (isRecord(s.properties))
        for (const [key, sub] of Object.entries(s.properties))
          if (value[key] !== undefined && isRecord(sub) && 'const' in sub && !sameJson(sub.const, value[key]))
            return false
    }
    return true
  })
}

/**
 * An output as the host keeps it (Ajv, `removeAdditional: true`): properties an object schema
 * closes with `additionalProperties: false` are removed, in place. Returns what the host would
 * refuse beyond zod's checks: missing required properties, no alternative of a union that fits.
 */
function conformOutput(value: unknown, schema: unknown, root: Schema, path: string, problems: string[]): void {
  for (const s of applicable(schema, root)) {
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const branches = s[keyword]
      if (!Array.isArray(branches)) continue
      const branch = branches.find((b) => branchFits(b, value, root))
      if (branch === undefined) problems.push(`${path || '(output)'}: matches none of the alternatives of its schema`)
      else conformOutput(value, branch, root, path, problems)
    }
    if (isRecord(value)) {
      const properties = isRecord(s.properties) ? s.properties : {}
      const patterns = isRecord(s.patternProperties)
        ? Object.entries(s.patternProperties).map(([p, sub]) => [new RegExp(p, 'u'), sub] as const)
        : []
      for (const key of Object.keys(value)) {
        const at = path ? `${path}.${key}` : key
        const matched = patterns.filter(([re]) => re.test(key))
        if (Object.prototype.hasOwnProperty.call(properties, key))
          conformOutput(value[key], properties[key], root, at, problems)
        for (const [, sub] of matched) conformOutput(value[key], sub, root, at, problems)
        if (Object.prototype.hasOwnProperty.call(properties, key) || matched.length > 0) continue
        if (s.additionalProperties === false) delete value[key]
        else if (isRecord(s.additionalProperties)) conformOutput(value[key], s.additionalProperties, root, at, problems)
      }
      if (Array.isArray(s.required))
        for (const required of s.required)
          if (typeof required === 'string' && value[required] === undefined)
            problems.push(`${path ? `${path}.` : ''}${required}: required`)
    } else if (Array.isArray(value)) {
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : []
      value.forEach((item, i) => {
        const sub = i < prefix.length ? prefix[i] : s.items
        if (sub !== undefined) conformOutput(item, sub, root, `${path}[${i}]`, problems)
      })
    }
  }
}

/**
 * An input as the host hands it on (Ajv, `useDefaults: true`): missing properties whose schema
 * has a `default` get a copy of it, in place. Like Ajv, not inside `anyOf`, `oneOf`, `not` or `if`.
 */
function applyDefaults(value: unknown, schema: unknown, root: Schema): void {
  for (const s of applicable(schema, root)) {
    if (isRecord(value)) {
      const properties = isRecord(s.properties) ? s.properties : {}
      for (const [key, sub] of Object.entries(properties))
        if (value[key] === undefined && isRecord(sub) && 'default' in sub) value[key] = jsonCopy(sub.default)
      for (const key of Object.keys(value)) {
        if (Object.prototype.hasOwnProperty.call(properties, key)) applyDefaults(value[key], properties[key], root)
        else if (isRecord(s.additionalProperties)) applyDefaults(value[key], s.additionalProperties, root)
      }
    } else if (Array.isArray(value)) {
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : []
      value.forEach((item, i) => applyDefaults(item, i < prefix.length ? prefix[i] : s.items, root))
    }
  }
}

// ── the host's limits on ctx.kv, ctx.cache and ctx.fetch ──────────────────────────────────────

const KV_MAX_KEY = 200
const KV_MAX_VALUE_BYTES = 256 * 1024
const CACHE_MAX_VALUE_BYTES = 32 * 1024
const CACHE_MIN_TTL = 1
const CACHE_MAX_TTL = 86_400
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
/** credentials that do not follow a redirect to another origin */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization']
const bytes = (text: string) => Buffer.byteLength(text)

/** a wrong argument to `ctx`: the host answers a plain error, which counts as the plugin's own throw */
function invalidArgument(message: string): Error {
  return new Error(message)
}

/**
 * Runs a plugin's handlers in-process the way the host runs them in the sandbox: config and
 * secrets parsed with their schemas; action inputs and outputs checked against the manifest's
 * JSON Schemas as the host checks them (input defaults applied, output properties outside a
 * closed schema removed, the handler's own values handed on rather than zod's transforms);
 * `fetch` refused outside the declared hosts, redirects followed (at most 3, each hop checked
 * again); the key-value store kept in memory within `permissions.storageKb` (256 KB a value) and
 * the cache within its limits (32 KB a value, 1 s to 24 h); errors turned into coded data. Use it
 * with any test runner against a local server that speaks the real service's protocol.
 *
 * @example
 * ```ts
 * import { createTestHarness } from '@switchboard/plugin-sdk/testing'
 * const plugin = createTestHarness({ definition, handlers, config: { baseUrl: 'http://127.0.0.1:4010' } })
 * expect(await plugin.callAction('getOrder', { orderNumber: '12345' })).toMatchObject({ state: 'shipped' })
 * ```
 */
export function createTestHarness<D extends PluginDefinition>(options: TestHarnessOptions<D>) {
  const { definition, handlers } = options
  const checked = checkManifest(toManifest(definition))
  if (!checked.ok)
    throw new Error(
      `invalid plugin definition:\n${checked.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
    )
  /** what the host sees of the plugin: the JSON Schemas its inputs and outputs are checked against */
  const { manifest } = checked
  const config = definition.config.parse(options.config ?? {}) as Record<string, unknown>
  const secrets = definition.secrets.parse(options.secrets ?? {}) as Record<string, unknown>
  const kv = new Map<string, { value: unknown; expiresAt: number | null }>()
  /** the harness's clock; tests move it with `advanceTime` to expire kv values */
  let offsetMs = 0
  const now = () => Date.now() + offsetMs
  const cache = new Map<string, { json: string; expiresAt: number }>()
  const received: Array<{ channel: string; message: InboundMessage }> = []
  const emitted: Array<{ topic: string; data: unknown }> = []
  const logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = []
  const progress: string[] = []
  const fetches: Array<{ url: string; init?: PluginFetchInit }> = []

  const storageError = (message: string, details?: unknown) =>
    new HarnessCallError('SB_ERR_PLUGIN_STORAGE_QUOTA', message, false, details)
  function checkKvKey(key: string) {
    if (typeof key !== 'string' || key.length === 0 || key.length > KV_MAX_KEY)
      throw new HarnessCallError('SB_ERR_VALIDATION', `kv keys are 1–${KV_MAX_KEY} characters`, false)
  }
  const live = (entry: { expiresAt: number | null }) => entry.expiresAt === null || entry.expiresAt > now()

  const ctx: PluginContext = {
    plugin: { name: definition.name, version: definition.version },
    config,
    secrets,
    /** as the host: declared hosts only, redirects followed (at most 3), each hop checked again */
    async fetch(url, init) {
      // failures come out as the host reports them: coded, retryable, with the reason
      const fetchFailed = (reason: string, message: string, retryable: boolean) =>
        new HarnessCallError('SB_ERR_PLUGIN_FETCH_FAILED', message, retryable, { reason })
      let target: URL
      try {
        target = new URL(url)
      } catch {
        throw fetchFailed('invalid-url', `not a URL: ${String(url).slice(0, 200)}`, false)
      }
      let method = (init?.method ?? 'GET').toUpperCase()
      if (!METHODS.has(method)) throw fetchFailed('invalid-method', `the method ${method} is not allowed`, false)
      let body = init?.body
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(init?.headers ?? {}))
        if (!DROPPED_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value
      const signal = AbortSignal.timeout(init?.timeoutMs ?? 10_000)
      const failed =
        (host: string) =>
        (error: unknown): never => {
          const timeout = (error as Error)?.name === 'TimeoutError'
          throw fetchFailed(
            timeout ? 'timeout' : 'network',
            timeout ? `${host} did not answer in time` : `${host}: ${(error as Error)?.message}`,
            true,
          )
        }
      let response: Response
      for (let hop = 0; ; hop++) {
        if (!hostAllowed(definition, config, target))
          throw new HarnessCallError(
            'SB_ERR_PLUGIN_HOST_NOT_ALLOWED',
            `${target.protocol}//${target.host} is not in permissions.hosts${hop > 0 ? ' (reached by a redirect)' : ''}`,
            false,
            { host: target.host, protocol: target.protocol, redirect: hop > 0 },
          )
        if (hop === 0) fetches.push({ url, init })
        response = await fetch(target, { method, headers, body, redirect: 'manual', signal }).catch(failed(target.host))
        const location = response.headers.get('location')
        if (!REDIRECTS.has(response.status) || location === null) break
        await response.body?.cancel().catch(() => undefined)
        if (hop >= MAX_REDIRECTS) throw fetchFailed('too-many-redirects', `more than ${MAX_REDIRECTS} redirects`, false)
        let next: URL
        try {
          next = new URL(location, target)
        } catch {
          throw fetchFailed('invalid-redirect', `${target.host} redirected to something that is not a URL`, false)
        }
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = 'GET'
          body = undefined
          delete headers['content-type']
        }
        if (next.origin !== target.origin) for (const name of ORIGIN_BOUND_HEADERS) delete headers[name]
        target = next
      }
      const final = response
      const fail = failed(target.host)
      // the body is read once, whole (text, json) or as it arrives (chunks), as in the sandbox
      const result: PluginResponse = {
        status: final.status,
        ok: final.ok,
        headers: Object.fromEntries(final.headers),
        text: () => final.text().catch(fail),
        json: async () => JSON.parse(await final.text().catch(fail)) as unknown,
        async *chunks() {
          if (!final.body) return
          const decoder = new TextDecoder()
          const reader = final.body.getReader()
          for (;;) {
            const { done, value } = await reader.read().catch(fail)
            if (done) break
            const text = decoder.decode(value, { stream: true })
            if (text) yield text
          }
          const rest = decoder.decode()
          if (rest) yield rest
        },
      }
      return result
    },
    /** as the host: JSON values within permissions.storageKb, each at most 256 KB */
    kv: {
      async get(key) {
        checkKvKey(key)
        const entry = kv.get(key)
        if (!entry || !live(entry)) return undefined
        return structuredClone(entry.value)
      },
      async set(key, value, options) {
        checkKvKey(key)
        const quota = (definition.permissions.storageKb ?? 0) * 1024
        if (quota === 0) throw storageError('the plugin declared no key-value store (permissions.storageKb)')
        const ttl = options?.ttlSeconds
        if (ttl !== undefined && ttl !== null && !(typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0))
          throw invalidArgument('ctx.kv.set: ttlSeconds must be a positive number')
        // the value crosses to the host as JSON (undefined arrives as null)
        const json = JSON.stringify(value ?? null)
        const size = bytes(json) + bytes(key)
        if (size > KV_MAX_VALUE_BYTES)
          throw storageError(`kv values are at most ${KV_MAX_VALUE_BYTES / 1024} KB each; ${key} is ${size} bytes`, {
            size,
            limit: KV_MAX_VALUE_BYTES,
          })
        // expired values do not count against the quota
        for (const [k, entry] of kv) if (!live(entry)) kv.delete(k)
        let used = 0
        for (const [k, entry] of kv) if (k !== key) used += bytes(JSON.stringify(entry.value ?? null)) + bytes(k)
        if (used + size > quota)
          throw storageError(
            `writing ${key} (${size} bytes) would exceed the plugin's ${definition.permissions.storageKb} KB store`,
            { used, size, quota },
          )
        kv.set(key, { value: JSON.parse(json) as unknown, expiresAt: ttl ? now() + ttl * 1000 : null })
      },
      async delete(key) {
        checkKvKey(key)
        kv.delete(key)
      },
      async list(prefix = '') {
        return [...kv.entries()]
          .filter(([k, e]) => k.startsWith(prefix) && live(e))
          .map(([k]) => k)
          .sort()
          .slice(0, 1000)
      },
    },
    /** as the host: each value at most 32 KB of JSON, for 1 s to 24 h */
    cache: {
      async get(key) {
        const entry = cache.get(key)
        if (!entry || entry.expiresAt <= now()) return undefined
        return JSON.parse(entry.json) as unknown
      },
      async set(key, value, ttlSeconds) {
        if (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0)
          throw invalidArgument('ctx.cache.set: ttlSeconds must be a positive number')
        if (ttlSeconds < CACHE_MIN_TTL || ttlSeconds > CACHE_MAX_TTL)
          throw storageError(
            `ctx.cache.set: ttlSeconds must be between ${CACHE_MIN_TTL} and ${CACHE_MAX_TTL} (24 h); got ${ttlSeconds}`,
            { ttlSeconds, min: CACHE_MIN_TTL, max: CACHE_MAX_TTL },
          )
        const json = JSON.stringify(value ?? null)
        if (bytes(json) > CACHE_MAX_VALUE_BYTES)
          throw storageError(
            `ctx.cache.set: cached values are at most ${CACHE_MAX_VALUE_BYTES / 1024} KB of JSON; ${key} is ${bytes(json)} bytes`,
            { size: bytes(json), limit: CACHE_MAX_VALUE_BYTES },
          )
        cache.set(key, { json, expiresAt: now() + ttlSeconds * 1000 })
      },
    },
    log: Object.fromEntries(
      (['debug', 'info', 'warn', 'error'] as const).map((level) => [
        level,
        (message: string, fields?: Record<string, unknown>) => void logs.push({ level, message, fields }),
      ]),
    ) as unknown as PluginContext['log'],
    async emit(topic, data) {
      if (!(definition.permissions.events?.emit ?? []).includes(topic))
        throw new HarnessCallError(
          'SB_ERR_PLUGIN_EVENT_NOT_ALLOWED',
          `${topic} is not in permissions.events.emit`,
          false,
        )
      emitted.push({ topic, data })
    },
    channel: {
      async receive(channel, message) {
        if (!definition.channels?.[channel])
          throw new HarnessCallError('SB_ERR_PLUGIN_INVALID_OUTPUT', `no channel named ${channel}`, false)
        const checked = inboundMessage.safeParse(message)
        if (!checked.success)
          throw new HarnessCallError(
            'SB_ERR_PLUGIN_INVALID_OUTPUT',
            `inbound message: ${inboundMessageProblem(checked.error.issues)}`,
            false,
            checked.error.issues,
          )
        const parsed = checked.data
        const duplicate = received.some(
          (r) => r.channel === channel && r.message.channelMessageId === parsed.channelMessageId,
        )
        if (!duplicate) received.push({ channel, message: parsed })
        return { duplicate }
      },
    },
    crypto: {
      sha1: async (text) => createHash('sha1').update(text).digest('hex'),
      sha256: async (text) => createHash('sha256').update(text).digest('hex'),
      md5: async (text) => createHash('md5').update(text).digest('hex'),
      hmacSha256: async (key, text, encoding = 'hex') => createHmac('sha256', key).update(text).digest(encoding),
      randomId: async () => randomUUID(),
    },
    progress(partial) {
      progress.push(partial)
    },
  }

  async function guarded<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (error instanceof HarnessCallError) throw error
      if (isPluginError(error)) throw new HarnessCallError(error.code, error.message, error.retryable, error.details)
      throw new HarnessCallError('SB_ERR_PLUGIN_THREW', (error as Error)?.message ?? String(error), false)
    }
  }

  const h = handlers as unknown as PluginHandlers<PluginDefinition> & {
    actions?: Record<string, (input: unknown, ctx: PluginContext) => Promise<unknown>>
    nodes?: Record<string, (input: unknown, ctx: PluginContext) => Promise<NodeOutput>>
  }
  return {
    ctx,
    kv,
    received,
    emitted,
    logs,
    progress,
    fetches,
    /**
     * calls an action as a flow or the console would, checked as the host checks it: the input
     * against the manifest's JSON Schema with its defaults applied (the handler gets that, not
     * zod's parse), the output against the output schema, returned as the host returns it (the
     * handler's JSON without the properties the schema closes off, no zod transforms or defaults)
     */
    async callAction(name: string, input: unknown): Promise<unknown> {
      const action = definition.actions?.[name]
      const handler = h.actions?.[name]
      const spec = manifest.actions[name]
      if (!action || !handler || !spec)
        throw new HarnessCallError('SB_ERR_PLUGIN_ACTION_NOT_FOUND', `no action ${name}`, false)
      const checkedInput = jsonCopy(input ?? {}) as unknown
      applyDefaults(checkedInput, spec.input, spec.input)
      const parsedInput = action.input.safeParse(checkedInput)
      if (!parsedInput.success)
        throw new HarnessCallError('SB_ERR_PLUGIN_INVALID_INPUT', parsedInput.error.message, false)
      const output = jsonCopy(await guarded(() => handler(checkedInput, ctx)))
      const problems: string[] = []
      conformOutput(output, spec.output, spec.output, '', problems)
      const parsedOutput = action.output.safeParse(output)
      if (!parsedOutput.success || problems.length > 0)
        throw new HarnessCallError(
          'SB_ERR_PLUGIN_INVALID_OUTPUT',
          `${name} returned: ${[...problems, ...(parsedOutput.success ? [] : [parsedOutput.error.message])].join('; ')}`,
          false,
          problems,
        )
      return output
    },
    /** runs a plugin node once with the given config and variables */
    async runNode(type: string, input: { config: unknown; vars?: Record<string, unknown>; text?: string }) {
      const node = definition.nodes?.[type]
      const handler = h.nodes?.[type]
      if (!node || !handler) throw new HarnessCallError('SB_ERR_PLUGIN_ACTION_NOT_FOUND', `no node ${type}`, false)
      const out = await guarded(() =>
        handler(
          {
            config: node.config.parse(input.config),
            vars: input.vars ?? {},
            input: input.text ? { text: input.text } : undefined,
            channel: 'text',
          },
          ctx,
        ),
      )
      if (!node.ports.includes(out.port))
        throw new HarnessCallError(
          'SB_ERR_PLUGIN_INVALID_OUTPUT',
          `node ${type} returned unknown port ${out.port}`,
          false,
        )
      return out
    },
    /** delivers an HTTP request to one of the plugin's webhook routes */
    async webhook(name: string, request: Partial<WebhookRequest> & { method: 'GET' | 'POST' }) {
      const handler = h.webhooks?.[name]
      if (!handler || !definition.permissions.webhooks?.some((w) => w.name === name))
        throw new HarnessCallError('SB_ERR_PLUGIN_ACTION_NOT_FOUND', `no webhook ${name}`, false)
      return guarded(() => handler({ path: '', query: {}, headers: {}, body: '', ...request }, ctx))
    },
    /** hands a socket event (a connection or a visitor's frame) to one of the plugin's socket handlers */
    async socket(name: string, event: SocketEvent): Promise<SocketAnswer> {
      const handler = h.sockets?.[name]
      if (!handler || !definition.permissions.sockets?.some((s) => s.name === name))
        throw new HarnessCallError('SB_ERR_PLUGIN_ACTION_NOT_FOUND', `no socket ${name}`, false)
      return guarded(() => handler(structuredClone(event), ctx))
    },
    /** asks a channel plugin to deliver a message */
    async send(input: Parameters<NonNullable<PluginHandlers<PluginDefinition>['send']>>[0]) {
      if (!h.send) throw new HarnessCallError('SB_ERR_PLUGIN_ACTION_NOT_FOUND', 'the plugin has no send handler', false)
      return guarded(() => h.send!(input, ctx))
    },
    async healthCheck(): Promise<{ ok: boolean; message?: string }> {
      return h.healthCheck ? guarded(() => h.healthCheck!(ctx)) : { ok: true }
    },
    /** delivers a bus event the plugin declared in `permissions.events.receive` */
    async event(topic: string, data: unknown): Promise<void> {
      if (!(definition.permissions.events?.receive ?? []).includes(topic))
        throw new HarnessCallError(
          'SB_ERR_PLUGIN_EVENT_NOT_ALLOWED',
          `${topic} is not in permissions.events.receive`,
          false,
        )
      const handler = h.events?.[topic]
      if (!handler) throw new HarnessCallError('SB_ERR_PLUGIN_ACTION_NOT_FOUND', `no handler for event ${topic}`, false)
      await guarded(() => handler(structuredClone(data), ctx))
    },
    /** moves the harness's clock forward (kv expiry) */
    advanceTime(ms: number) {
      offsetMs += ms
    },
  }
}
