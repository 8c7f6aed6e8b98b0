import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ErrorCode, userError } from '../errors/index.js'
import { sections } from './sections.js'
import type { Setting, SettingsOf } from './setting.js'

type Sections = typeof sections
export type Config = { [S in keyof Sections]: SettingsOf<Sections[S]> } & {
  /** where each value came from, for `switchboard doctor` */
  sources: Record<string, 'env' | 'file' | 'default'>
  /** the config file that was read, if any */
  configFile: string | undefined
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
}

/**
 * Reads the configuration from environment variables, then the optional config file
 * (SWITCHBOARD_CONFIG, or switchboard.json in the data directory), then defaults.
 * Every problem is reported in one error whose message names the bad key and what it expects.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env
  const cwd = options.cwd ?? process.cwd()
  const dataDirFromEnv = env.SWITCHBOARD_DATA_DIR
  const configFile = locateConfigFile(env, cwd, dataDirFromEnv)
  const fileValues = configFile ? readConfigFile(configFile) : {}

  const problems: string[] = []
  const sources: Config['sources'] = {}
  const result: Record<string, Record<string, unknown>> = {}

  for (const [sectionName, settings] of Object.entries(sections) as [string, Record<string, Setting<unknown>>][]) {
    const fileSection = (fileValues[sectionName] ?? {}) as Record<string, unknown>
    result[sectionName] = {}
    for (const [key, spec] of Object.entries(settings)) {
      const dotted = `${sectionName}.${key}`
      let raw: unknown
      let source: 'env' | 'file' | 'default'
      if (env[spec.env] !== undefined && env[spec.env] !== '') {
        raw = env[spec.env]
        source = 'env'
      } else if (fileSection[key] !== undefined) {
        raw = fileSection[key]
        source = 'file'
      } else {
        result[sectionName][key] = spec.default
        sources[dotted] = 'default'
        continue
      }
      const parsed = spec.schema.safeParse(raw)
      if (parsed.success) {
        result[sectionName][key] = parsed.data
        sources[dotted] = source
      } else {
        const where = source === 'env' ? `${spec.env} (${dotted})` : `${dotted} in ${configFile}`
        const shown = spec.secret
          ? '(secret value hidden)'
          : `got ${JSON.stringify(spec.url ? maskUrlPassword(String(raw)) : raw)}`
        problems.push(`${where} must be ${spec.expected}; ${shown}`)
      }
    }
  }
  problems.push(...unknownFileKeys(fileValues, configFile))

  if (problems.length > 0) {
    throw userError(ErrorCode.CONFIG_INVALID, `Invalid configuration: ${problems.join('; ')}`, { details: problems })
  }
  const config = result as unknown as Config
  config.data.dir = resolve(cwd, config.data.dir)
  config.sources = sources
  config.configFile = configFile
  return config
}

function locateConfigFile(env: NodeJS.ProcessEnv, cwd: string, dataDir: string | undefined): string | undefined {
  if (env.SWITCHBOARD_CONFIG) {
    const path = resolve(cwd, env.SWITCHBOARD_CONFIG)
    if (!existsSync(path)) {
      throw userError(
        ErrorCode.CONFIG_INVALID,
        `Invalid configuration: SWITCHBOARD_CONFIG points to ${path}, which does not exist`,
      )
    }
    return path
  }
  const candidate = resolve(cwd, dataDir ?? './data', 'switchboard.json')
  return existsSync(candidate) ? candidate : undefined
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw userError(
      ErrorCode.CONFIG_INVALID,
      `Invalid configuration: ${path} is not valid JSON (${(error as Error).message})`,
    )
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw userError(
      ErrorCode.CONFIG_INVALID,
      `Invalid configuration: ${path} must hold a JSON object such as {"server": {"port": 3000}}`,
    )
  }
  return parsed as Record<string, unknown>
}

function unknownFileKeys(fileValues: Record<string, unknown>, file: string | undefined): string[] {
  const problems: string[] = []
  for (const [sectionName, value] of Object.entries(fileValues)) {
    const settings = (sections as Record<string, Record<string, unknown>>)[sectionName]
    if (!settings) {
      problems.push(`unknown section "${sectionName}" in ${file} (known: ${Object.keys(sections).join(', ')})`)
      continue
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${sectionName} in ${file} must be an object of settings`)
      continue
    }
    for (const key of Object.keys(value)) {
      if (!(key in settings))
        problems.push(`unknown key "${sectionName}.${key}" in ${file} (known: ${Object.keys(settings).join(', ')})`)
    }
  }
  return problems
}

/** The settings table, for docs/configuration.md and `switchboard doctor`. */
export function describeSettings(): Array<{
  key: string
  env: string
  doc: string
  expected: string
  default: unknown
  secret: boolean
  url: boolean
}> {
  return Object.entries(sections).flatMap(([sectionName, settings]) =>
    Object.entries(settings as Record<string, Setting<unknown>>).map(([key, spec]) => ({
      key: `${sectionName}.${key}`,
      env: spec.env,
      doc: spec.doc,
      expected: spec.expected,
      default: spec.default,
      secret: spec.secret ?? false,
      url: spec.url ?? false,
    })),
  )
}

/** "postgresql://user:secret@host/db" → "postgresql://user:***@host/db", for messages and dumps. */
export function maskUrlPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*:)[^@/]*@/i, '$1***@')
}
