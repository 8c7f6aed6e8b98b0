// npm run bench — runs every *.bench.js in this folder, one after the other; each prints its figures.
// Results are kept in docs/benchmarks.md. Nothing here asserts timings.
import { readdirSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv[2]
for (const file of readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .sort()) {
  if (only && !file.includes(only)) continue
  console.log(`\n### ${file}\n`)
  const result = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit' })
  if (result.status !== 0) process.exitCode = 1
}
