import { capabilityNames } from '@switchboard/plugin-sdk'
import type { NodeTypeRegistry } from '../flows/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import { LoadedPlugin, type PluginRow, type PluginsSettings } from './loaded-plugin.js'
import { capabilityNodeTypes, pluginNodeTypes, type PluginNodeCalls } from './plugin-node-types.js'
import { checkInstallable } from './plugin-package.js'
import type { HostCapabilities } from './sandbox/index.js'
import type { SandboxFactory } from './sandbox-factory.js'

export const PLUGINS_CHANGED = 'plugins.changed'

function installableOrNull(manifest: unknown) {
  try {
    return checkInstallable(manifest)
  } catch {
    return null
  }
}
/** Without Redis a CLI process cannot reach the server's bus: the server also looks every few seconds. */
const POLL_MS = 5_000

/**
 * Which plugins run on this instance. A reload reads the table, builds each changed plugin
 * whole, swaps it in with one assignment and only then disposes the old one, so calls never see
 * a gap. Reloads run one at a time; requests arriving meanwhile merge into one more.
 */
export function createPluginLoader(deps: {
  db: Db
  infra: Infra
  logger: Logger
  nodeTypes: NodeTypeRegistry
  settings: PluginsSettings
  createSandbox: SandboxFactory | null
  sandboxUnavailable?: string
  capabilities: (plugin: LoadedPlugin) => HostCapabilities
  calls: PluginNodeCalls
  onLoad: (plugin: LoadedPlugin) => Promise<void>
  /** the plugins running here, shared with the invoker */
  loaded: Map<string, LoadedPlugin>
}) {
  const { db, infra, logger, nodeTypes, settings, loaded } = deps
  const registeredTypes = new Set<string>()
  let running: Promise<void> = Promise.resolve()
  let queued: Promise<void> | null = null
  let lastSeen = ''
  let timer: NodeJS.Timeout | null = null
  let unsubscribeBus: (() => Promise<void>) | null = null

  /** Every installed plugin's node types stay registered (a disabled one's fail to its error port). */
  function refreshNodeTypes(rows: PluginRow[]) {
    for (const type of registeredTypes) nodeTypes.unregister(type)
    registeredTypes.clear()
    const add = (types: ReturnType<typeof pluginNodeTypes>) => {
      for (const t of types) {
        if (nodeTypes.get(t.type)) continue
        nodeTypes.register(t)
        registeredTypes.add(t.type)
      }
    }
    for (const row of rows) {
      const manifest = installableOrNull(row.manifest)
      if (manifest) add(pluginNodeTypes(manifest, deps.calls))
    }
    // the vendor-neutral nodes (erp.getOrder…) are defined by the SDK: always there
    add(capabilityNodeTypes(capabilityNames))
  }

  async function markIncompatible(row: PluginRow, reason: string) {
    logger.warn({ plugin: row.id, reason }, 'plugin disabled: it no longer fits this Switchboard')
    await db.plugin.updateMany({
      where: { id: row.id, enabled: true },
      data: { enabled: false, disabledReason: 'incompatible' },
    })
  }

  async function reloadNow() {
    const rows = await db.plugin.findMany({ orderBy: { installedAt: 'asc' } })
    lastSeen = signature(rows)
    const wanted = new Map(rows.filter((r) => r.enabled && settings.enabled).map((r) => [r.id, r]))
    for (const [name, plugin] of [...loaded]) {
      const row = wanted.get(name)
      if (!row || row.updatedAt.getTime() !== plugin.row.updatedAt.getTime()) {
        loaded.delete(name)
        await plugin.dispose()
      }
    }
    for (const row of wanted.values()) {
      if (loaded.has(row.id)) continue
      try {
        checkInstallable(row.manifest)
      } catch (error) {
        await markIncompatible(row, (error as Error).message)
        continue
      }
      const plugin = new LoadedPlugin(row, deps)
      await deps.onLoad(plugin)
      loaded.set(row.id, plugin)
    }
    refreshNodeTypes(rows)
  }

  /** Serialised: one reload at a time, and any number of requests meanwhile become one more. */
  function reload(): Promise<void> {
    if (queued) return queued
    queued = running.then(() => {
      queued = null
      return reloadNow()
    })
    running = queued.catch((error: unknown) => logger.error({ err: error }, 'reloading plugins failed'))
    return queued
  }

  function signature(rows: Array<{ id: string; updatedAt: Date }>) {
    return rows.map((r) => `${r.id}@${r.updatedAt.getTime()}`).join(',')
  }

  async function poll() {
    const rows = await db.plugin.findMany({ select: { id: true, updatedAt: true }, orderBy: { installedAt: 'asc' } })
    if (signature(rows) !== lastSeen) await reload()
  }

  return {
    reload,
    /** Reloads here, then tells the other instances. */
    async changed(name: string) {
      await reload()
      await infra.bus.publish(PLUGINS_CHANGED, { name })
    },
    async start() {
      unsubscribeBus = await infra.bus.subscribe(PLUGINS_CHANGED, () => reload())
      await reload()
      timer = setInterval(() => {
        poll().catch((error: unknown) => logger.warn({ err: error }, 'checking for plugin changes failed'))
      }, POLL_MS)
      timer.unref()
    },
    async stop() {
      if (timer) clearInterval(timer)
      await unsubscribeBus?.()
      await running
      for (const plugin of loaded.values()) await plugin.dispose()
      loaded.clear()
    },
  }
}
