import { parseJsonLines } from '../validation/parse-json-lines.js'
import { intentExampleLine, type IntentExampleLine } from './nlu-dto.js'

/**
 * Reads an `nlu import` file: JSON lines `{"intent": "order_status", "text": "我的快递到哪了"}`.
 * Every line is checked before anything is written; a bad line fails the whole file with its
 * line number.
 */
export function parseIntentExamplesFile(content: string, source = 'file'): IntentExampleLine[] {
  return parseJsonLines(intentExampleLine, content, { source }).map((l) => l.value)
}
