import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ErrorCode, userError } from '@switchboard/core'
import { validatePluginName } from './plugin-name.js'
import type { PluginTemplateKind } from './plugin-template-kinds.js'
import { templateValues } from './template-values.js'

/** cli/templates/plugin: `common/` for every kind, then one folder per kind. */
const templatesDir = fileURLToPath(new URL('../../templates/plugin/', import.meta.url))

/** npm leaves `.gitignore` out of packages, so the template is stored under another name. */
const renamed: Record<string, string> = { _gitignore: '.gitignore', 'test/plugin.test.ts': 'test/{{NAME}}.test.ts' }

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    return statSync(path).isDirectory() ? listFiles(path, `${prefix}${entry}/`) : [`${prefix}${entry}`]
  })
}

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{\{([A-Z_]+)\}\}/g, (token, key: string) => values[key] ?? token)

/**
 * Writes a new plugin folder `<parent>/<name>` that builds and whose tests pass as it is:
 * package.json, plugin.definition.ts, src/index.ts, a test against a local server, README
 * (English and Chinese), icon.svg, tsconfig.json and .gitignore. Refuses an existing folder.
 *
 * @example
 * ```ts
 * const { dir, files } = createPlugin({ name: 'erp-acme', kind: 'integration', parent: '.' })
 * ```
 */
export function createPlugin(options: { name: string; kind: PluginTemplateKind; parent: string }): {
  dir: string
  files: string[]
} {
  validatePluginName(options.name)
  const dir = resolve(options.parent, options.name)
  if (existsSync(dir))
    throw userError(ErrorCode.CONFLICT, `${dir} already exists; choose another name or --dir (nothing was written)`, {
      status: 409,
    })
  const values = templateValues(options.name, options.kind)
  const sources = [
    ...listFiles(join(templatesDir, 'common')).map((file) => ({ file, from: join(templatesDir, 'common', file) })),
    ...listFiles(join(templatesDir, options.kind)).map((file) => ({
      file,
      from: join(templatesDir, options.kind, file),
    })),
  ]
  const files: string[] = []
  for (const { file, from } of sources) {
    const target = fill(renamed[file] ?? file, values)
    mkdirSync(dirname(join(dir, target)), { recursive: true })
    writeFileSync(join(dir, target), fill(readFileSync(from, 'utf8'), values))
    files.push(relative(dir, join(dir, target)))
  }
  return { dir, files: files.sort() }
}
