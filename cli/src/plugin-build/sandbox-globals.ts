import { SourceMap, type SourceMapPayload } from 'node:module'
import { dirname, relative, resolve } from 'node:path'
import { build } from 'esbuild'
import type { BuildWarning } from './build-warning.js'
import { handlersBuildOptions } from './handlers-build-options.js'
import type { PluginLayout } from './plugin-layout.js'

/**
 * Globals of browsers and Node that the sandbox does not have (it has ECMAScript built-ins and
 * `ctx` only), each with what to use instead.
 */
export const missingSandboxGlobals: Record<string, string> = {
  fetch: 'use ctx.fetch (to the hosts in permissions.hosts)',
  URL: 'split the URL with a regular expression or string methods',
  URLSearchParams: 'build the query with encodeURIComponent',
  Buffer: 'work with strings; ctx.crypto hashes and signs',
  process: 'read settings from ctx.config and ctx.secrets',
  require: 'import the module so it is bundled',
  setTimeout: 'the host times calls out (limits.timeoutMs); a handler does not wait',
  setInterval: 'the host times calls out (limits.timeoutMs); a handler does not wait',
  setImmediate: 'await a promise instead',
  clearTimeout: 'there are no timers in the sandbox',
  clearInterval: 'there are no timers in the sandbox',
  queueMicrotask: 'await Promise.resolve() instead',
  TextEncoder: 'work with strings (encodeURIComponent gives UTF-8 bytes)',
  TextDecoder: 'work with strings (ctx.fetch returns text)',
  atob: 'bundle a small base64 decoder',
  btoa: 'bundle a small base64 encoder',
  crypto: 'use ctx.crypto (sha1, sha256, md5, hmacSha256, randomId)',
  console: 'use ctx.log',
  structuredClone: 'copy with JSON.parse(JSON.stringify(value))',
  AbortController: 'pass timeoutMs to ctx.fetch',
  Headers: 'pass headers to ctx.fetch as a plain object',
  __dirname: 'there is no file system in the sandbox',
  __filename: 'there is no file system in the sandbox',
}

const marker = (name: string) => `__sbMissingGlobal_${name}__`
const markerPattern = /__sbMissingGlobal_(\w+?)__/g

/** `fetch` and `globalThis.fetch`, each replaced by a marker; esbuild leaves locally bound names alone. */
function markerDefines(): Record<string, string> {
  const define: Record<string, string> = {}
  for (const name of Object.keys(missingSandboxGlobals)) {
    define[name] = marker(name)
    define[`globalThis.${name}`] = marker(name)
  }
  return define
}

function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index)
  const line = before.split('\n').length - 1
  return { line, column: index - (before.lastIndexOf('\n') + 1) }
}

/**
 * Finds the globals the sandbox lacks that the bundled handlers use, by bundling once more with
 * each such global replaced by a marker: esbuild replaces only free references, so `ctx.fetch`
 * or a local variable named `fetch` never match. A reference that is only tested with `typeof`
 * is safe and not reported. Each finding points at the source line, through the source map.
 */
export async function findSandboxGlobals(layout: PluginLayout): Promise<BuildWarning[]> {
  const options = handlersBuildOptions(layout)
  const result = await build({ ...options, define: markerDefines(), sourcemap: 'external' })
  const code = result.outputFiles.find((f) => f.path.endsWith('.js'))!
  const map = result.outputFiles.find((f) => f.path.endsWith('.js.map'))!
  const sourceMap = new SourceMap(JSON.parse(map.text) as SourceMapPayload)
  const found = new Map<string, string[]>()
  for (const match of code.text.matchAll(markerPattern)) {
    if (/typeof\s*$/.test(code.text.slice(Math.max(0, match.index - 10), match.index))) continue
    const name = match[1]!
    const { line, column } = lineAndColumn(code.text, match.index)
    const entry = sourceMap.findEntry(line, column)
    const where =
      'originalSource' in entry
        ? `${relative(layout.dir, resolve(dirname(code.path), entry.originalSource))}:${entry.originalLine + 1}:${entry.originalColumn + 1}`
        : '(bundled code)'
    found.set(name, [...(found.get(name) ?? []), where])
  }
  return [...found].map(([name, places]) => ({
    code: 'sandbox/global',
    message: `${name} does not exist in the plugin sandbox: ${missingSandboxGlobals[name]}`,
    location: places.length > 3 ? `${places.slice(0, 3).join(', ')} and ${places.length - 3} more` : places.join(', '),
  }))
}
