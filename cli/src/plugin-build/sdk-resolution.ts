import { cliNodeModulesWith } from './find-package.js'

/**
 * Extra folders esbuild searches after the plugin's own `node_modules`: the one holding the
 * CLI's copy of the SDK, so a plugin scaffolded outside any project builds before `npm install`.
 * The plugin's own copy, when it has one, is found first and wins.
 */
export function sdkNodePaths(): string[] {
  const nodeModules = cliNodeModulesWith('@switchboard/plugin-sdk')
  return nodeModules ? [nodeModules] : []
}
