import { createRequire } from 'node:module'
import { ErrorCode, operationalError } from '../../errors/index.js'
import type { IsolatedVm } from './isolated-vm-api.js'

/**
 * The builds to try, newest first: 6.x ships prebuilds for Node 22/24 only, and 5.0.4 (installed
 * under an npm alias) builds from source on Node 20. Each is an optional dependency, so either
 * may be missing.
 */
const CANDIDATES = ['isolated-vm', 'isolated-vm-legacy'] as const

/** What `switchboard doctor` shows about the sandbox engine. */
export interface SandboxEngineInfo {
  /** the package that loaded, or null when none did */
  loaded: (typeof CANDIDATES)[number] | null
  /** its version (5.0.4 for the legacy alias) */
  version: string | null
  /** each package tried, with why it did not load */
  tried: Array<{ name: string; error: string | null }>
  /** isolated-vm needs Node started with --no-node-snapshot on Node 20 and later */
  noNodeSnapshot: boolean
}

const require = createRequire(import.meta.url)
let cached: { ivm: IsolatedVm | null; info: SandboxEngineInfo } | undefined

function attempt(): { ivm: IsolatedVm | null; info: SandboxEngineInfo } {
  const tried: SandboxEngineInfo['tried'] = []
  const noNodeSnapshot =
    process.execArgv.includes('--no-node-snapshot') || (process.env.NODE_OPTIONS ?? '').includes('--no-node-snapshot')
  for (const name of CANDIDATES) {
    try {
      const ivm = require(name) as IsolatedVm
      let version: string | null = null
      try {
        version = (require(`${name}/package.json`) as { version?: string }).version ?? null
      } catch {
        // a build without its package.json still runs
      }
      tried.push({ name, error: null })
      return { ivm, info: { loaded: name, version, tried, noNodeSnapshot } }
    } catch (error) {
      tried.push({ name, error: error instanceof Error ? error.message.split('\n')[0]! : String(error) })
    }
  }
  return { ivm: null, info: { loaded: null, version: null, tried, noNodeSnapshot } }
}

/** Which isolated-vm build loaded, if any; never throws (for `switchboard doctor`). */
export function sandboxEngineInfo(): SandboxEngineInfo {
  cached ??= attempt()
  return cached.info
}

/**
 * The isolated-vm module: the first build that loads. Throws `SB_ERR_PLUGIN_UNAVAILABLE`
 * (details.tried) when none does; Switchboard then runs without plugins.
 */
export function loadIsolatedVm(): IsolatedVm {
  cached ??= attempt()
  if (cached.ivm) return cached.ivm
  const tried = cached.info.tried
  throw operationalError(
    ErrorCode.PLUGIN_UNAVAILABLE,
    `isolated-vm could not be loaded on Node ${process.versions.node} (tried ${tried
      .map((t) => `${t.name}: ${t.error}`)
      .join('; ')})`,
    { details: { tried } },
  )
}
