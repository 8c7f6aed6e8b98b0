import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { version as coreVersion } from '@switchboard/core'
import { findPackageDir } from '../plugin-build/index.js'
import { titleFromName } from './plugin-name.js'
import type { PluginTemplateKind } from './plugin-template-kinds.js'

const cliDir = dirname(fileURLToPath(import.meta.url))

/** The version of a package the CLI itself uses, for the scaffold's devDependencies. */
function cliPackageVersion(name: string, fallback: string): string {
  const dir = findPackageDir(name, cliDir)
  if (!dir) return fallback
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version
}

/** The core versions a new plugin supports: this one up to the next major (or 1.0.0 while 0.x). */
function coreRange(version: string): string {
  const major = Number(version.split('.')[0])
  return `>=${version.replace(/-.*$/, '')} <${major === 0 ? 1 : major + 1}.0.0`
}

const colours: Record<PluginTemplateKind, string> = { integration: '#2563eb', channel: '#16a34a', ai: '#9333ea' }

/** What the `{{TOKEN}}`s of the templates are replaced with. */
export function templateValues(name: string, kind: PluginTemplateKind): Record<string, string> {
  return {
    NAME: name,
    TITLE: titleFromName(name),
    KIND: kind,
    CORE_RANGE: coreRange(coreVersion),
    SDK_VERSION: cliPackageVersion('@switchboard/plugin-sdk', '0.1.0'),
    VITEST_VERSION: cliPackageVersion('vitest', '4.1.12'),
    IDENTITY_KIND: `${name.slice(0, 24).replace(/-+$/, '')}-user`,
    COLOR: colours[kind],
    INITIAL: name[0]!.toUpperCase(),
  }
}
