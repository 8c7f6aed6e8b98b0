import type { z } from 'zod'
import { ErrorCode, userError } from '../errors/index.js'
import type { FieldProblem } from './parse-input.js'

export interface JsonLine<T> {
  /** 1-based line number in the file */
  line: number
  value: T
}

/** How many problems the error message spells out; `details` carries all of them. */
const problemsInMessage = 5

/**
 * Parses a JSON-lines file (one JSON object per line; blank lines are skipped) and checks every
 * line against the schema. Collects the problems of all lines, then throws one user error that
 * names each wrong line (`line 3: intent: …`), so an import can be refused whole before anything
 * is written. `check` adds problems that span lines, such as an id given twice.
 */
export function parseJsonLines<S extends z.ZodType>(
  schema: S,
  content: string,
  options: { source?: string; check?: (lines: Array<JsonLine<z.output<S>>>) => FieldProblem[] } = {},
): Array<JsonLine<z.output<S>>> {
  const source = options.source ?? 'file'
  const problems: FieldProblem[] = []
  const lines: Array<JsonLine<z.output<S>>> = []
  // a byte-order mark (Windows editors write one) is no part of the first line's JSON
  content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((text, index) => {
      const line = index + 1
      if (text.trim() === '') return
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch (error) {
        problems.push({ in: `line ${line}`, path: '(line)', message: `not valid JSON (${(error as Error).message})` })
        return
      }
      const parsed = schema.safeParse(json)
      if (parsed.success) lines.push({ line, value: parsed.data })
      else
        for (const issue of parsed.error.issues)
          problems.push({
            in: `line ${line}`,
            path:
              issue.path.join('.') ||
              (issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys?.join(', ') : '') ||
              '(line)',
            message: issue.message,
          })
    })
  if (problems.length === 0 && lines.length === 0)
    problems.push({ in: source, path: '(file)', message: 'has no lines to import' })
  if (problems.length === 0 && options.check) problems.push(...options.check(lines))
  if (problems.length > 0) {
    const shown = problems.slice(0, problemsInMessage).map((p) => `${p.in}: ${p.path}: ${p.message}`)
    const more = problems.length > problemsInMessage ? ` (and ${problems.length - problemsInMessage} more)` : ''
    throw userError(ErrorCode.VALIDATION, `Invalid ${source}, nothing imported: ${shown.join('; ')}${more}`, {
      status: 400,
      details: problems,
    })
  }
  return lines
}
