import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, normalize, resolve, sep } from 'node:path'
import { createGunzip } from 'node:zlib'
import { checkManifest, type PluginManifest } from '@switchboard/plugin-sdk'
import { Ajv2020 } from 'ajv/dist/2020.js'
import semver from 'semver'
import * as tar from 'tar'
import { ErrorCode } from '../errors/index.js'
import { pluginUserError } from './plugin-errors.js'
import { schemaFormats } from './plugin-schemas.js'
import { version as coreVersion } from '../version.js'

/** A plugin as it is installed: its checked manifest and the files it ships, read into memory. */
export interface PluginPackage {
  manifest: PluginManifest
  code: string
  readme: string
  /** the icon as a data: URL */
  icon: string
}

const MAX_CODE_BYTES = 5 * 1024 * 1024
const MAX_FILE_BYTES = 1024 * 1024
const MAX_TGZ_BYTES = 20 * 1024 * 1024
/** what a .tgz may unpack to: the files' declared sizes together, and how many entries */
const MAX_UNPACKED_BYTES = 50 * 1024 * 1024
const MAX_TAR_ENTRIES = 2000
/** the tar stream itself: the files plus a header and padding per entry, and some slack */
const MAX_TAR_STREAM_BYTES = MAX_UNPACKED_BYTES + MAX_TAR_ENTRIES * 1024 + 4 * 1024 * 1024
/** the entry types extracted: regular files (folders are made for them); links and the rest are skipped */
const REGULAR_FILES = new Set(['File', 'OldFile', 'ContiguousFile'])

/**
 * Names a plugin may not take: the capability aliases flows call (`erp.getOrder`) and the roots
 * of the core's event topics and routes, so a plugin's actions and events can never be mistaken
 * for the core's or a capability's.
 */
export const RESERVED_PLUGIN_NAMES: ReadonlySet<string> = new Set([
  'erp',
  'logistics',
  'crm',
  'llm',
  'speech',
  'channel',
  'plugin',
  'plugins',
  'conversation',
  'conversations',
  'ticket',
  'tickets',
  'flow',
  'flows',
  'run',
  'runs',
  'contact',
  'contacts',
  'routing',
  'queue',
  'auth',
  'user',
  'users',
  'team',
  'teams',
  'audit',
  'jobs',
  'kb',
  'nlu',
  'system',
  'core',
  'switchboard',
  'hooks',
  'api',
])

const invalid = (message: string, problems?: Array<{ path: string; message: string }>) =>
  pluginUserError(ErrorCode.PLUGIN_MANIFEST_INVALID, message, problems)

/** A path inside the package, refusing anything that climbs out of it. */
function inside(root: string, relative: string, what: string): string {
  const full = resolve(root, normalize(relative))
  if (full !== root && !full.startsWith(root + sep)) throw invalid(`${what} (${relative}) points outside the package`)
  return full
}

function readLimited(file: string, limit: number, what: string): Buffer {
  if (!existsSync(file)) throw invalid(`the package has no ${what} (${file})`)
  if (statSync(file).size > limit) throw invalid(`${what} is larger than ${Math.round(limit / 1024)} KB`)
  return readFileSync(file)
}

/** keywords whose values are data, not schemas */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples'])
/** keywords whose values map names to schemas */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'])

/** Where in a JSON Schema an `$id` is, or null. */
function findId(schema: unknown, path: string): string | null {
  if (Array.isArray(schema)) {
    for (const [i, item] of schema.entries()) {
      const found = findId(item, `${path}.${i}`)
      if (found) return found
    }
    return null
  }
  if (typeof schema !== 'object' || schema === null) return null
  if (Object.prototype.hasOwnProperty.call(schema, '$id')) return path
  for (const [keyword, value] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(keyword)) continue
    if (SCHEMA_MAPS.has(keyword) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [name, sub] of Object.entries(value)) {
        const found = findId(sub, `${path}.${keyword}.${name}`)
        if (found) return found
      }
      continue
    }
    const found = findId(value, `${path}.${keyword}`)
    if (found) return found
  }
  return null
}

/**
 * Compiles every JSON Schema of the manifest (config, secrets, each action's input and output,
 * each node's config) the way the host will, so a schema that cannot compile stops the install
 * rather than every later call. An `$id` is refused: the host compiles a plugin's schemas side by
 * side in one validator, where two schemas naming the same `$id` collide and a `$ref` could
 * resolve to another schema than the one it sits in.
 */
function checkSchemas(manifest: PluginManifest): void {
  // a throwaway validator with the formats the host knows
  const ajv = new Ajv2020({ strict: false, logger: false, formats: schemaFormats })
  const schemas: Array<[string, unknown]> = [
    ['config', manifest.config],
    ['secrets', manifest.secrets],
    ...Object.entries(manifest.actions).flatMap(([name, action]): Array<[string, unknown]> => [
      [`actions.${name}.input`, action.input],
      [`actions.${name}.output`, action.output],
    ]),
    ...Object.entries(manifest.nodes).map(([name, node]): [string, unknown] => [`nodes.${name}.config`, node.config]),
  ]
  const problems: Array<{ path: string; message: string }> = []
  for (const [path, schema] of schemas) {
    const id = findId(schema, path)
    if (id) {
      problems.push({
        path: id,
        message: 'a schema may not carry an $id (the host compiles a plugin’s schemas side by side)',
      })
      continue
    }
    try {
      ajv.compile(schema as Record<string, unknown>)
    } catch (error) {
      problems.push({ path, message: `the JSON Schema does not compile: ${(error as Error).message}` })
    }
  }
  if (problems.length > 0)
    throw invalid(`invalid plugin manifest: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems)
}

/**
 * Checks a manifest (its shape, what refers to what, that its name is not reserved and that its
 * JSON Schemas compile) and that this core is in its `requires.core` range.
 */
export function checkInstallable(value: unknown): PluginManifest {
  const checked = checkManifest(value)
  if (!checked.ok)
    throw invalid(
      `invalid plugin manifest: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      checked.problems,
    )
  const { manifest } = checked
  if (RESERVED_PLUGIN_NAMES.has(manifest.name))
    throw invalid(
      `the plugin name "${manifest.name}" is reserved: plugin names may not be a capability alias or a root of the core's events and routes (${[...RESERVED_PLUGIN_NAMES].join(', ')})`,
      [{ path: 'name', message: 'a reserved name (a capability alias or a core event root)' }],
    )
  checkSchemas(manifest)
  if (!semver.validRange(manifest.requires.core))
    throw invalid(`requires.core "${manifest.requires.core}" is not a semver range (e.g. >=0.1.0 <1.0.0)`, [
      { path: 'requires.core', message: 'not a semver range' },
    ])
  if (!semver.satisfies(coreVersion, manifest.requires.core, { includePrerelease: true }))
    throw pluginUserError(
      ErrorCode.PLUGIN_INCOMPATIBLE,
      `${manifest.name} ${manifest.version} requires Switchboard ${manifest.requires.core}; this is ${coreVersion}`,
      { core: coreVersion, requires: manifest.requires.core },
    )
  return manifest
}

/**
 * Reads a built plugin folder: `dist/manifest.json` (or `manifest.json`), the bundle it names,
 * its readme and icon. Everything is checked before anything is installed.
 */
export function readPluginFolder(dir: string): PluginPackage {
  const root = resolve(dir)
  if (!existsSync(root) || !statSync(root).isDirectory()) throw invalid(`${dir} is not a folder`)
  const manifestFile = [join(root, 'dist', 'manifest.json'), join(root, 'manifest.json')].find((f) => existsSync(f))
  if (!manifestFile)
    throw invalid(`${dir} has no dist/manifest.json: build the plugin first (switchboard plugin build ${dir})`)
  let json: unknown
  try {
    json = JSON.parse(readLimited(manifestFile, MAX_FILE_BYTES, 'manifest').toString('utf8'))
  } catch (error) {
    if ((error as { code?: string }).code === ErrorCode.PLUGIN_MANIFEST_INVALID) throw error
    throw invalid(`${manifestFile} is not JSON: ${(error as Error).message}`)
  }
  const manifest = checkInstallable(json)
  const code = readLimited(inside(root, manifest.main, 'main'), MAX_CODE_BYTES, `bundle ${manifest.main}`).toString(
    'utf8',
  )
  if (!/__switchboardPlugin/.test(code))
    throw invalid(`${manifest.main} is not a plugin bundle (build it with switchboard plugin build)`)
  const readme = readLimited(inside(root, manifest.readme, 'readme'), MAX_FILE_BYTES, `readme ${manifest.readme}`)
  const iconBytes = readLimited(inside(root, manifest.icon, 'icon'), MAX_FILE_BYTES, `icon ${manifest.icon}`)
  const mime = manifest.icon.endsWith('.svg') ? 'image/svg+xml' : 'image/png'
  return {
    manifest,
    code,
    readme: readme.toString('utf8'),
    icon: `data:${mime};base64,${iconBytes.toString('base64')}`,
  }
}

/**
 * Unpacks a .tgz into `out`, regular files only, refusing (before writing them) more than 2,000
 * entries or 50 MB of files, and stopping the decompression as soon as the tar stream passes
 * what those allow, so a small archive cannot unpack to gigabytes.
 */
async function extractTarball(bytes: Buffer, out: string): Promise<void> {
  let entries = 0
  let declared = 0
  let inflated = 0
  let refused: string | undefined
  const gunzip = createGunzip()
  const unpack = new tar.Unpack({
    cwd: out,
    strict: true,
    // the tar stream arrives decompressed and counted (below): no second decompression
    zstd: false,
    brotli: false,
    filter: (_path, entry) => {
      entries++
      declared += entry.size ?? 0
      if (entries > MAX_TAR_ENTRIES) refuse(`it holds more than ${MAX_TAR_ENTRIES} entries`)
      else if (declared > MAX_UNPACKED_BYTES) refuse(`it unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB`)
      return refused === undefined && 'type' in entry && REGULAR_FILES.has(entry.type)
    },
  })
  function refuse(reason: string) {
    if (refused !== undefined) return
    refused = reason
    gunzip.destroy()
    unpack.abort(new Error(reason))
  }
  try {
    await new Promise<void>((done, fail) => {
      unpack.on('error', fail)
      unpack.on('close', () => done())
      gunzip.on('error', fail)
      // whatever follows the archive's end is not read (the parser would buffer all of it)
      let atEnd = false
      unpack.on('eof', () => {
        if (atEnd) return
        atEnd = true
        gunzip.destroy()
        unpack.end()
      })
      gunzip.on('data', (chunk: Buffer) => {
        if (atEnd) return
        if (inflated === 0 && chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b)
          return refuse('it is compressed twice')
        inflated += chunk.length
        if (inflated > MAX_TAR_STREAM_BYTES)
          return refuse(`it unpacks to more than ${Math.round(MAX_TAR_STREAM_BYTES / 1024 / 1024)} MB`)
        // no backpressure: what unpack may buffer is bounded by the count above
        unpack.write(chunk)
      })
      gunzip.on('end', () => {
        if (!atEnd) unpack.end()
      })
      gunzip.end(bytes)
    })
  } catch (error) {
    if (refused !== undefined) throw invalid(`the .tgz is refused: ${refused}`)
    throw invalid(`the .tgz cannot be read: ${(error as Error).message}`)
  }
  if (refused !== undefined) throw invalid(`the .tgz is refused: ${refused}`)
}

/** Reads a plugin packed with `npm pack` (files under `package/`), without running anything in it. */
export async function readPluginTarball(bytes: Buffer): Promise<PluginPackage> {
  if (bytes.length > MAX_TGZ_BYTES) throw invalid('the .tgz is larger than 20 MB')
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw invalid('not a gzip-compressed tarball (.tgz)')
  const dir = mkdtempSync(join(tmpdir(), 'sb-plugin-'))
  try {
    const out = join(dir, 'x')
    mkdirSync(out)
    await extractTarball(bytes, out)
    const root = existsSync(join(out, 'package')) ? join(out, 'package') : out
    return readPluginFolder(root)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
