import { createHash, createHmac, randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { inboundMessage, type InboundMessage } from './capabilities/channel.js'
import type { PluginContext, PluginFetchInit, PluginResponse, WebhookRequest } from './context.js'
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

function hostAllowed(definition: PluginDefinition, config: Record<string, unknown>, url: URL): boolean {
  for (const pattern of definition.permissions.hosts ?? []) {
    if (pattern.startsWith('config:')) {
      const value = pattern
        .slice(7)
        .split('.')
        .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], config)
      try {
        if (typeof value === 'string' && new URL(value).host === url.host) return true
      } catch {
        /* not a URL: matches nothing */
      }
    } else if (pattern.startsWith('*.')) {
      if (url.hostname.endsWith(pattern.slice(1)) && url.port === '') return true
    } else if (pattern.includes(':') ? pattern === url.host : pattern === url.hostname && url.port === '') {
      // as in the host: a bare name allows the default port only
      return true
    }
  }
  return false
}

/**
 * Runs a plugin's handlers in-process the way the host runs them in the sandbox: config and
 * secrets parsed with their schemas, inputs parsed and outputs checked, `fetch` refused outside
 * the declared hosts, the key-value store kept in memory, errors turned into coded data. Use it
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
  const config = definition.config.parse(options.config ?? {}) as Record<string, unknown>
  const secrets = definition.secrets.parse(options.secrets ?? {}) as Record<string, unknown>
  const kv = new Map<string, { value: unknown; expiresAt: number | null }>()
  /** the harness's clock; tests move it with `advanceTime` to expire kv values */
  let offsetMs = 0
  const now = () => Date.now() + offsetMs
  const cache = new Map<string, unknown>()
  const received: Array<{ channel: string; message: InboundMessage }> = []
  const emitted: Array<{ topic: string; data: unknown }> = []
  const logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = []
  const progress: string[] = []
  const fetches: Array<{ url: string; init?: PluginFetchInit }> = []

  const ctx: PluginContext = {
    plugin: { name: definition.name, version: definition.version },
    config,
    secrets,
    async fetch(url, init) {
      const target = new URL(url)
      if (!hostAllowed(definition, config, target))
        throw new HarnessCallError(
          'SB_ERR_PLUGIN_HOST_NOT_ALLOWED',
          `${target.host} is not in permissions.hosts`,
          false,
        )
      fetches.push({ url, init })
      // failures come out as the host reports them: coded, retryable, with the reason
      const failed = (error: unknown): never => {
        const timeout = (error as Error)?.name === 'TimeoutError'
        throw new HarnessCallError(
          'SB_ERR_PLUGIN_FETCH_FAILED',
          timeout ? `${target.host} did not answer in time` : `${target.host}: ${(error as Error)?.message}`,
          true,
          { reason: timeout ? 'timeout' : 'network' },
        )
      }
      const response = await fetch(url, {
        method: init?.method ?? 'GET',
        headers: init?.headers,
        body: init?.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(init?.timeoutMs ?? 10_000),
      }).catch(failed)
      // the body is read once, whole (text, json) or as it arrives (chunks), as in the sandbox
      const result: PluginResponse = {
        status: response.status,
        ok: response.ok,
        headers: Object.fromEntries(response.headers),
        text: () => response.text().catch(failed),
        json: async () => JSON.parse(await response.text().catch(failed)) as unknown,
        async *chunks() {
          if (!response.body) return
          const decoder = new TextDecoder()
          const reader = response.body.getReader()
          for (;;) {
            const { done, value } = await reader.read().catch(failed)
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
    kv: {
      async get(key) {
        const entry = kv.get(key)
        if (!entry || (entry.expiresAt !== null && entry.expiresAt <= now())) return undefined
        return structuredClone(entry.value)
      },
      async set(key, value, options) {
        if (!definition.permissions.storageKb)
          throw new HarnessCallError(
            'SB_ERR_PLUGIN_STORAGE_QUOTA',
            'no storage declared (permissions.storageKb)',
            false,
          )
        const ttl = options?.ttlSeconds
        kv.set(key, { value: structuredClone(value), expiresAt: ttl ? now() + ttl * 1000 : null })
      },
      async delete(key) {
        kv.delete(key)
      },
      async list(prefix = '') {
        return [...kv.entries()]
          .filter(([k, e]) => k.startsWith(prefix) && (e.expiresAt === null || e.expiresAt > now()))
          .map(([k]) => k)
          .sort()
      },
    },
    cache: {
      async get(key) {
        return structuredClone(cache.get(key))
      },
      async set(key, value) {
        cache.set(key, structuredClone(value))
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
        const parsed = inboundMessage.parse(message)
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
    /** calls an action as a flow or the console would, input parsed and output checked */
    async callAction(name: string, input: unknown): Promise<unknown> {
      const action = definition.actions?.[name]
      const handler = h.actions?.[name]
      if (!action || !handler) throw new HarnessCallError('SB_ERR_PLUGIN_ACTION_NOT_FOUND', `no action ${name}`, false)
      const parsedInput = action.input.safeParse(input)
      if (!parsedInput.success)
        throw new HarnessCallError('SB_ERR_PLUGIN_INVALID_INPUT', parsedInput.error.message, false)
      const output = await guarded(() => handler(parsedInput.data, ctx))
      const parsedOutput = action.output.safeParse(output)
      if (!parsedOutput.success)
        throw new HarnessCallError(
          'SB_ERR_PLUGIN_INVALID_OUTPUT',
          `${name} returned: ${parsedOutput.error.message}`,
          false,
        )
      return parsedOutput.data
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
