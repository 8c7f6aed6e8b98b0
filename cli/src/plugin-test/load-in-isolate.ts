import { createPluginSandbox, sandboxEngineInfo } from '@switchboard/core'
import type { PluginManifest } from '@switchboard/plugin-sdk'

const refuse = async () => {
  throw new Error('not available while loading')
}

/**
 * Loads the bundle into the server's own sandbox (isolated-vm, no Node.js globals, memory and
 * CPU limits) and disposes it, as `plugin install` does: a bundle that only works in Node is
 * caught here.
 */
export async function loadInIsolate(manifest: PluginManifest, code: string): Promise<{ ok: boolean; message: string }> {
  const engine = sandboxEngineInfo()
  if (!engine.loaded)
    return { ok: true, message: `isolated-vm is not available on Node ${process.versions.node}: skipped that check` }
  try {
    const sandbox = await createPluginSandbox({
      name: manifest.name,
      version: manifest.version,
      code,
      hosts: manifest.permissions.hosts,
      limits: { memoryMb: 64, cpuMs: 2000, timeoutMs: 5000, maxResponseBytes: 1024 * 1024, fetchTimeoutMs: 5000 },
      capabilities: {
        kv: { get: refuse, set: refuse, delete: refuse, list: refuse },
        cache: { get: refuse, set: refuse },
        log: () => undefined,
        emit: refuse,
        receive: refuse,
      },
    })
    await sandbox.dispose()
    return { ok: true, message: `loads in isolated-vm ${engine.version}, the server's sandbox` }
  } catch (error) {
    return { ok: false, message: `does not load in isolated-vm: ${(error as Error).message}` }
  }
}
