import type { PluginManifest } from '@switchboard/plugin-sdk'
import { ErrorCode, operationalError } from '../errors/index.js'
import type { Db } from '../storage/index.js'
import { PluginLog } from './plugin-log.js'
import { createSchemaChecker, type SchemaChecker } from './plugin-schemas.js'
import { CircuitBreaker, type HostCapabilities, type PluginSandbox, type SandboxLimits } from './sandbox/index.js'
import type { SandboxFactory } from './sandbox-factory.js'

export type PluginRow = NonNullable<Awaited<ReturnType<Db['plugin']['findUnique']>>>

export interface PluginsSettings {
  enabled: boolean
  memoryMb: number
  cpuMs: number
  timeout: number
  fetchMaxBytes: number
  failureThreshold: number
  circuitCooldown: number
}

/** A plugin may ask for less than the host allows, never more. */
export function limitsOf(manifest: PluginManifest, settings: PluginsSettings): SandboxLimits {
  const min = (asked: number | undefined, cap: number) => Math.min(asked ?? cap, cap)
  return {
    memoryMb: min(manifest.limits.memoryMb, settings.memoryMb),
    cpuMs: min(manifest.limits.cpuMs, settings.cpuMs),
    timeoutMs: min(manifest.limits.timeoutMs, settings.timeout),
    maxResponseBytes: settings.fetchMaxBytes,
    fetchTimeoutMs: min(manifest.limits.timeoutMs, settings.timeout),
  }
}

/**
 * One enabled plugin as this instance runs it: its row, its sandbox (made on the first call),
 * its circuit breaker, counters, recent log and schema checks. Once disposed (disabled, upgraded,
 * uninstalled) it refuses calls and never makes a sandbox again, so a call that was in flight
 * during a reload cannot resurrect old code with old secrets.
 */
export class LoadedPlugin {
  readonly manifest: PluginManifest
  readonly breaker: CircuitBreaker
  readonly log = new PluginLog()
  readonly schemas: SchemaChecker = createSchemaChecker()
  calls = 0
  failures = 0
  disposed = false
  private sandbox: Promise<PluginSandbox> | null = null
  readonly unsubscribe: Array<() => Promise<void>> = []

  constructor(
    readonly row: PluginRow,
    private readonly deps: {
      settings: PluginsSettings
      createSandbox: SandboxFactory | null
      sandboxUnavailable?: string
      capabilities: (plugin: LoadedPlugin) => HostCapabilities
    },
  ) {
    this.manifest = row.manifest as unknown as PluginManifest
    this.breaker = new CircuitBreaker({
      threshold: deps.settings.failureThreshold,
      windowMs: 60_000,
      cooldownMs: deps.settings.circuitCooldown,
      maxOpenings: 3,
    })
  }

  get name(): string {
    return this.manifest.name
  }

  sandboxOf(): Promise<PluginSandbox> {
    if (this.disposed)
      throw operationalError(ErrorCode.PLUGIN_DISABLED, `${this.name} was reloaded or disabled meanwhile`, {
        status: 503,
        details: { reason: 'reloaded' },
      })
    if (!this.deps.createSandbox)
      throw operationalError(ErrorCode.PLUGIN_UNAVAILABLE, `plugins cannot run here: ${this.deps.sandboxUnavailable}`, {
        status: 503,
      })
    this.sandbox ??= this.deps
      .createSandbox({
        name: this.manifest.name,
        version: this.manifest.version,
        code: this.row.code,
        hosts: this.manifest.permissions.hosts,
        limits: limitsOf(this.manifest, this.deps.settings),
        capabilities: this.deps.capabilities(this),
      })
      .catch((error: unknown) => {
        this.sandbox = null
        throw error
      })
    return this.sandbox
  }

  async stats() {
    return this.sandbox ? this.sandbox.then((s) => s.stats()).catch(() => null) : null
  }

  async dispose(): Promise<void> {
    this.disposed = true
    for (const u of this.unsubscribe.splice(0)) await u().catch(() => undefined)
    const sandbox = this.sandbox
    this.sandbox = null
    if (sandbox) await sandbox.then((s) => s.dispose()).catch(() => undefined)
  }
}
