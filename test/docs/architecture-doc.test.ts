import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../..')
const read = (path: string) => readFileSync(join(root, path), 'utf8')
const doc = read('docs/architecture.md')

/** the row of the repository layout table for a folder */
function layoutRow(folder: string): string {
  const row = doc.split('\n').find((line) => line.startsWith(`| \`${folder}\``))
  if (!row) throw new Error(`docs/architecture.md has no layout row for ${folder}`)
  return row
}

describe('docs/architecture.md', () => {
  it('says what the plugin SDK holds and depends on', () => {
    const row = layoutRow('plugins/sdk/')
    const sdk = JSON.parse(read('plugins/sdk/package.json')) as {
      dependencies?: Record<string, string>
      exports: Record<string, string>
    }
    for (const dependency of Object.keys(sdk.dependencies ?? {})) expect(row).toContain(dependency)
    for (const entry of Object.keys(sdk.exports).filter((e) => e !== '.')) expect(row).toContain(entry.slice(1))
    for (const feature of ['definePlugin', 'manifest', 'capability', 'harness']) expect(row).toContain(feature)
    expect(doc).not.toMatch(/no dependencies|depends on nothing/)
  })

  it('describes start() in the order app.ts starts things', () => {
    const app = read('core/src/app.ts')
    const body = app.slice(app.indexOf('async start()'), app.indexOf('async stop()'))
    const order = ['plugins.start', 'scheduler.start', 'flowTriggers.start', 'server.start'].map((call) =>
      body.indexOf(call),
    )
    expect(order.every((at) => at >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    const sentence = doc.slice(doc.indexOf('`start()` starts'), doc.indexOf('\n', doc.indexOf('`start()` starts')))
    const said = ['plugins', 'scheduler', 'triggers', 'listens'].map((word) => sentence.indexOf(word))
    expect(said.every((at) => at >= 0)).toBe(true)
    expect([...said].sort((a, b) => a - b)).toEqual(said)
  })

  it('no longer calls parts unused that are used', () => {
    expect(doc).not.toMatch(/no users yet|not used yet/)
    // the bus, the locks and plugin secrets are all used now
    for (const used of ['auth.credentials-revoked', 'flow-run:', 'secretsEnc']) expect(doc).toContain(used)
  })

  it('links every ADR and names every CLI command', () => {
    for (const adr of readdirSync(join(root, 'docs/adr'))) expect(doc).toContain(`(adr/${adr})`)
    const main = read('cli/src/main.ts')
    const commands = [...main.matchAll(/^register(\w+)\(program\)$/gm)]
      .map((m) => m[1]!)
      .filter((name) => name !== 'PluginLifecycle')
      .map((name) => name.toLowerCase())
    expect(commands.length).toBeGreaterThan(8)
    const row = layoutRow('cli/')
    for (const command of commands) expect(row).toContain(`\`${command}\``)
  })
})
