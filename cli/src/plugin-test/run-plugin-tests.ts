import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ErrorCode, userError } from '@switchboard/core'
import { findPackageDir } from '../plugin-build/index.js'

const cliDir = fileURLToPath(new URL('.', import.meta.url))
/** What a plugin's tests import that the CLI can lend it. */
const lent = ['@switchboard/plugin-sdk', '@switchboard/plugin-sdk/runtime', '@switchboard/plugin-sdk/testing', 'vitest']

/** The CLI's vitest, else the plugin's. */
function vitestBin(dir: string): string {
  const vitest = findPackageDir('vitest', cliDir) ?? findPackageDir('vitest', dir)
  if (!vitest)
    throw userError(ErrorCode.NOT_FOUND, 'vitest is not installed: run `npm install` in the plugin folder', {
      status: 404,
    })
  return join(vitest, 'vitest.mjs')
}

/** For each module the plugin cannot find in its own node_modules, the CLI's copy. */
function aliases(dir: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const specifier of lent) {
    const packageName = specifier
      .split('/')
      .slice(0, specifier.startsWith('@') ? 2 : 1)
      .join('/')
    if (findPackageDir(packageName, dir)) continue
    try {
      result[specifier] = fileURLToPath(import.meta.resolve(specifier))
    } catch {
      // the CLI has no copy either; vitest reports the import it cannot resolve
    }
  }
  return result
}

/** The plugin's own vitest config if it has one, else the CLI's. */
function vitestConfig(dir: string): string {
  for (const name of ['vitest.config.ts', 'vitest.config.mts', 'vitest.config.js', 'vitest.config.mjs'])
    if (existsSync(join(dir, name))) return join(dir, name)
  return join(cliDir, 'vitest-plugin-config.js')
}

/**
 * Runs a plugin's own tests: `vitest run --root <dir>`, with the output on this terminal.
 * Resolves to vitest's exit code.
 */
export function runPluginTests(dir: string): Promise<number> {
  const args = [vitestBin(dir), 'run', '--root', dir, '--config', vitestConfig(dir)]
  const env = {
    ...process.env,
    SWITCHBOARD_PLUGIN_TEST_ALIASES: JSON.stringify(aliases(dir)),
    // vitest's cache stays out of the plugin folder (no node_modules/ appears before npm install)
    SWITCHBOARD_PLUGIN_TEST_CACHE: join(
      tmpdir(),
      'switchboard-plugin-tests',
      createHash('sha256').update(dir).digest('hex').slice(0, 16),
    ),
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] })
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}
