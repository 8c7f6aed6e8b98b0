import { build } from 'esbuild'
import { esbuildErrors, esbuildLocation, formatEsbuildMessage, pluginBuildError } from './build-errors.js'
import type { BuildWarning } from './build-warning.js'
import { handlersBuildOptions } from './handlers-build-options.js'
import type { PluginLayout } from './plugin-layout.js'
import { findSandboxGlobals } from './sandbox-globals.js'

/** The handlers as the sandbox runs them, and what the build noticed. */
export interface HandlersBundle {
  code: string
  warnings: BuildWarning[]
}

/**
 * Bundles a plugin's handlers into one script for the sandbox. Fails with every esbuild error
 * (file:line:column) when an import is a Node built-in or cannot be resolved; warns about
 * globals the sandbox does not have.
 *
 * @example
 * ```ts
 * const { code, warnings } = await bundleHandlers(readPluginLayout('.'))
 * ```
 */
export async function bundleHandlers(layout: PluginLayout): Promise<HandlersBundle> {
  const result = await build(handlersBuildOptions(layout)).catch((error: unknown) => {
    const errors = esbuildErrors(error)
    if (!errors) throw error
    throw pluginBuildError(
      `Cannot bundle ${layout.handlers} for the sandbox (${errors.length} error(s)); nothing was written:\n` +
        errors.map((m) => `  ${formatEsbuildMessage(m, layout.dir)}`).join('\n'),
      errors,
    )
  })
  const code = result.outputFiles.find((f) => f.path.endsWith('.js'))!.text
  const warnings: BuildWarning[] = result.warnings.map((m) => ({
    code: 'bundle/esbuild',
    message: m.text,
    location: esbuildLocation(m, layout.dir),
  }))
  warnings.push(...(await findSandboxGlobals(layout)))
  return { code, warnings }
}
