import { createHash } from 'node:crypto'
import { capabilities } from '@switchboard/plugin-sdk'
import type { AuditLog } from '../audit/index.js'
import { ErrorCode, operationalError } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { PiiCipher } from '../pii/index.js'
import type { Db } from '../storage/index.js'
import type { LoadedPlugin, PluginRow } from './loaded-plugin.js'
import { pluginUserError } from './plugin-errors.js'
import { resolveActionRef } from './resolve-action.js'
import { isPluginFault, type SandboxCall, type SandboxError } from './sandbox/index.js'

/** Host codes that mean the caller asked for something wrong; the rest is the plugin's side. */
const CALLER_CODES = new Set<string>([ErrorCode.PLUGIN_INVALID_INPUT, ErrorCode.PLUGIN_ACTION_NOT_FOUND])
const STATUS_BY_CODE: Record<string, 502 | 503 | 504> = {
  [ErrorCode.PLUGIN_TIMEOUT]: 504,
  [ErrorCode.PLUGIN_DISABLED]: 503,
  [ErrorCode.PLUGIN_UNAVAILABLE]: 503,
}

/** A capability method's schemas, as the SDK defines them. */
type Contract = { output: { safeParse(value: unknown): { success: boolean; error?: { issues: unknown[] } } } }

/** An action's result in the cache, with when it was loaded (ms since the epoch). */
type CachedResult = { at: number; value: unknown }

export type NodeResult = {
  port: string
  vars?: Record<string, unknown>
  messages?: Array<{ text: string; quickReplies?: string[] }>
}

/**
 * Calls into plugins. Inputs are checked (defaults filled) before the plugin runs and outputs
 * after (a capability's output also against the SDK's schema, whoever implements it); only then
 * does the call count as a success. Failures of the plugin's own making feed its circuit breaker;
 * when the breaker gives up the plugin is disabled for every instance. What the caller gets:
 * 400/404 for its own mistakes, 502 for the plugin's failures (with the plugin's code and
 * message), 503 when it is paused or unavailable, 504 on a timeout.
 */
export function createPluginInvoker(deps: {
  db: Db
  infra: Infra
  audit: AuditLog
  pii: PiiCipher
  logger: Logger
  loaded: Map<string, LoadedPlugin>
  /** the plugin preferred for a capability when several implement it, if the admin chose one */
  preferredProvider: (capability: string) => Promise<string | null>
  onDisabled: (name: string) => Promise<void>
}) {
  const { db, infra, audit, pii, logger, loaded } = deps

  function secretsOf(row: PluginRow): Record<string, unknown> {
    return row.secretsEnc ? (JSON.parse(pii.decrypt('plugin.secrets', row.secretsEnc)) as Record<string, unknown>) : {}
  }

  function failure(plugin: LoadedPlugin, error: SandboxError, what: string) {
    plugin.log.add(CALLER_CODES.has(error.code) ? 'warn' : 'error', `${what}: ${error.code} ${error.message}`)
    if (CALLER_CODES.has(error.code))
      return pluginUserError(error.code, `${plugin.name}: ${error.message}`, error.details)
    return operationalError(error.code, `${plugin.name}: ${error.message}`, {
      status: STATUS_BY_CODE[error.code] ?? 502,
      details: error.details,
    })
  }

  let disabling = new Set<string>()
  async function countFailure(plugin: LoadedPlugin, error: SandboxError, publicCaller: boolean) {
    // an anonymous webhook caller must not be able to get a plugin disabled for good
    if (!isPluginFault(error) || publicCaller) return plugin.breaker.recordNeutral()
    plugin.failures++
    plugin.breaker.recordFailure()
    if (!plugin.breaker.exhausted || disabling.has(plugin.name)) return
    disabling.add(plugin.name)
    try {
      logger.warn({ plugin: plugin.name }, 'plugin failed repeatedly: disabled until an admin enables it')
      plugin.log.add('error', 'disabled after repeated failures (circuit breaker); enable it again once fixed')
      const updated = await db.plugin.updateMany({
        where: { id: plugin.name, enabled: true },
        data: { enabled: false, disabledReason: 'circuit-open' },
      })
      if (updated.count > 0)
        await audit.record(
          { userId: null, email: 'system' },
          {
            action: 'plugin.disabled',
            targetType: 'plugin',
            targetId: plugin.name,
            details: { reason: 'circuit-open' },
          },
        )
      await deps.onDisabled(plugin.name)
    } finally {
      disabling = new Set([...disabling].filter((n) => n !== plugin.name))
    }
  }

  /**
   * One call into a plugin's sandbox. `check` validates the value the plugin returned (throwing
   * its problems); the call counts as a success only when it passes.
   */
  async function invoke(
    plugin: LoadedPlugin,
    call: SandboxCall,
    options: {
      onProgress?: (partial: string) => void
      check?: (value: unknown) => SandboxError | null
      publicCaller?: boolean
    } = {},
  ): Promise<unknown> {
    const what = `${call.kind}${'name' in call ? ` ${call.name}` : ''}`
    if (!plugin.breaker.allow()) throw failure(plugin, plugin.breaker.rejection(), what)
    plugin.calls++
    const sandbox = await plugin.sandboxOf()
    const result = await sandbox.invoke({
      call,
      config: plugin.row.config,
      secrets: secretsOf(plugin.row),
      onProgress: options.onProgress,
    })
    const error = result.ok ? (options.check?.(result.value) ?? null) : result.error
    if (!error) {
      plugin.breaker.recordSuccess()
      return (result as { value: unknown }).value
    }
    await countFailure(plugin, error, options.publicCaller ?? false)
    throw failure(plugin, error, what)
  }

  const invalidOutput = (message: string, details?: unknown): SandboxError => ({
    code: ErrorCode.PLUGIN_INVALID_OUTPUT,
    message,
    retryable: false,
    details,
  })

  function enabledPlugin(name: string): LoadedPlugin {
    const plugin = loaded.get(name)
    if (!plugin) throw pluginUserError(ErrorCode.PLUGIN_NOT_FOUND, `no enabled plugin named ${name}`)
    return plugin
  }

  /** The enabled plugin serving a capability: the admin's choice, else the earliest installed. */
  async function implementer(capability: string): Promise<LoadedPlugin> {
    const preferred = await deps.preferredProvider(capability)
    const candidates = [...loaded.values()].filter((p) => p.manifest.implements.includes(capability))
    const plugin = candidates.find((p) => p.name === preferred) ?? candidates[0]
    if (!plugin) throw pluginUserError(ErrorCode.PLUGIN_NOT_FOUND, `no enabled plugin implements ${capability}`)
    return plugin
  }

  /**
   * Calls a plugin action. An action with `cacheSeconds` answers from the cache while its result
   * is fresh; `fresh: true` loads it again (and caches the new result), and `onLoadedAt` learns
   * when the answer was produced (now, or when the cached result was loaded).
   */
  async function callAction(
    ref: string,
    input: unknown,
    options: { onProgress?: (partial: string) => void; fresh?: boolean; onLoadedAt?: (at: Date) => void } = {},
  ) {
    const target = resolveActionRef(ref)
    if (!target)
      throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `"${ref}" is not plugin.action or capability.method`)
    let plugin: LoadedPlugin
    let action: string
    let contract = null as Contract | null
    if (target.kind === 'capability') {
      const capability = capabilities[target.capability as keyof typeof capabilities]
      const method = (capability.methods as unknown as Record<string, Contract | undefined>)[target.method]
      if (!method)
        throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${target.capability} has no method ${target.method}`)
      plugin = await implementer(target.capability)
      action = target.method
      contract = method
    } else {
      plugin = enabledPlugin(target.plugin)
      action = target.action
    }
    const spec = plugin.manifest.actions[action]
    if (!spec) throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${plugin.name} has no action ${action}`)
    const checkedInput = structuredClone(input ?? {})
    const problems = plugin.schemas.check(action, 'input', spec.input, checkedInput)
    if (problems.length > 0) throw pluginUserError(ErrorCode.PLUGIN_INVALID_INPUT, `${ref}: invalid input`, problems)
    const check = (value: unknown): SandboxError | null => {
      const outputProblems = plugin.schemas.check(action, 'output', spec.output, value)
      if (outputProblems.length > 0)
        return invalidOutput(`${action} returned a result that breaks its output schema`, outputProblems)
      const parsed = contract?.output.safeParse(value)
      if (parsed && !parsed.success)
        return invalidOutput(`${action} returned a result that breaks the ${ref} contract`, parsed.error?.issues)
      return null
    }
    const run = () =>
      invoke(plugin, { kind: 'action', name: action, input: checkedInput }, { onProgress: options.onProgress, check })
    if (!spec.cacheSeconds || options.onProgress) {
      options.onLoadedAt?.(new Date())
      return run()
    }
    // the key changes with the input, the configuration and secrets, and the installed code
    const key = `plugin-result:v2:${plugin.name}:${action}:${createHash('sha256')
      .update(JSON.stringify(checkedInput))
      .update(JSON.stringify(plugin.row.config))
      .update(plugin.row.secretsEnc ?? '')
      .update(String(plugin.row.updatedAt.getTime()))
      .digest('base64url')}`
    const ttlMs = spec.cacheSeconds * 1000
    // kept with the time it was loaded, so the console can say how old a cached panel is
    const load = async (): Promise<CachedResult> => ({ at: Date.now(), value: await run() })
    let entry: CachedResult
    if (options.fresh) {
      entry = await load()
      await infra.cache.set(key, entry, ttlMs)
    } else entry = await infra.cache.getOrLoad(key, ttlMs, load)
    options.onLoadedAt?.(new Date(entry.at))
    return entry.value
  }

  async function runNode(
    name: string,
    node: string,
    input: {
      config: unknown
      vars: Record<string, unknown>
      input?: { text?: string; digits?: string }
      channel: 'text' | 'voice'
    },
  ): Promise<NodeResult> {
    const plugin = enabledPlugin(name)
    const spec = plugin.manifest.nodes[node]
    if (!spec) throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${name} has no node ${node}`)
    const check = (value: unknown): SandboxError | null => {
      const out = value as { port?: unknown; vars?: unknown; messages?: unknown } | null
      const valid =
        typeof out === 'object' &&
        out !== null &&
        typeof out.port === 'string' &&
        spec.ports.includes(out.port) &&
        (out.vars === undefined || (typeof out.vars === 'object' && out.vars !== null && !Array.isArray(out.vars))) &&
        (out.messages === undefined ||
          (Array.isArray(out.messages) &&
            out.messages.every((m) => typeof (m as { text?: unknown })?.text === 'string')))
      return valid
        ? null
        : invalidOutput(`${name}.${node} must return { port: one of ${spec.ports.join(', ')}, vars?, messages? }`)
    }
    return (await invoke(plugin, { kind: 'node', name: node, input }, { check })) as NodeResult
  }

  async function webhook(
    name: string,
    route: string,
    request: {
      method: 'GET' | 'POST'
      path: string
      query: Record<string, string>
      headers: Record<string, string>
      body: string
    },
  ) {
    const plugin = enabledPlugin(name)
    const declared = plugin.manifest.permissions.webhooks.find((w) => w.name === route)
    if (!declared || !declared.methods.includes(request.method))
      throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${name} has no ${request.method} webhook ${route}`)
    const check = (value: unknown): SandboxError | null => {
      const r = value as { status?: unknown; body?: unknown; headers?: unknown } | null
      const ok =
        typeof r?.status === 'number' &&
        r.status >= 100 &&
        r.status < 600 &&
        (r.body === undefined || typeof r.body === 'string') &&
        (r.headers === undefined || (typeof r.headers === 'object' && r.headers !== null))
      return ok ? null : invalidOutput(`${name} webhook ${route} must return { status, headers?, body?: string }`)
    }
    const response = (await invoke(
      plugin,
      { kind: 'webhook', name: route, request },
      { check, publicCaller: true },
    )) as {
      status: number
      headers?: Record<string, unknown>
      body?: string
    }
    return { status: response.status, headers: response.headers ?? {}, body: response.body ?? '' }
  }

  /** A socket event (a connection or a visitor's frame) for one of the plugin's declared sockets. */
  async function socket(name: string, route: string, event: unknown): Promise<Record<string, unknown>> {
    const plugin = enabledPlugin(name)
    if (!plugin.manifest.permissions.sockets.some((s) => s.name === route))
      throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${name} has no socket ${route}`)
    const check = (value: unknown): SandboxError | null =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? null
        : invalidOutput(`${name} socket ${route} must return an object ({ accept?, visitorId?, reason? })`)
    return (await invoke(plugin, { kind: 'socket', name: route, event }, { check, publicCaller: true })) as Record<
      string,
      unknown
    >
  }

  async function send(name: string, input: { channel: string; message: unknown }) {
    const plugin = enabledPlugin(name)
    if (!plugin.manifest.channels[input.channel])
      throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${name} has no channel ${input.channel}`)
    const check = (value: unknown): SandboxError | null => {
      const id = (value as { channelMessageId?: unknown } | null)?.channelMessageId
      return id === null || typeof id === 'string'
        ? null
        : invalidOutput(`${name} send must return { channelMessageId }`)
    }
    return (await invoke(plugin, { kind: 'send', input }, { check })) as { channelMessageId: string | null }
  }

  async function deliverEvent(name: string, topic: string, data: unknown) {
    const plugin = loaded.get(name)
    if (!plugin || !plugin.manifest.permissions.events.receive.includes(topic)) return
    await invoke(plugin, { kind: 'event', topic, data }).catch((error: { code?: string; message?: string }) => {
      if (error.code !== ErrorCode.PLUGIN_ACTION_NOT_FOUND) plugin.log.add('error', `event ${topic}: ${error.message}`)
    })
  }

  async function healthCheck(name: string) {
    return invoke(enabledPlugin(name), { kind: 'healthCheck' })
  }

  return { callAction, runNode, webhook, socket, send, deliverEvent, healthCheck, secretsOf, enabledPlugin }
}
export type PluginInvoker = ReturnType<typeof createPluginInvoker>
