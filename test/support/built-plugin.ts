import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { buildPlugin } from '../../cli/src/plugin-build/index.js'

/**
 * Builds a plugin from a folder into a temporary copy (so parallel test files never write into
 * the same dist/), optionally changing its version, and returns the built folder.
 */
export async function builtPluginCopy(
  source: string,
  options: { version?: string } = {},
): Promise<{ dir: string; remove(): void }> {
  const parent = mkdtempSync(join(tmpdir(), 'sb-plugin-build-'))
  const dir = join(parent, 'plugin')
  cpSync(source, dir, { recursive: true, filter: (path) => !path.includes('/dist') && !path.includes('node_modules') })
  if (options.version) {
    for (const file of ['plugin.definition.ts', 'package.json']) {
      const path = join(dir, file)
      writeFileSync(path, readFileSync(path, 'utf8').replace(/(version['"]?:\s*['"])1\.0\.0/, `$1${options.version}`))
    }
  }
  await buildPlugin(dir)
  return { dir, remove: () => rmSync(parent, { recursive: true, force: true }) }
}

/** `npm pack` of a built plugin folder, as bytes. */
export function packPlugin(dir: string): Buffer {
  const out = mkdtempSync(join(tmpdir(), 'sb-plugin-pack-'))
  try {
    const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: dir, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!
    return readFileSync(join(out, name))
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}
