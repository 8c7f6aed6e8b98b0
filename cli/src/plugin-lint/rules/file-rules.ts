import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { error, warning, type LintFinding, type LintRule } from '../lint-finding.js'
import { hasChinese } from '../placeholder.js'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function readIfFile(path: string): Buffer | undefined {
  return existsSync(path) && statSync(path).isFile() ? readFileSync(path) : undefined
}

/** The icon exists, is an SVG or a PNG by its content, and is not the scaffold's placeholder. */
export const iconRules: LintRule = ({ layout, manifest }) => {
  const content = readIfFile(join(layout.dir, manifest.icon))
  if (!content) return [error('icon/missing', manifest.icon, 'the icon the manifest names does not exist')]
  const isSvg = extname(manifest.icon) === '.svg' && /<svg[\s>]/.test(content.toString('utf8'))
  const isPng = extname(manifest.icon) === '.png' && content.subarray(0, 8).equals(PNG_SIGNATURE)
  if (!isSvg && !isPng)
    return [error('icon/format', manifest.icon, 'the icon is neither an SVG (with an <svg> element) nor a PNG image')]
  if (content.includes('switchboard-scaffold-icon'))
    return [warning('icon/placeholder', manifest.icon, 'still the placeholder icon `plugin create` drew')]
  return []
}

/** The README exists, is the author's own text, and has a Chinese section. */
export const readmeRules: LintRule = ({ layout, manifest }) => {
  const content = readIfFile(join(layout.dir, manifest.readme))?.toString('utf8')
  if (content === undefined)
    return [error('readme/missing', manifest.readme, 'the README the manifest names does not exist')]
  const findings: LintFinding[] = []
  if (content.includes('switchboard-scaffold-readme'))
    findings.push(
      error(
        'readme/scaffold-text',
        manifest.readme,
        'still the text `plugin create` wrote: say what the plugin does, how to set it up and what it adds (then delete the marker line)',
      ),
    )
  else if (/\bTODO\b/.test(content)) findings.push(warning('readme/todo', manifest.readme, 'the README has TODOs left'))
  if (!hasChinese(content))
    findings.push(warning('readme/chinese-missing', manifest.readme, 'the README has no Chinese section (中文)'))
  if (content.trim().length < 200)
    findings.push(
      warning('readme/short', manifest.readme, 'the README is very short; admins read it before installing'),
    )
  return findings
}

function hasTestFile(dir: string): boolean {
  if (!existsSync(dir)) return false
  return readdirSync(dir, { withFileTypes: true }).some((entry) =>
    entry.isDirectory()
      ? entry.name !== 'node_modules' && hasTestFile(join(dir, entry.name))
      : /\.test\.[cm]?[jt]s$/.test(entry.name),
  )
}

/** The plugin has tests of its own (`test/*.test.ts`), run by `plugin test`. */
export const testRules: LintRule = ({ layout }) =>
  hasTestFile(join(layout.dir, 'test')) || hasTestFile(join(layout.dir, 'src'))
    ? []
    : [warning('tests/missing', 'test/', 'the plugin has no tests; `plugin test` runs test/*.test.ts with vitest')]
