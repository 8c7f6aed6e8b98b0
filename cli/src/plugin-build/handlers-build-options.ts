import { join } from 'node:path'
import type { BuildOptions } from 'esbuild'
import { BUNDLE_GLOBAL, BUNDLE_PATH } from './bundle-paths.js'
import type { PluginLayout } from './plugin-layout.js'
import { refuseNodeBuiltins } from './refuse-node-builtins.js'
import { sdkNodePaths } from './sdk-resolution.js'

/**
 * How handlers are bundled for the sandbox: one self-contained script (IIFE) with nothing left
 * to import, ES2022, not minified so stack traces stay readable.
 */
export function handlersBuildOptions(layout: PluginLayout): BuildOptions & { write: false } {
  return {
    absWorkingDir: layout.dir,
    entryPoints: [join(layout.dir, layout.handlers)],
    outfile: join(layout.dir, BUNDLE_PATH),
    bundle: true,
    write: false,
    format: 'iife',
    globalName: BUNDLE_GLOBAL,
    platform: 'neutral',
    target: 'es2022',
    minify: false,
    charset: 'utf8',
    mainFields: ['module', 'main'],
    nodePaths: sdkNodePaths(),
    plugins: [refuseNodeBuiltins],
    logLevel: 'silent',
  }
}
