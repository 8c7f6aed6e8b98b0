// Builds the first-party plugins (plugins/*) and the example plugins (examples/plugins/*) into
// their dist/ folders: part of `npm run build`, so the demo and the tests find them built.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildPlugin } from '../cli/dist/plugin-build/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const folders = ['plugins', 'examples/plugins'].flatMap((parent) =>
  existsSync(join(root, parent))
    ? readdirSync(join(root, parent))
        .map((name) => join(root, parent, name))
        .filter((dir) => existsSync(join(dir, 'plugin.definition.ts')))
    : [],
)
let failed = 0
for (const dir of folders) {
  try {
    const result = await buildPlugin(dir)
    const warnings = result.warnings.length ? ` (${result.warnings.length} warnings)` : ''
    console.log(`plugin ${result.manifest.name} ${result.manifest.version}: ${result.bundleBytes} bytes${warnings}`)
  } catch (error) {
    failed++
    console.error(`plugin build failed in ${dir}: ${error.message}`)
    for (const p of error.details ?? []) console.error(`  ${p.path ?? ''} ${p.message ?? JSON.stringify(p)}`)
  }
}
process.exit(failed ? 1 : 0)
