import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ErrorCode, userError } from '@switchboard/core'
import { pluginBuildError } from './build-errors.js'

/** The parts of a plugin's package.json the tools read. */
export interface PluginPackageJson {
  name?: string
  version?: string
  type?: string
  files?: string[]
  switchboard?: { definition?: string; handlers?: string }
  [key: string]: unknown
}

/** Where a plugin's files are: its folder, package.json, definition and handler entry. */
export interface PluginLayout {
  /** absolute */
  dir: string
  packageJson: PluginPackageJson
  /** relative to `dir`, e.g. plugin.definition.ts */
  definition: string
  /** relative to `dir`, e.g. src/index.ts */
  handlers: string
}

function readPackageJson(dir: string): PluginPackageJson {
  const file = join(dir, 'package.json')
  if (!existsSync(file))
    throw pluginBuildError(
      `${dir} is not a plugin folder: it has no package.json (create one with \`switchboard plugin create <name>\`)`,
    )
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as unknown
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not a JSON object')
    return json as PluginPackageJson
  } catch (error) {
    throw pluginBuildError(`${file} is not valid JSON: ${(error as Error).message}`)
  }
}

/**
 * Reads a plugin folder: package.json's `switchboard.definition` and `switchboard.handlers`
 * (default `plugin.definition.ts` and `src/index.ts`), both of which must exist.
 */
export function readPluginLayout(dir: string): PluginLayout {
  const absolute = resolve(dir)
  if (!existsSync(absolute) || !statSync(absolute).isDirectory())
    throw userError(ErrorCode.NOT_FOUND, `No plugin folder at ${dir}`, { status: 404 })
  const packageJson = readPackageJson(absolute)
  const definition = packageJson.switchboard?.definition ?? 'plugin.definition.ts'
  const handlers = packageJson.switchboard?.handlers ?? 'src/index.ts'
  for (const [key, file] of [
    ['definition', definition],
    ['handlers', handlers],
  ] as const)
    if (!existsSync(join(absolute, file)))
      throw pluginBuildError(`${join(dir, file)} does not exist (package.json "switchboard.${key}" names it)`)
  return { dir: absolute, packageJson, definition, handlers }
}
