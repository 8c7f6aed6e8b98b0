import { createHash } from 'node:crypto'
import { capabilities, type PluginManifest } from '@switchboard/plugin-sdk'
import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode } from '../errors/index.js'
import type { NodeTypeRegistry } from '../flows/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { PiiCipher } from '../pii/index.js'
import type { Db } from '../storage/index.js'
import { hostCapabilities, type InboundDelivery } from './host-capabilities.js'
import type { LoadedPlugin, PluginsSettings } from './loaded-plugin.js'
import { pluginUserError } from './plugin-errors.js'
import { createPluginInvoker } from './plugin-invoker.js'
import { createPluginLifecycle } from './plugin-lifecycle.js'
import { createPluginLoader } from './plugin-loader.js'
import type { PluginLogEntry } from './plugin-log.js'
import type { SandboxFactory } from './sandbox-factory.js'

export type { PluginsSettings } from './loaded-plugin.js'
export type { PluginStatus } from './plugin-lifecycle.js'

const EVENT_JOB = 'plugins.event'
const providerKey = (capability: string) => `plugins.provider.${capability}`

export interface PluginsServiceDeps {
  db: Db
  infra: Infra
  audit: AuditLog
  pii: PiiCipher
  logger: Logger
  nodeTypes: NodeTypeRegistry
  settings: PluginsSettings
  provider: 'sqlite' | 'postgresql'
  /** null when no sandbox can run on this machine (isolated-vm failed to load) */
  createSandbox: SandboxFactory | null
  sandboxUnavailable?: string
  /** where inbound channel messages go (the conversations module) */
  onInbound?: (input: InboundDelivery) => Promise<{ duplicate: boolean } | void>
}

/**
 * Installed plugins, composed from four parts: the lifecycle (install … uninstall), the loader
 * (which plugins run on this instance, reloaded on changes from any instance), the invoker (calls
 * into sandboxes, checked and counted) and the host capabilities each plugin is granted. Events a
 * plugin receives are delivered once per cluster through the scheduler.
 */
export function createPluginsService(deps: PluginsServiceDeps) {
  const { db, infra, audit, pii, logger, settings } = deps
  const loaded = new Map<string, LoadedPlugin>()

  const invoker = createPluginInvoker({
    db,
    infra,
    audit,
    pii,
    logger,
    loaded,
    preferredProvider: async (capability) => {
      const choice = await db.setting.findUnique({ where: { key: providerKey(capability) } })
      return (choice?.value as { plugin?: string } | undefined)?.plugin ?? null
    },
    onDisabled: (name) => loader.changed(name),
  })

  const loader = createPluginLoader({
    loaded,
    db,
    infra,
    logger,
    nodeTypes: deps.nodeTypes,
    settings,
    createSandbox: deps.createSandbox,
    sandboxUnavailable: deps.sandboxUnavailable,
    capabilities: (plugin) =>
      hostCapabilities(
        { db, infra, logger, provider: deps.provider, onInbound: (x) => deps.onInbound?.(x) ?? Promise.resolve() },
        plugin,
      ),
    calls: {
      runNode: (plugin, node, input) => invoker.runNode(plugin, node, input),
    },
    // every instance sees a bus event; the job key makes its delivery to the plugin happen once
    async onLoad(plugin) {
      for (const topic of plugin.manifest.permissions.events.receive) {
        const unsubscribe = await infra.bus.subscribe(topic, async (data) => {
          const eventId = createHash('sha256')
            .update(`${topic}\u0000${JSON.stringify(data)}`)
            .digest('hex')
            .slice(0, 32)
          await infra.scheduler.schedule({
            type: EVENT_JOB,
            runAt: 0,
            key: `plugin-event:${plugin.name}:${eventId}`,
            payload: { plugin: plugin.name, topic, data },
          })
        })
        plugin.unsubscribe.push(unsubscribe)
      }
    },
  })
  // defined here, before the scheduler starts
  infra.scheduler.define(EVENT_JOB, async (job) => {
    const { plugin, topic, data } = job.payload as { plugin: string; topic: string; data: unknown }
    await invoker.deliverEvent(plugin, topic, data)
  })

  const lifecycle = createPluginLifecycle({
    db,
    audit,
    pii,
    settings,
    createSandbox: deps.createSandbox,
    loaded,
    secretsOf: invoker.secretsOf,
    changed: (name) => loader.changed(name),
  })

  return {
    /** Loads the enabled plugins and follows changes made by other instances (or the CLI). */
    start: () => loader.start(),
    stop: () => loader.stop(),
    install: lifecycle.install,
    setEnabled: lifecycle.setEnabled,
    configure: lifecycle.configure,
    uninstall: lifecycle.uninstall,
    async list() {
      const rows = await db.plugin.findMany({ orderBy: { id: 'asc' } })
      return rows.map((r) => lifecycle.statusOf(r))
    },
    async get(name: string) {
      const r = await lifecycle.row(name)
      const secrets = invoker.secretsOf(r)
      return {
        ...lifecycle.statusOf(r),
        manifest: r.manifest as unknown as PluginManifest,
        readme: r.readme,
        config: r.config as Record<string, unknown>,
        /** which secret fields are set; their values never leave the server */
        secretsSet: Object.keys(secrets),
        previousVersion: r.previousVersion,
        sandbox: (await loaded.get(name)?.stats()) ?? null,
      }
    },
    logs(name: string, limit = 100): PluginLogEntry[] {
      return loaded.get(name)?.log.recent(limit) ?? []
    },
    /** whether an enabled plugin implements this capability (e.g. llm) on this instance */
    hasCapability(capability: string): boolean {
      return [...loaded.values()].some((p) => p.manifest.implements.includes(capability))
    },
    /** The capabilities, who implements each, and which plugin answers when several do. */
    async capabilities() {
      const choices = await db.setting.findMany({ where: { key: { startsWith: 'plugins.provider.' } } })
      const rows = await db.plugin.findMany({ orderBy: { installedAt: 'asc' } })
      return Object.entries(capabilities).map(([name, capability]) => {
        const implementers = rows.filter((r) => (r.manifest as unknown as PluginManifest).implements?.includes(name))
        const chosen = choices.find((c) => c.key === providerKey(name))
        const enabled = implementers.filter((r) => r.enabled).map((r) => r.id)
        const preferred = (chosen?.value as { plugin?: string } | undefined)?.plugin ?? null
        return {
          name,
          alias: capability.alias as string,
          implementers: implementers.map((r) => ({ plugin: r.id, enabled: r.enabled })),
          preferred,
          answeredBy: preferred && enabled.includes(preferred) ? preferred : (enabled[0] ?? null),
        }
      })
    },
    /** Chooses which plugin answers a capability when several implement it. */
    async setProvider(capability: string, plugin: string, actor: Actor) {
      if (!(capability in capabilities))
        throw pluginUserError(ErrorCode.PLUGIN_NOT_FOUND, `no capability named ${capability}`)
      const r = await lifecycle.row(plugin)
      if (!(r.manifest as unknown as PluginManifest).implements.includes(capability))
        throw pluginUserError(ErrorCode.PLUGIN_CONFIG_INVALID, `${plugin} does not implement ${capability}`)
      await db.$transaction(async (tx) => {
        await tx.setting.upsert({
          where: { key: providerKey(capability) },
          create: { key: providerKey(capability), value: { plugin } },
          update: { value: { plugin } },
        })
        await audit.record(
          actor,
          { action: 'plugin.provider-chosen', targetType: 'plugin', targetId: plugin, details: { capability } },
          tx as never,
        )
      })
    },
    callAction: invoker.callAction,
    runNode: invoker.runNode,
    webhook: invoker.webhook,
    socket: invoker.socket,
    /** the manifest of an enabled plugin on this instance, or null */
    loadedManifest: (name: string): PluginManifest | null => loaded.get(name)?.manifest ?? null,
    send: invoker.send,
    healthCheck: invoker.healthCheck,
    /**
     * Screen pop: every panel filled for one contact, side by side. Each panel's action gets
     * `{ contact }`; a panel that fails carries its error instead of data, so one slow or broken
     * plugin does not blank the others.
     */
    async loadPanels(
      contact: { phone?: string; email?: string; name?: string; attributes: Record<string, unknown> },
      options: { fresh?: boolean } = {},
    ) {
      const panels = [...loaded.values()].flatMap((p) =>
        Object.entries(p.manifest.panels).map(([id, panel]) => ({
          plugin: p.name,
          id,
          ...panel,
          cacheSeconds: p.manifest.actions[panel.action]?.cacheSeconds ?? null,
        })),
      )
      const loadedAt: Array<Date | null> = panels.map(() => null)
      const settled = await Promise.allSettled(
        panels.map((panel, i) =>
          invoker.callAction(
            `${panel.plugin}.${panel.action}`,
            { contact },
            { fresh: options.fresh, onLoadedAt: (at) => (loadedAt[i] = at) },
          ),
        ),
      )
      return panels.map((panel, i) => {
        const outcome = settled[i]!
        return outcome.status === 'fulfilled'
          ? { ...panel, data: outcome.value, error: null, loadedAt: loadedAt[i] ?? new Date() }
          : {
              ...panel,
              loadedAt: new Date(),
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
