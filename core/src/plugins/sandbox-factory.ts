import {
  createPluginSandbox,
  sandboxEngineInfo,
  type CreatePluginSandboxOptions,
  type PluginSandbox,
} from './sandbox/index.js'

export type SandboxFactory = (options: CreatePluginSandboxOptions) => Promise<PluginSandbox>

/**
 * The sandbox maker for this machine, or why there is none (no isolated-vm build loads on this
 * Node version): Switchboard then runs without plugins rather than not at all.
 */
export function createPluginSandboxFactory(): { factory: SandboxFactory | null; unavailable?: string } {
  const info = sandboxEngineInfo()
  if (!info.loaded)
    return { factory: null, unavailable: info.tried.map((t) => `${t.name}: ${t.error ?? 'not loaded'}`).join('; ') }
  return { factory: createPluginSandbox }
}
