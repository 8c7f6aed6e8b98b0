import type { PluginManifest } from '@switchboard/plugin-sdk'
import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode } from '../errors/index.js'
import type { PiiCipher } from '../pii/index.js'
import type { Db } from '../storage/index.js'
import { limitsOf, type LoadedPlugin, type PluginRow, type PluginsSettings } from './loaded-plugin.js'
import { pluginUserError } from './plugin-errors.js'
import { checkInstallable, readPluginFolder, readPluginTarball, type PluginPackage } from './plugin-package.js'
import { createSchemaChecker } from './plugin-schemas.js'
import type { SandboxFactory } from './sandbox-factory.js'

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

const noop = async () => undefined

/**
 * Installing, upgrading, configuring, enabling, disabling and uninstalling plugins: every change
 * is checked first (manifest, core range, the bundle loading in a sandbox, config and secrets
 * against their schemas), written in one transaction with its audit entry, then announced so
 * every instance reloads.
 */
export function createPluginLifecycle(deps: {
  db: Db
  audit: AuditLog
  pii: PiiCipher
  settings: PluginsSettings
  createSandbox: SandboxFactory | null
  loaded: Map<string, LoadedPlugin>
  secretsOf: (row: PluginRow) => Record<string, unknown>
  changed: (name: string) => Promise<void>
}) {
  const { db, audit, pii, loaded, secretsOf } = deps

  async function row(name: string): Promise<PluginRow> {
    const found = await db.plugin.findUnique({ where: { id: name } })
    if (!found) throw pluginUserError(ErrorCode.PLUGIN_NOT_FOUND, `no plugin named ${name} is installed`)
    return found
  }

  function statusOf(r: PluginRow): PluginStatus {
    const manifest = r.manifest as unknown as PluginManifest
    const plugin = loaded.get(r.id)
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

  function checkConfig(manifest: PluginManifest, config: unknown, secrets: unknown) {
    const schemas = createSchemaChecker()
    const c = structuredClone(config ?? {}) as Record<string, unknown>
    const s = structuredClone(secrets ?? {}) as Record<string, unknown>
    const prefix = (where: string) => (p: { path: string; message: string }) => ({
      ...p,
      path: p.path ? `${where}.${p.path}` : where,
    })
    const problems = [
      ...schemas.check('config', 'input', manifest.config, c).map(prefix('config')),
      ...schemas.check('secrets', 'input', manifest.secrets, s).map(prefix('secrets')),
    ]
    return { config: c, secrets: s, problems }
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
    // the sandbox must accept the code before it replaces anything: a syntax error, Node-only
    // code or a loop at load time stops here
    if (deps.createSandbox) {
      const probe = await deps
        .createSandbox({
          name: manifest.name,
          version: manifest.version,
          code: pkg.code,
          hosts: [],
          limits: limitsOf(manifest, deps.settings),
          capabilities: {
            kv: { get: noop, set: noop, delete: noop, list: async () => [] },
            cache: { get: noop, set: noop },
            log: () => undefined,
            emit: noop,
            receive: async () => ({ duplicate: false }),
          },
        })
        .catch((error: Error) => {
          throw pluginUserError(ErrorCode.PLUGIN_MANIFEST_INVALID, `${manifest.main} does not load: ${error.message}`)
        })
      await probe.dispose()
    }
    const checked = checkConfig(manifest, existing?.config ?? {}, existing ? secretsOf(existing) : {})
    // a plugin installs even when it needs configuration first; it runs once configured
    const disabledReason =
      checked.problems.length > 0 ? 'config-invalid' : existing && !existing.enabled ? existing.disabledReason : null
    const data = {
      version: manifest.version,
      manifest: manifest as never,
      code: pkg.code,
      readme: pkg.readme,
      icon: pkg.icon,
      config: (checked.problems.length > 0 ? (existing?.config ?? {}) : checked.config) as never,
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
    await deps.changed(manifest.name)
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
    const saved = await db.$transaction(async (tx) => {
      const s = await tx.plugin.update({
        where: { id: name },
        data: { enabled, disabledReason: enabled ? null : 'admin' },
      })
      await audit.record(
        actor,
        { action: enabled ? 'plugin.enabled' : 'plugin.disabled', targetType: 'plugin', targetId: name },
        tx as never,
      )
      return s
    })
    await deps.changed(name)
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
          // which fields changed hands, never their values
          details: { config: Object.keys(checked.config), secrets: Object.keys(checked.secrets) },
        },
        tx as never,
      )
      return s
    })
    await deps.changed(name)
    return statusOf(saved)
  }

  async function uninstall(name: string, actor: Actor): Promise<void> {
    await row(name)
    await db.$transaction(async (tx) => {
      await tx.plugin.delete({ where: { id: name } })
      // a capability whose chosen provider this was goes back to the default choice
      const choices = await tx.setting.findMany({ where: { key: { startsWith: 'plugins.provider.' } } })
      const mine = choices.filter((c) => (c.value as { plugin?: string }).plugin === name).map((c) => c.key)
      if (mine.length > 0) await tx.setting.deleteMany({ where: { key: { in: mine } } })
      await audit.record(actor, { action: 'plugin.uninstalled', targetType: 'plugin', targetId: name }, tx as never)
    })
    await deps.changed(name)
  }

  return { row, statusOf, install, setEnabled, configure, uninstall }
}
