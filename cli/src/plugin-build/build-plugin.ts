import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { PluginManifest } from '@switchboard/plugin-sdk'
import { manifestInvalidError } from './build-errors.js'
import type { BuildWarning } from './build-warning.js'
import { compilePlugin } from './compile-plugin.js'
import { BUNDLE_PATH, MANIFEST_PATH } from './bundle-paths.js'
import { packageFileProblems } from './package-files.js'

/** What `buildPlugin` produced. */
export interface PluginBuildResult {
  manifest: PluginManifest
  /** the size of dist/plugin.js */
  bundleBytes: number
  warnings: BuildWarning[]
}

/**
 * Builds a plugin folder: `dist/manifest.json` from its definition (checked with the SDK's
 * checkManifest, the icon and readme present) and `dist/plugin.js`, the handlers bundled for
 * the sandbox. On any problem it throws a user error listing them all, and writes nothing.
 *
 * @example
 * ```ts
 * const { manifest, bundleBytes, warnings } = await buildPlugin('plugins/erp-woocommerce')
 * ```
 */
export async function buildPlugin(dir: string): Promise<PluginBuildResult> {
  const compiled = await compilePlugin(dir)
  const { layout, manifest } = compiled
  const problems = packageFileProblems(layout.dir, manifest)
  if (problems.length > 0) throw manifestInvalidError(layout.definition, problems)
  const write = (file: string, content: string) => {
    mkdirSync(dirname(join(layout.dir, file)), { recursive: true })
    writeFileSync(join(layout.dir, file), content)
  }
  write(BUNDLE_PATH, compiled.code)
  write(MANIFEST_PATH, JSON.stringify(compiled.manifestJson, null, 2) + '\n')
  return { manifest, bundleBytes: Buffer.byteLength(compiled.code), warnings: compiled.warnings }
}
