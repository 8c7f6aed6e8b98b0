import { relative } from 'node:path'
import type { Command } from 'commander'
import type { PluginManifest } from '@switchboard/plugin-sdk'
import { BUNDLE_PATH, buildPlugin, MANIFEST_PATH } from '../../plugin-build/index.js'
import { printWarnings } from './print-warnings.js'

/** `2 actions (getOrder, findOrders), 1 node (orderStatus)` */
export function contributions(manifest: PluginManifest): string {
  const list = (label: string, names: string[]) =>
    names.length ? `${names.length} ${label}${names.length === 1 ? '' : 's'} (${names.join(', ')})` : undefined
  const parts = [
    list('action', Object.keys(manifest.actions)),
    list('node', Object.keys(manifest.nodes)),
    list(
      'webhook',
      manifest.permissions.webhooks.map((w) => w.name),
    ),
    list('channel', Object.keys(manifest.channels)),
    manifest.implements.length ? `implements ${manifest.implements.join(', ')}` : undefined,
    manifest.permissions.hosts.length ? `hosts ${manifest.permissions.hosts.join(', ')}` : undefined,
  ]
  return parts.filter(Boolean).join('; ') || 'no actions, nodes or webhooks'
}

export function registerPluginBuild(plugin: Command): void {
  plugin
    .command('build')
    .description(
      'Build a plugin folder: dist/manifest.json from plugin.definition.ts (checked completely) and dist/plugin.js, the handlers bundled for the sandbox. Every problem is listed with where it is; on any, nothing is written (exit code 2). Globals the sandbox lacks (fetch, Buffer, setTimeout…) are warnings.',
    )
    .argument('[dir]', 'the plugin folder', '.')
    .option('--json', 'print { name, version, bundleBytes, warnings } as JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      const result = await buildPlugin(dir)
      const { manifest } = result
      if (options.json) {
        const { name, version } = manifest
        process.stdout.write(
          JSON.stringify({ name, version, bundleBytes: result.bundleBytes, warnings: result.warnings }, null, 2) + '\n',
        )
        return
      }
      const where = relative(process.cwd(), dir) || '.'
      process.stdout.write(
        `✔ Built ${manifest.name} ${manifest.version} in ${where}: ${MANIFEST_PATH}, ${BUNDLE_PATH} (${(result.bundleBytes / 1024).toFixed(1)} kB)\n` +
          `  ${contributions(manifest)}\n`,
      )
      printWarnings(result.warnings)
    })
}
