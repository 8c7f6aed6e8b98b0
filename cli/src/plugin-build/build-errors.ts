import { relative } from 'node:path'
import type { Message } from 'esbuild'
import { ErrorCode, userError } from '@switchboard/core'
import type { ManifestProblem } from '@switchboard/plugin-sdk'

/** Something the plugin author must fix; the CLI reports it with exit code 2. */
export function pluginBuildError(message: string, details?: unknown): ReturnType<typeof userError> {
  return userError(ErrorCode.VALIDATION, message, { details })
}

/** The definition does not make a valid manifest: every problem on its own line, with its path. */
export function manifestInvalidError(source: string, problems: ManifestProblem[]): ReturnType<typeof userError> {
  const lines = problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')
  return userError(
    ErrorCode.PLUGIN_MANIFEST_INVALID,
    `${source} does not make a valid manifest (${problems.length} problem(s)); nothing was written:\n${lines}`,
    { details: problems },
  )
}

/** `file:line:column`, relative to the plugin folder, of an esbuild message that has a location. */
export function esbuildLocation(message: Message, dir: string): string | undefined {
  const at = message.location
  if (!at) return undefined
  const file = at.file.startsWith('/') ? relative(dir, at.file) : at.file
  return `${file}:${at.line}:${at.column + 1}`
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name` */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/')

/** One esbuild message as a line a person can act on: where, what, and esbuild's notes. */
export function formatEsbuildMessage(message: Message, dir: string): string {
  const where = esbuildLocation(message, dir)
  const notes = message.notes
    .map((n) => n.text)
    // marking a module external is no way out: the sandbox cannot load anything at run time
    .filter((text) => !/as external/.test(text))
  const bare = /^Could not resolve "([^./][^"]*)"$/.exec(message.text)?.[1]
  if (bare) notes.push(`install it in the plugin folder (npm install ${packageOf(bare)}) so it is bundled`)
  return [`${where ? `${where}: ` : ''}${message.text}`, ...notes.map((n) => `    ${n}`)].join('\n')
}

/** Reads the errors out of a failed esbuild build (its exception carries them). */
export function esbuildErrors(error: unknown): Message[] | undefined {
  const errors = (error as { errors?: unknown }).errors
  return Array.isArray(errors) && errors.length > 0 ? (errors as Message[]) : undefined
}
