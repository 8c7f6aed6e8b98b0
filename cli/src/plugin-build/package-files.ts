import { existsSync, statSync } from 'node:fs'
import { isAbsolute, join, relative } from 'node:path'
import type { ManifestProblem, PluginManifest } from '@switchboard/plugin-sdk'

/** The files the manifest names (icon, readme) exist inside the plugin folder. */
export function packageFileProblems(dir: string, manifest: PluginManifest): ManifestProblem[] {
  const problems: ManifestProblem[] = []
  for (const key of ['icon', 'readme'] as const) {
    const file = manifest[key]
    const inside = relative(dir, join(dir, file))
    if (inside.startsWith('..') || isAbsolute(inside))
      problems.push({ path: key, message: `${file} is outside the plugin folder` })
    else if (!existsSync(join(dir, file)) || !statSync(join(dir, file)).isFile())
      problems.push({ path: key, message: `${file} does not exist in the plugin folder` })
  }
  return problems
}
