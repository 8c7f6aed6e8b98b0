import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lintPlugin } from '../../cli/src/plugin-lint/lint-plugin.js'

const root = join(import.meta.dirname, '../..')
const pluginDirs = ['plugins', 'examples/plugins'].flatMap((parent) =>
  readdirSync(join(root, parent))
    .map((name) => join(parent, name))
    .filter((dir) => existsSync(join(root, dir, 'plugin.definition.ts'))),
)

/** The first-party and example plugins hold themselves to what `switchboard plugin lint` asks of anyone's. */
describe.each(pluginDirs)('%s', (dir) => {
  it('passes plugin lint without findings', { timeout: 60_000 }, async () => {
    const { findings } = await lintPlugin(join(root, dir))
    expect(findings.map((f) => `${f.severity} ${f.rule} ${f.where}: ${f.message}`)).toEqual([])
  })
})
