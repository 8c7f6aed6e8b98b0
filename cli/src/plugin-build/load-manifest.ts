import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { checkManifest, type PluginDefinition, type PluginManifest } from '@switchboard/plugin-sdk'
import { esbuildErrors, formatEsbuildMessage, manifestInvalidError, pluginBuildError } from './build-errors.js'
import { BUNDLE_PATH } from './bundle-paths.js'
import type { PluginLayout } from './plugin-layout.js'
import { sdkNodePaths } from './sdk-resolution.js'

interface DefinitionModule {
  definition?: unknown
  toManifest: (definition: PluginDefinition, main: string) => unknown
}

/**
 * The definition and the SDK's `toManifest` are bundled together, so the manifest is made by the
 * same copy of the SDK (and of zod) the definition was written against.
 */
async function bundleDefinition(layout: PluginLayout, outfile: string): Promise<void> {
  const entry = [
    `export { default as definition } from ${JSON.stringify(`./${layout.definition}`)}`,
    `export { toManifest } from '@switchboard/plugin-sdk'`,
  ].join('\n')
  try {
    await build({
      stdin: { contents: entry, resolveDir: layout.dir, sourcefile: '(definition entry)', loader: 'ts' },
      absWorkingDir: layout.dir,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      nodePaths: sdkNodePaths(),
      // CommonJS dependencies bundled into ESM may still call require() for Node built-ins
      banner: {
        js: "import { createRequire as __sbCreateRequire } from 'node:module'; const require = __sbCreateRequire(import.meta.url);",
      },
      logLevel: 'silent',
    })
  } catch (error) {
    const errors = esbuildErrors(error)
    if (!errors) throw error
    throw pluginBuildError(
      `Cannot bundle ${layout.definition}:\n${errors.map((m) => `  ${formatEsbuildMessage(m, layout.dir)}`).join('\n')}`,
      errors,
    )
  }
}

async function importDefinition(layout: PluginLayout): Promise<DefinitionModule> {
  const tmp = mkdtempSync(join(tmpdir(), 'sb-plugin-definition-'))
  try {
    const file = join(tmp, 'definition.mjs')
    await bundleDefinition(layout, file)
    try {
      return (await import(pathToFileURL(file).href)) as DefinitionModule
    } catch (error) {
      throw pluginBuildError(`${layout.definition} threw while loading: ${(error as Error)?.message ?? String(error)}`)
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

/**
 * Loads a plugin's definition and turns it into its manifest, checked completely. Returns the
 * manifest as `toManifest` made it (what `dist/manifest.json` holds) and as the check parsed it.
 *
 * @example
 * ```ts
 * const { manifest } = await loadManifest(readPluginLayout('plugins/erp-woocommerce'))
 * ```
 */
export async function loadManifest(layout: PluginLayout): Promise<{ json: unknown; manifest: PluginManifest }> {
  const module = await importDefinition(layout)
  const definition = module.definition
  if (typeof definition !== 'object' || definition === null)
    throw pluginBuildError(
      `${layout.definition} has no default export; it ends with \`export default definePlugin({ … })\``,
    )
  let json: unknown
  try {
    json = module.toManifest(definition as PluginDefinition, BUNDLE_PATH)
  } catch (error) {
    throw pluginBuildError(
      `${layout.definition} is not a plugin definition (${(error as Error).message}); config, secrets and every input, output and node config are zod schemas`,
    )
  }
  const checked = checkManifest(json)
  if (!checked.ok) throw manifestInvalidError(layout.definition, checked.problems)
  return { json, manifest: checked.manifest }
}
