import { relative } from 'node:path'
import { Option, type Command } from 'commander'
import { createPlugin } from '../../plugin-create/create-plugin.js'
import { pluginTemplateKinds, type PluginTemplateKind } from '../../plugin-create/plugin-template-kinds.js'

export function registerPluginCreate(plugin: Command): void {
  plugin
    .command('create')
    .description(
      'Start a new plugin folder that builds and whose tests pass as it is: a definition, handlers, a test against a local server, README (English and Chinese), icon, package.json and tsconfig. An existing folder is never overwritten.',
    )
    .argument('<name>', 'the plugin name: lower-case kebab-case, 2 to 50 characters (e.g. erp-acme)')
    .addOption(
      new Option('--kind <kind>', 'what the plugin does: calls a service, connects a channel, or brings a model')
        .choices(pluginTemplateKinds)
        .makeOptionMandatory(),
    )
    .option('--dir <parent>', 'create the folder in this one', '.')
    .action((name: string, options: { kind: PluginTemplateKind; dir: string }) => {
      const { dir, files } = createPlugin({ name, kind: options.kind, parent: options.dir })
      const where = relative(process.cwd(), dir) || '.'
      process.stdout.write(
        `✔ Created ${options.kind} plugin "${name}" in ${where}:\n` +
          files.map((f) => `    ${f}\n`).join('') +
          `\nNext:\n    cd ${where}\n    npm install               # optional: the SDK and vitest for your editor\n` +
          `    switchboard plugin test   # builds, runs the tests, checks the bundle\n` +
          `    switchboard plugin lint   # then write the README and the descriptions it points at\n`,
      )
    })
}
