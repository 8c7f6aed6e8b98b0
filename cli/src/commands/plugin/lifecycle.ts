import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { ErrorCode, isSwitchboardError, systemActor, userError, type PluginStatus } from '@switchboard/core'
import { buildPlugin, readPluginLayout } from '../../plugin-build/index.js'
import { table } from '../../support/output.js'
import { withApp } from '../../support/with-app.js'
import { contributions } from './build.js'
import { parseJsonOption } from './json-option.js'
import { printWarnings } from './print-warnings.js'

const actor = () => systemActor('cli')

/**
 * Figures a plugin's sandbox keeps in the process that runs it: in the CLI's own short-lived
 * process they are always zero, so the CLI does not show them; the server has the live ones.
 */
const LIVE_FIGURES = new Set(['calls', 'failures', 'circuit'])
const LIVE_FIGURES_NOTE =
  'Calls, failures and the circuit breaker are counted by the running server: GET /api/v1/plugins/{name}\n'

function stateOf(status: PluginStatus): string {
  return status.enabled ? 'enabled' : `disabled${status.disabledReason ? ` (${status.disabledReason})` : ''}`
}

function printStatus(verb: string, status: PluginStatus): void {
  process.stdout.write(`✔ ${verb} ${status.name} ${status.version} (${status.kinds.join(', ')}): ${stateOf(status)}\n`)
}

/**
 * A folder with a definition is built first, so what is installed is what the source says.
 * Building imports `plugin.definition.ts` in this Node process (not in the sandbox).
 */
async function installSource(source: string): Promise<{ dir: string } | { tgz: Buffer }> {
  if (existsSync(source) && statSync(source).isFile()) return { tgz: readFileSync(source) }
  const layout = readPluginLayout(source)
  if (existsSync(join(layout.dir, layout.definition))) {
    const { manifest, warnings } = await buildPlugin(layout.dir)
    process.stdout.write(`✔ Built ${manifest.name} ${manifest.version}: ${contributions(manifest)}\n`)
    printWarnings(warnings)
  }
  return { dir: layout.dir }
}

/** Prints the problems a refused call listed (an invalid configuration), then fails with exit code 2. */
async function listingProblems<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run()
  } catch (error) {
    if (!isSwitchboardError(error) || error.kind !== 'user' || !Array.isArray(error.details)) throw error
    // the message may already list them; print the ones it does not
    const problems = (error.details as Array<{ path?: unknown; message?: unknown }>).filter(
      (p): p is { path?: string; message: string } =>
        typeof p?.message === 'string' && !error.message.includes(p.message),
    )
    process.stderr.write(
      `switchboard: ${error.message}\n` +
        problems.map((p) => `  ${p.path ? `${p.path}: ` : ''}${p.message}\n`).join(''),
    )
    process.exitCode = 2
    return undefined
  }
}

/**
 * `switchboard plugin install|list|enable|disable|uninstall|configure`: the installed plugins of
 * the configured install, through the core's plugins service. Adds the subcommands to the
 * `plugin` command that `registerPlugin` created.
 */
export function registerPluginLifecycle(program: Command): void {
  const plugin = program.commands.find((c) => c.name() === 'plugin')
  if (!plugin) throw new Error('registerPluginLifecycle: call registerPlugin(program) first')

  plugin
    .command('install')
    .description(
      'Install a plugin from its folder or from a .tgz made by `npm pack`. A folder with a plugin.definition.ts is built first, and building evaluates the definition in Node (not in the sandbox): install from source only code you trust. Then the manifest is checked and the bundle is loaded in the sandbox (when this machine can run one) before anything is saved.',
    )
    .argument('<source>', 'a plugin folder or a .tgz file')
    .option('--upgrade', 'replace the installed version of the same plugin, keeping its configuration')
    .action(async (source: string, options: { upgrade?: boolean }) => {
      const from = await installSource(source)
      const status = await withApp((app) =>
        listingProblems(() => app.services.plugins.install(from, { upgrade: options.upgrade, actor: actor() })),
      )
      if (status) printStatus(options.upgrade ? 'Installed (upgrade)' : 'Installed', status)
    })

  plugin
    .command('list')
    .description(
      'List installed plugins: version, kinds and state. Calls, failures and the circuit breaker are live figures of the running server: GET /api/v1/plugins/{name}',
    )
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const plugins = await withApp((app) => app.services.plugins.list())
      if (options.json) {
        const listed = plugins.map((p) => Object.fromEntries(Object.entries(p).filter(([k]) => !LIVE_FIGURES.has(k))))
        process.stdout.write(JSON.stringify(listed, null, 2) + '\n')
        return
      }
      process.stdout.write(
        table(
          plugins.map((p) => ({
            name: p.name,
            version: p.version,
            kinds: p.kinds.join(','),
            state: stateOf(p),
          })),
        ) + (plugins.length > 0 ? LIVE_FIGURES_NOTE : ''),
      )
    })

  for (const [command, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const)
    plugin
      .command(command)
      .description(
        enabled
          ? 'Enable an installed plugin (it must be configured)'
          : 'Disable a plugin: flows calling it take their error path',
      )
      .argument('<name>', 'the plugin name')
      .action(async (name: string) => {
        const status = await withApp((app) =>
          listingProblems(() => app.services.plugins.setEnabled(name, enabled, actor())),
        )
        if (status) printStatus(enabled ? 'Enabled' : 'Disabled', status)
      })

  plugin
    .command('uninstall')
    .description('Remove a plugin, its configuration, secrets and stored data')
    .argument('<name>', 'the plugin name')
    .action(async (name: string) => {
      await withApp((app) => app.services.plugins.uninstall(name, actor()))
      process.stdout.write(`✔ Uninstalled ${name}\n`)
    })

  plugin
    .command('configure')
    .description(
      "Save a plugin's configuration and/or secrets, checked against its schemas (every problem listed, nothing saved, exit code 2). Secrets are stored encrypted and never printed.",
    )
    .argument('<name>', 'the plugin name')
    .option('--config <json>', 'the configuration as JSON, or @file.json')
    .option('--secrets <json>', 'the secrets as JSON, or @file.json')
    .action(async (name: string, options: { config?: string; secrets?: string }) => {
      if (options.config === undefined && options.secrets === undefined)
        throw userError(ErrorCode.VALIDATION, 'give --config, --secrets or both')
      const input = {
        config: options.config === undefined ? undefined : parseJsonOption('--config', options.config),
        secrets: options.secrets === undefined ? undefined : parseJsonOption('--secrets', options.secrets),
      }
      const status = await withApp((app) => listingProblems(() => app.services.plugins.configure(name, input, actor())))
      if (status) printStatus('Configured', status)
    })
}
