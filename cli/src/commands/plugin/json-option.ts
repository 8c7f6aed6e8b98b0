import { ErrorCode, userError } from '@switchboard/core'
import { readInputFile } from '../../support/read-input-file.js'

/**
 * The value of an option that takes JSON inline or from a file: `--config '{"baseUrl":"…"}'`
 * or `--config @config.json`. Bad JSON is a user error naming the option.
 */
export function parseJsonOption(option: string, value: string): unknown {
  const { content, source } = value.startsWith('@')
    ? { content: readInputFile(value.slice(1)).content, source: value.slice(1) }
    : { content: value, source: option }
  try {
    return JSON.parse(content) as unknown
  } catch (error) {
    throw userError(ErrorCode.VALIDATION, `${source} is not JSON: ${(error as Error).message}`)
  }
}
