import { parseJsonLines } from '../validation/parse-json-lines.js'
import { kbEntryLine, type ParsedKbEntryLine } from './kb-dto.js'

/**
 * Reads a `kb import` file: JSON lines `{"id", "question", "answer"}` with optional `tags`,
 * `variants` and `language`. Every line is checked before anything is written; a bad line (or an
 * id given twice) fails the whole file with its line number.
 */
export function parseKbEntriesFile(content: string, source = 'file'): ParsedKbEntryLine[] {
  return parseJsonLines(kbEntryLine, content, {
    source,
    check(lines) {
      const firstLine = new Map<string, number>()
      return lines.flatMap(({ line, value }) => {
        const first = firstLine.get(value.id)
        if (first === undefined) {
          firstLine.set(value.id, line)
          return []
        }
        return [{ in: `line ${line}`, path: 'id', message: `${value.id} is already on line ${first}` }]
      })
    },
  }).map((l) => l.value)
}
