import type { Command } from 'commander'
import { registerPluginBuild } from './build.js'
import { registerPluginCreate } from './create.js'
import { registerPluginLint } from './lint.js'
import { registerPluginTest } from './test.js'

/** `switchboard plugin …`: the plugin author's tools (create, build, test, lint). */
export function registerPlugin(program: Command): void {
  const plugin = program.command('plugin').description('Plugins: scaffold, build, test and lint a plugin folder')
  registerPluginCreate(plugin)
  registerPluginBuild(plugin)
  registerPluginTest(plugin)
  registerPluginLint(plugin)
}
