import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The folder of package `name` as Node finds it from `fromDir`: in a `node_modules` of that
 * folder or of one of its parents. Symbolic links (workspaces) are kept, not resolved.
 */
export function findPackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dirname(dir) === dir) return undefined
  }
}

const cliDir = dirname(fileURLToPath(import.meta.url))

/**
 * The `node_modules` folder that holds the CLI's own copy of `name`, for a plugin that has no
 * copy of its own (one scaffolded in /tmp before `npm install`).
 */
export function cliNodeModulesWith(name: string): string | undefined {
  const packageDir = findPackageDir(name, cliDir)
  return packageDir && join(packageDir, ...name.split('/').map(() => '..'))
}
