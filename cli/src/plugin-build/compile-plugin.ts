import type { PluginManifest } from '@switchboard/plugin-sdk'
import type { BuildWarning } from './build-warning.js'
import { bundleHandlers } from './bundle-handlers.js'
import { loadManifest } from './load-manifest.js'
import { readPluginLayout, type PluginLayout } from './plugin-layout.js'

/** A plugin built in memory: nothing written yet. */
export interface CompiledPlugin {
  layout: PluginLayout
  /** the manifest as checked (defaults applied) */
  manifest: PluginManifest
  /** the manifest as the SDK's toManifest made it: what dist/manifest.json holds */
  manifestJson: unknown
  /** dist/plugin.js */
  code: string
  warnings: BuildWarning[]
}

/**
 * Builds a plugin in memory: the manifest from its definition (checked completely) and the
 * handlers' bundle. Throws a user error (exit code 2) listing every problem; writes nothing.
 *
 * @example
 * ```ts
 * const { manifest, code, warnings } = await compilePlugin('examples/plugins/store-locator')
 * ```
 */
export async function compilePlugin(dir: string): Promise<CompiledPlugin> {
  const layout = readPluginLayout(dir)
  const { json, manifest } = await loadManifest(layout)
  const { code, warnings } = await bundleHandlers(layout)
  return { layout, manifest, manifestJson: json, code, warnings }
}
