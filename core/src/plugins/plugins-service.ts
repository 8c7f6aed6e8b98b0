import { createHash } from 'node:crypto'
import { capabilities, inboundMessage, type PluginManifest } from '@switchboard/plugin-sdk'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, operationalError } from '../errors/index.js'
import { pluginUserError } from './plugin-errors.js'
import type { NodeTypeRegistry } from '../flows/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { PiiCipher } from '../pii/index.js'
import type { Db } from '../storage/index.js'
import {
  CircuitBreaker,
  isPluginFault,
  type HostCapabilities,
  type PluginSandbox,
  type SandboxCall,
  type SandboxLimits,
} from './sandbox/index.js'
import type { SandboxFactory } from './sandbox-factory.js'
import { createPluginKvStore } from './plugin-kv-store.js'
import { PluginLog, type PluginLogEntry } from './plugin-log.js'
import { capabilityNodeTypes, pluginNodeTypes } from './plugin-node-types.js'
import { readPluginFolder, readPluginTarball, type PluginPackage, checkInstallable } from './plugin-package.js'
import { resolveActionRef } from './resolve-action.js'

export interface PluginsSettings {
  enabled: boolean
  memoryMb: number
  cpuMs: number
  timeout: number
  fetchMaxBytes: number
  failureThreshold: number
}

export interface PluginStatus {
  name: string
  version: string
  title: { en: string; 'zh-CN': string }
  description: { en: string; 'zh-CN': string }
  kinds: string[]
  enabled: boolean
  disabledReason: string | null
  implements: string[]
  actions: string[]
  calls: number
  failures: number
  circuit: 'closed' | 'open' | 'half-open'
  icon: string
  installedAt: string
  updatedAt: string
}

const CHANGED = 'plugins.changed'

type Row = NonNullable<Awaited<ReturnType<Db['plugin']['findUnique']>>>

interface LoadedPlugin {
  manifest: PluginManifest
  code: string
  row: Row
  sandbox: Promise<PluginSandbox> | null
  breaker: CircuitBreaker
  log: PluginLog
  calls: number
  failures: number
  validators: Map<string, ValidateFunction>
  unsubscribe: Array<() => Promise<void>>
}

export interface PluginsServiceDeps {
  db: Db
  infra: Infra
  audit: AuditLog
  pii: PiiCipher
  logger: Logger
  nodeTypes: NodeTypeRegistry
  settings: PluginsSettings
  /** null when no sandbox can run on this machine (isolated-vm failed to load) */
  createSandbox: SandboxFactory | null
  sandboxUnavailable?: string
}

/**
 * Installed plugins: their lifecycle (install, upgrade, configure, enable, disable, uninstall),
 * the calls into their sandboxes (input and output checked against the manifest, results cached
 * when the action says so, failures counted by a circuit breaker), and what they contribute (flow
 * node types, webhooks, panels). Every instance loads plugins from the database and reloads when
 * another instance changes one.
 */
export function createPluginsService(deps: PluginsServiceDeps) {
  const { db, infra, audit, pii, logger, nodeTypes, settings } = deps
  const loaded = new Map<string, LoadedPlugin>()
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    useDefaults: true,
    // formats zod writes into plugin schemas; starts_with & co. come with a pattern that does the check
    formats: {
      uri: (value: string) => URL.canParse(value),
      email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
      'date-time': (value: string) => !Number.isNaN(Date.parse(value)),
      uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      starts_with: true,
      ends_with: true,
      includes: true,
    },
  })
  const registeredTypes = new Set<string>()
  let busUnsubscribe: (() => Promise<void>) | null = null

  // ── lookups ─────────────────────────────────────────────────────────────────────────

  function notFound(name: string): never {
    throw pluginUserError(ErrorCode.PLUGIN_NOT_FOUND, `no plugin named ${name} is installed`)
  }

  async function row(name: string): Promise<Row> {
    return (await db.plugin.findUnique({ where: { id: name } })) ?? notFound(name)
  }

  function validator(plugin: LoadedPlugin, key: string, schema: Record<string, unknown>): ValidateFunction {
    let v = plugin.validators.get(key)
    if (!v) {
      v = ajv.compile(schema)
      plugin.validators.set(key, v)
    }
    return v
  }

  function problemsOf(v: ValidateFunction) {
    return (v.errors ?? []).map((e) => ({
      path: e.instancePath.replace(/^\//, '').replace(/\//g, '.'),
      message: e.message ?? 'invalid',
    }))
  }

  function statusOf(r: Row, plugin = loaded.get(r.id)): PluginStatus {
    const manifest = r.manifest as unknown as PluginManifest
    return {
      name: r.id,
      version: r.version,
      title: manifest.title,
      description: manifest.description,
      kinds: manifest.kinds,
      enabled: r.enabled,
      disabledReason: r.disabledReason,
      implements: manifest.implements,
      actions: Object.keys(manifest.actions),
      calls: plugin?.calls ?? 0,
      failures: plugin?.failures ?? 0,
      circuit: plugin?.breaker.state ?? 'closed',
      icon: r.icon,
      installedAt: r.installedAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    }
  }

  // ── loading into this instance ──────────────────────────────────────────────────────

  function limitsOf(manifest: PluginManifest): SandboxLimits {
    // a plugin may ask for less than the host allows, never more
    const min = (asked: number | undefined, cap: number) => Math.min(asked ?? cap, cap)
    return {
      memoryMb: min(manifest.limits.memoryMb, settings.memoryMb),
      cpuMs: min(manifest.limits.cpuMs, settings.cpuMs),
      timeoutMs: min(manifest.limits.timeoutMs, settings.timeout),
      maxResponseBytes: settings.fetchMaxBytes,
      fetchTimeoutMs: min(manifest.limits.timeoutMs, settings.timeout),
    }
  }

  function capabilitiesFor(manifest: PluginManifest, log: PluginLog): HostCapabilities {
    const kv = createPluginKvStore(db, manifest.name, manifest.permissions.storageKb)
    const cacheKey = (key: string) => `plugin:${manifest.name}:${key}`
    return {
      kv,
      cache: {
        get: (key) => infra.cache.get(cacheKey(key)),
        set: (key, value, ttlSeconds) =>
          infra.cache.set(cacheKey(key), value, Math.max(1, Math.min(ttlSeconds, 86_400)) * 1000),
      },
      log(level, message, fields) {
        log.add(level, message, fields)
        logger[level === 'debug' ? 'debug' : level]({ plugin: manifest.name, ...fields }, `plugin: ${message}`)
      },
      async emit(topic, data) {
        if (!manifest.permissions.events.emit.includes(topic))
          throw pluginUserError(ErrorCode.PLUGIN_EVENT_NOT_ALLOWED, `${topic} is not in permissions.events.emit`)
        await infra.bus.publish(`${manifest.name}.${topic}`, data)
      },
      async receive(channel, message) {
        if (!manifest.channels[channel])
          throw pluginUserError(ErrorCode.PLUGIN_INVALID_OUTPUT, `${manifest.name} has no channel named ${channel}`)
        const parsed = inboundMessage.safeParse(message)
        if (!parsed.success)
          throw pluginUserError(
            ErrorCode.PLUGIN_INVALID_OUTPUT,
            `inbound message: ${parsed.error.issues[0]?.message}`,
            parsed.error.issues,
          )
        // a channel retries (WeChat thrice): the same message id is handed on once per day
        const seen = await infra.cache.increment(
          `plugin-inbound:${manifest.name}:${channel}:${parsed.data.channelMessageId}`,
          24 * 3600_000,
        )
        if (seen > 1) return { duplicate: true }
        await infra.bus.publish('channel.message.received', {
          plugin: manifest.name,
          channel,
          identityKind: manifest.channels[channel]!.identityKind,
          message: parsed.data,
        })
        return { duplicate: false }
      },
    }
  }

  function sandboxOf(plugin: LoadedPlugin): Promise<PluginSandbox> {
    if (!deps.createSandbox)
      throw operationalError(ErrorCode.PLUGIN_UNAVAILABLE, `plugins cannot run here: ${deps.sandboxUnavailable}`)
    plugin.sandbox ??= deps
      .createSandbox({
        name: plugin.manifest.name,
        version: plugin.manifest.version,
        code: plugin.code,
        hosts: plugin.manifest.permissions.hosts,
        limits: limitsOf(plugin.manifest),
        capabilities: capabilitiesFor(plugin.manifest, plugin.log),
      })
      .catch((error: unknown) => {
        plugin.sandbox = null
        throw error
      })
    return plugin.sandbox
  }

  function refreshNodeTypes() {
    for (const type of registeredTypes) nodeTypes.unregister(type)
    registeredTypes.clear()
    const calls = { callAction: (ref: string, input: unknown) => callAction(ref, input), runNode }
    const add = (types: ReturnType<typeof pluginNodeTypes>) => {
      for (const t of types) {
        if (nodeTypes.get(t.type)) continue
        nodeTypes.register(t)
        registeredTypes.add(t.type)
      }
    }
    const implemented: string[] = []
    for (const plugin of loaded.values()) {
      add(pluginNodeTypes(plugin.manifest, calls))
      implemented.push(...plugin.manifest.implements)
    }
    add(capabilityNodeTypes(implemented, calls))
  }

  async function unload(name: string) {
    const plugin = loaded.get(name)
    if (!plugin) return
    loaded.delete(name)
    for (const u of plugin.unsubscribe) await u().catch(() => undefined)
    const sandbox = plugin.sandbox
    plugin.sandbox = null
    if (sandbox) await sandbox.then((s) => s.dispose()).catch(() => undefined)
  }

  async function load(r: Row) {
    await unload(r.id)
    if (!r.enabled || !settings.enabled) return
    const manifest = r.manifest as unknown as PluginManifest
    const plugin: LoadedPlugin = {
      manifest,
      code: r.code,
      row: r,
      sandbox: null,
      breaker: new CircuitBreaker({
        threshold: settings.failureThreshold,
        windowMs: 60_000,
        cooldownMs: 30_000,
        maxOpenings: 3,
      }),
      log: new PluginLog(),
      calls: 0,
      failures: 0,
      validators: new Map(),
      unsubscribe: [],
    }
    loaded.set(r.id, plugin)
    for (const topic of manifest.permissions.events.receive) {
      const unsubscribe = await infra.bus.subscribe(topic, async (data) => {
        const result = await invoke(plugin, { kind: 'event', topic, data }).catch((error: Error) => error)
        if (result instanceof Error && (result as { code?: string }).code !== ErrorCode.PLUGIN_ACTION_NOT_FOUND)
          plugin.log.add('error', `event ${topic}: ${result.message}`)
      })
      plugin.unsubscribe.push(unsubscribe)
    }
  }

  async function reloadAll() {
    const rows = await db.plugin.findMany()
    const names = new Set(rows.map((r) => r.id))
    for (const name of [...loaded.keys()]) if (!names.has(name)) await unload(name)
    for (const r of rows) {
      const current = loaded.get(r.id)
      const same = current && current.row.updatedAt.getTime() === r.updatedAt.getTime()
      if (!same) await load(r)
    }
    refreshNodeTypes()
  }

  async function changed(name: string) {
    await reloadAll()
    await infra.bus.publish(CHANGED, { name })
  }

  // ── calls into a plugin ─────────────────────────────────────────────────────────────

  function secretsOf(r: Row): Record<string, unknown> {
    return r.secretsEnc ? (JSON.parse(pii.decrypt('plugin.secrets', r.secretsEnc)) as Record<string, unknown>) : {}
  }

  async function disableByBreaker(plugin: LoadedPlugin) {
    logger.warn({ plugin: plugin.manifest.name }, 'plugin failed repeatedly: disabled until an admin enables it')
    plugin.log.add('error', 'disabled after repeated failures (circuit breaker); enable it again once fixed')
    await db.plugin.update({
      where: { id: plugin.manifest.name },
      data: { enabled: false, disabledReason: 'circuit-open' },
    })
    await audit.record(
      { userId: null, email: 'system' },
      {
        action: 'plugin.disabled',
        targetType: 'plugin',
        targetId: plugin.manifest.name,
        details: { reason: 'circuit-open' },
      },
    )
    await changed(plugin.manifest.name)
  }

  async function invoke(
    plugin: LoadedPlugin,
    call: SandboxCall,
    onProgress?: (partial: string) => void,
  ): Promise<unknown> {
    const name = plugin.manifest.name
    if (!plugin.breaker.allow()) {
      const refused = plugin.breaker.rejection()
      throw operationalError(ErrorCode.PLUGIN_DISABLED, `${name}: ${refused.message}`, { details: refused.details })
    }
    plugin.calls++
    const sandbox = await sandboxOf(plugin)
    const result = await sandbox.invoke({ call, config: plugin.row.config, secrets: secretsOf(plugin.row), onProgress })
    if (result.ok) {
      plugin.breaker.recordSuccess()
      return result.value
    }
    const { code, message, retryable, details } = result.error
    const pluginsFault = isPluginFault(result.error)
    if (pluginsFault) {
      plugin.failures++
      plugin.breaker.recordFailure()
      if (plugin.breaker.exhausted) await disableByBreaker(plugin)
    } else plugin.breaker.recordNeutral()
    plugin.log.add(
      pluginsFault ? 'error' : 'warn',
      `${call.kind}${'name' in call ? ` ${call.name}` : ''}: ${code} ${message}`,
    )
    throw retryable
      ? operationalError(code, `${name}: ${message}`, { details })
      : pluginUserError(code, `${name}: ${message}`, details)
  }

  function loadedOrThrow(name: string): LoadedPlugin {
    const plugin = loaded.get(name)
    if (plugin) return plugin
    throw pluginUserError(ErrorCode.PLUGIN_NOT_FOUND, `no enabled plugin named ${name}`)
  }

  function implementer(capability: string): LoadedPlugin {
    for (const plugin of loaded.values()) if (plugin.manifest.implements.includes(capability)) return plugin
    throw pluginUserError(ErrorCode.PLUGIN_NOT_FOUND, `no enabled plugin implements ${capability}`)
  }

  /**
   * Calls an action by reference: `erp.getOrder` (the capability, whichever enabled plugin
   * implements it) or `erp-woocommerce.getOrder` (that plugin). The input is checked against
   * the action's schema (defaults applied) before the plugin runs, and the output after.
   */
  async function callAction(ref: string, input: unknown, options: { onProgress?: (partial: string) => void } = {}) {
    const target = resolveActionRef(ref)
    if (!target)
      throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `"${ref}" is not plugin.action or capability.method`)
    let plugin: LoadedPlugin
    let action: string
    if (target.kind === 'capability') {
      const capability = capabilities[target.capability as keyof typeof capabilities]
      if (!(target.method in capability.methods))
        throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${target.capability} has no method ${target.method}`)
      plugin = implementer(target.capability)
      action = target.method
    } else {
      plugin = loadedOrThrow(target.plugin)
      action = target.action
    }
    const spec = plugin.manifest.actions[action]
    if (!spec)
      throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${plugin.manifest.name} has no action ${action}`)
    const checkedInput = structuredClone(input ?? {})
    const checkInput = validator(plugin, `in:${action}`, spec.input)
    if (!checkInput(checkedInput))
      throw pluginUserError(ErrorCode.PLUGIN_INVALID_INPUT, `${ref}: invalid input`, problemsOf(checkInput))
    const run = async () => {
      const output = await invoke(plugin, { kind: 'action', name: action, input: checkedInput }, options.onProgress)
      const checkOutput = validator(plugin, `out:${action}`, spec.output)
      if (!checkOutput(output)) {
        plugin.failures++
        plugin.breaker.recordFailure()
        plugin.log.add('error', `action ${action} returned output that breaks its schema`, {
          problems: problemsOf(checkOutput),
        })
        throw operationalError(ErrorCode.PLUGIN_INVALID_OUTPUT, `${ref}: the plugin returned an invalid result`, {
          details: problemsOf(checkOutput),
        })
      }
      return output
    }
    if (!spec.cacheSeconds || options.onProgress) return run()
    const key = `plugin-result:${plugin.manifest.name}@${plugin.manifest.version}:${action}:${createHash('sha256')
      .update(JSON.stringify(checkedInput))
      .update(JSON.stringify(plugin.row.config))
      .digest('base64url')}`
    return infra.cache.getOrLoad(key, spec.cacheSeconds * 1000, run)
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
  ) {
    const plugin = loadedOrThrow(name)
    const spec = plugin.manifest.nodes[node]
    if (!spec) throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${name} has no node ${node}`)
    const output = (await invoke(plugin, { kind: 'node', name: node, input })) as {
      port?: unknown
      vars?: unknown
      messages?: unknown
    }
    const valid =
      typeof output === 'object' &&
      output !== null &&
      typeof output.port === 'string' &&
      spec.ports.includes(output.port) &&
      (output.vars === undefined ||
        (typeof output.vars === 'object' && output.vars !== null && !Array.isArray(output.vars))) &&
      (output.messages === undefined ||
        (Array.isArray(output.messages) &&
          output.messages.every((m) => typeof (m as { text?: unknown })?.text === 'string')))
    if (!valid) {
      plugin.failures++
      plugin.breaker.recordFailure()
      throw operationalError(
        ErrorCode.PLUGIN_INVALID_OUTPUT,
        `${name}.${node} must return { port: one of ${spec.ports.join(', ')}, vars?, messages? }`,
      )
    }
    return output as {
      port: string
      vars?: Record<string, unknown>
      messages?: Array<{ text: string; quickReplies?: string[] }>
    }
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────────────

  function checkConfig(manifest: PluginManifest, config: unknown, secrets: unknown) {
    const problems: Array<{ path: string; message: string }> = []
    const c = structuredClone(config ?? {})
    const s = structuredClone(secrets ?? {})
    const vc = ajv.compile(manifest.config)
    if (!vc(c)) problems.push(...problemsOf(vc).map((p) => ({ ...p, path: `config.${p.path}`.replace(/\.$/, '') })))
    const vs = ajv.compile(manifest.secrets)
    if (!vs(s)) problems.push(...problemsOf(vs).map((p) => ({ ...p, path: `secrets.${p.path}`.replace(/\.$/, '') })))
    return { config: c as Record<string, unknown>, secrets: s as Record<string, unknown>, problems }
  }

  async function install(
    source: { dir: string } | { tgz: Buffer } | { package: PluginPackage },
    options: { upgrade?: boolean; actor: Actor },
  ): Promise<PluginStatus> {
    const pkg =
      'package' in source
        ? source.package
        : 'dir' in source
          ? readPluginFolder(source.dir)
          : await readPluginTarball(source.tgz)
    const { manifest } = pkg
    const existing = await db.plugin.findUnique({ where: { id: manifest.name } })
    if (existing && !options.upgrade)
      throw pluginUserError(
        ErrorCode.CONFLICT,
        `${manifest.name} ${existing.version} is already installed; upgrade it (--upgrade) or uninstall it first`,
      )
    // a sandbox must accept the code before it replaces anything: syntax errors, a bundle that
    // does not define the declared handlers, or code that loops at load time stop here
    if (deps.createSandbox) {
      const probe = await deps
        .createSandbox({
          name: manifest.name,
          version: manifest.version,
          code: pkg.code,
          hosts: [],
          limits: limitsOf(manifest),
          capabilities: capabilitiesFor(manifest, new PluginLog()),
        })
        .catch((error: Error) => {
          throw pluginUserError(ErrorCode.PLUGIN_MANIFEST_INVALID, `${manifest.main} does not load: ${error.message}`)
        })
      await probe.dispose()
    }
    const oldSecrets = existing ? secretsOf(existing) : {}
    const checked = checkConfig(manifest, existing?.config ?? {}, oldSecrets)
    // a plugin installs even when it needs configuration first; it runs once configured
    const disabledReason =
      checked.problems.length > 0 ? 'config-invalid' : existing && !existing.enabled ? existing.disabledReason : null
    const data = {
      version: manifest.version,
      manifest: manifest as never,
      code: pkg.code,
      readme: pkg.readme,
      icon: pkg.icon,
      config: checked.problems.length > 0 ? ((existing?.config ?? {}) as never) : (checked.config as never),
      enabled: disabledReason === null,
      disabledReason,
    }
    const saved = await db.$transaction(async (tx) => {
      const r = existing
        ? await tx.plugin.update({ where: { id: manifest.name }, data: { ...data, previousVersion: existing.version } })
        : await tx.plugin.create({ data: { id: manifest.name, ...data } })
      await audit.record(
        options.actor,
        {
          action: existing ? 'plugin.upgraded' : 'plugin.installed',
          targetType: 'plugin',
          targetId: manifest.name,
          details: { version: manifest.version, from: existing?.version ?? null },
        },
        tx as never,
      )
      return r
    })
    await changed(manifest.name)
    return statusOf(saved)
  }

  async function setEnabled(name: string, enabled: boolean, actor: Actor): Promise<PluginStatus> {
    const r = await row(name)
    if (enabled) {
      const manifest = checkInstallable(r.manifest)
      const checked = checkConfig(manifest, r.config, secretsOf(r))
      if (checked.problems.length > 0)
        throw pluginUserError(
          ErrorCode.PLUGIN_CONFIG_INVALID,
          `${name} needs configuration before it can run`,
          checked.problems,
        )
    }
    const saved = await db.plugin.update({
      where: { id: name },
      data: { enabled, disabledReason: enabled ? null : 'admin' },
    })
    await audit.record(actor, {
      action: enabled ? 'plugin.enabled' : 'plugin.disabled',
      targetType: 'plugin',
      targetId: name,
    })
    await changed(name)
    return statusOf(saved)
  }

  /**
   * Saves configuration and secrets (secrets merge over the stored ones; a field set to null is
   * removed). Both are checked against the plugin's schemas first; nothing is saved on a problem.
   */
  async function configure(name: string, input: { config?: unknown; secrets?: unknown }, actor: Actor) {
    const r = await row(name)
    const manifest = r.manifest as unknown as PluginManifest
    const merged = { ...secretsOf(r) }
    if (input.secrets !== undefined) {
      if (typeof input.secrets !== 'object' || input.secrets === null || Array.isArray(input.secrets))
        throw pluginUserError(ErrorCode.PLUGIN_CONFIG_INVALID, 'secrets must be an object of fields')
      for (const [k, v] of Object.entries(input.secrets))
        if (v === null) delete merged[k]
        else merged[k] = v
    }
    const checked = checkConfig(manifest, input.config ?? r.config, merged)
    if (checked.problems.length > 0)
      throw pluginUserError(
        ErrorCode.PLUGIN_CONFIG_INVALID,
        `invalid configuration for ${name}: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        checked.problems,
      )
    const wasWaiting = r.disabledReason === 'config-invalid'
    const saved = await db.$transaction(async (tx) => {
      const s = await tx.plugin.update({
        where: { id: name },
        data: {
          config: checked.config as never,
          secretsEnc:
            Object.keys(checked.secrets).length > 0
              ? pii.encrypt('plugin.secrets', JSON.stringify(checked.secrets))
              : null,
          ...(wasWaiting ? { enabled: true, disabledReason: null } : {}),
        },
      })
      await audit.record(
        actor,
        {
          action: 'plugin.configured',
          targetType: 'plugin',
          targetId: name,
          details: { config: Object.keys(checked.config), secrets: Object.keys(checked.secrets) },
        },
        tx as never,
      )
      return s
    })
    await changed(name)
    return statusOf(saved)
  }

  async function uninstall(name: string, actor: Actor): Promise<void> {
    await row(name)
    await db.$transaction(async (tx) => {
      await tx.plugin.delete({ where: { id: name } })
      await audit.record(actor, { action: 'plugin.uninstalled', targetType: 'plugin', targetId: name }, tx as never)
    })
    await changed(name)
  }

  return {
    /** Loads the enabled plugins and follows changes made by other instances. */
    async start() {
      busUnsubscribe = await infra.bus.subscribe(CHANGED, async () => {
        await reloadAll().catch((error: Error) => logger.error({ err: error }, 'reloading plugins failed'))
      })
      await reloadAll()
    },
    async stop() {
      await busUnsubscribe?.()
      for (const name of [...loaded.keys()]) await unload(name)
    },
    install,
    /** whether an enabled plugin implements this capability (e.g. llm) on this instance */
    hasCapability(capability: string): boolean {
      return [...loaded.values()].some((p) => p.manifest.implements.includes(capability))
    },
    setEnabled,
    configure,
    uninstall,
    async list(): Promise<PluginStatus[]> {
      const rows = await db.plugin.findMany({ orderBy: { id: 'asc' } })
      return rows.map((r) => statusOf(r))
    },
    async get(name: string) {
      const r = await row(name)
      const plugin = loaded.get(name)
      const manifest = r.manifest as unknown as PluginManifest
      const secrets = secretsOf(r)
      return {
        ...statusOf(r),
        manifest,
        readme: r.readme,
        config: r.config as Record<string, unknown>,
        /** which secret fields are set; their values never leave the server */
        secretsSet: Object.keys(secrets),
        previousVersion: r.previousVersion,
        sandbox: plugin?.sandbox ? await plugin.sandbox.then((s) => s.stats()).catch(() => null) : null,
      }
    },
    logs(name: string, limit = 100): PluginLogEntry[] {
      return loaded.get(name)?.log.recent(limit) ?? []
    },
    callAction,
    runNode,
    async healthCheck(name: string) {
      const plugin = loadedOrThrow(name)
      return invoke(plugin, { kind: 'healthCheck' })
    },
    /** An HTTP request to a plugin's webhook route (/hooks/<plugin>/<name>/…). */
    async webhook(
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
      const plugin = loadedOrThrow(name)
      const declared = plugin.manifest.permissions.webhooks.find((w) => w.name === route)
      if (!declared || !declared.methods.includes(request.method))
        throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${name} has no ${request.method} webhook ${route}`)
      const response = (await invoke(plugin, { kind: 'webhook', name: route, request })) as {
        status?: unknown
        headers?: unknown
        body?: unknown
      }
      const status =
        typeof response?.status === 'number' && response.status >= 100 && response.status < 600 ? response.status : null
      if (status === null || (response.body !== undefined && typeof response.body !== 'string'))
        throw operationalError(
          ErrorCode.PLUGIN_INVALID_OUTPUT,
          `${name} webhook ${route} must return { status, headers?, body?: string }`,
        )
      return {
        status,
        headers: (response.headers ?? {}) as Record<string, string>,
        body: (response.body as string | undefined) ?? '',
      }
    },
    /** Asks a channel plugin to deliver a message to a customer. */
    async send(name: string, input: { channel: string; message: unknown }) {
      const plugin = loadedOrThrow(name)
      if (!plugin.manifest.channels[input.channel])
        throw pluginUserError(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${name} has no channel ${input.channel}`)
      return invoke(plugin, { kind: 'send', input }) as Promise<{ channelMessageId: string | null }>
    },
    /** The console's screen-pop panels of the enabled plugins. */
    panels() {
      return [...loaded.values()].flatMap((p) =>
        Object.entries(p.manifest.panels).map(([id, panel]) => ({ plugin: p.manifest.name, id, ...panel })),
      )
    },
    /**
     * Screen pop: every panel filled for one contact, side by side. Each panel's action gets
     * `{ contact }`; a panel that fails carries its error instead of data, so one slow or broken
     * plugin does not blank the others.
     */
    async loadPanels(contact: { phone?: string; email?: string; name?: string; attributes: Record<string, unknown> }) {
      const panels = [...loaded.values()].flatMap((p) =>
        Object.entries(p.manifest.panels).map(([id, panel]) => ({ plugin: p.manifest.name, id, ...panel })),
      )
      const settled = await Promise.allSettled(
        panels.map((panel) => callAction(`${panel.plugin}.${panel.action}`, { contact })),
      )
      return panels.map((panel, i) => {
        const outcome = settled[i]!
        return outcome.status === 'fulfilled'
          ? { ...panel, data: outcome.value, error: null }
          : {
              ...panel,
              data: null,
              error: {
                code: (outcome.reason as { code?: string }).code ?? ErrorCode.INTERNAL,
                message: (outcome.reason as Error).message,
              },
            }
      })
    },
  }
}
export type PluginsService = ReturnType<typeof createPluginsService>
