import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { BUNDLE_PATH, buildPlugin } from '../../plugin-build/index.js'
import { checkBundleInSandbox } from '../../plugin-test/check-bundle-in-sandbox.js'
import { loadInIsolate } from '../../plugin-test/load-in-isolate.js'
import { runPluginTests } from '../../plugin-test/run-plugin-tests.js'
import { contributions } from './build.js'
import { printWarnings } from './print-warnings.js'

export function registerPluginTest(plugin: Command): void {
  plugin
    .command('test')
    .description(
      'Build a plugin, run its own tests (vitest), then load dist/plugin.js in a bare sandbox and check every declared action, node, webhook and event has a handler. Exit code 1 when a test or the check fails, 2 when the build does.',
    )
    .argument('[dir]', 'the plugin folder', '.')
    .action(async (dir: string) => {
      const root = resolve(dir)
      const { manifest, warnings } = await buildPlugin(root)
      process.stdout.write(`✔ Built ${manifest.name} ${manifest.version}: ${contributions(manifest)}\n`)
      printWarnings(warnings)
      const testsExit = await runPluginTests(root)
      const code = readFileSync(join(root, BUNDLE_PATH), 'utf8')
      const check = checkBundleInSandbox(manifest, code)
      const isolate = await loadInIsolate(manifest, code)
      if (!isolate.ok) check.problems.push(isolate.message)
      for (const warning of check.warnings) process.stderr.write(`⚠ ${warning}\n`)
      if (check.problems.length > 0) {
        process.stdout.write(
          `✖ ${BUNDLE_PATH} in the sandbox: ${check.problems.length} problem(s)\n` +
            check.problems.map((p) => `    ${p}\n`).join(''),
        )
      } else {
        process.stdout.write(
          `✔ ${BUNDLE_PATH} loads in a bare sandbox with all ${check.handlers} declared handler(s)\n`,
        )
        process.stdout.write(`✔ ${BUNDLE_PATH} ${isolate.message}\n`)
      }
      if (testsExit !== 0) process.stdout.write(`✖ the plugin's tests failed (vitest exit code ${testsExit})\n`)
      if (testsExit !== 0 || check.problems.length > 0) process.exitCode = 1
    })
}
