import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, normalize, resolve, sep } from 'node:path'
import { checkManifest, type PluginManifest } from '@switchboard/plugin-sdk'
import semver from 'semver'
import * as tar from 'tar'
import { ErrorCode } from '../errors/index.js'
import { pluginUserError } from './plugin-errors.js'
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

/** Checks a manifest and that this core is in its `requires.core` range. */
export function checkInstallable(value: unknown): PluginManifest {
  const checked = checkManifest(value)
  if (!checked.ok)
    throw invalid(
      `invalid plugin manifest: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      checked.problems,
    )
  const { manifest } = checked
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

/** Reads a plugin packed with `npm pack` (files under `package/`), without running anything in it. */
export async function readPluginTarball(bytes: Buffer): Promise<PluginPackage> {
  if (bytes.length > MAX_TGZ_BYTES) throw invalid('the .tgz is larger than 20 MB')
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw invalid('not a gzip-compressed tarball (.tgz)')
  const dir = mkdtempSync(join(tmpdir(), 'sb-plugin-'))
  try {
    const file = join(dir, 'plugin.tgz')
    writeFileSync(file, bytes)
    const out = join(dir, 'x')
    await import('node:fs').then((fs) => fs.mkdirSync(out))
    await tar
      .x({
        file,
        cwd: out,
        strict: true,
        // regular files and folders only: no links that could point outside
        filter: (_path, entry) => 'type' in entry && (entry.type === 'File' || entry.type === 'Directory'),
      })
      .catch((error: Error) => {
        throw invalid(`the .tgz cannot be read: ${error.message}`)
      })
    const root = existsSync(join(out, 'package')) ? join(out, 'package') : out
    return readPluginFolder(root)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
