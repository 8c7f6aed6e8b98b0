import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { ErrorCode, userError } from '@switchboard/core'

/** Reads a file named on the command line; a missing or unreadable file is a user error. */
export function readInputFile(file: string): { content: string; name: string } {
  try {
    return { content: readFileSync(file, 'utf8'), name: basename(file) }
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message
    throw userError(ErrorCode.NOT_FOUND, `Cannot read ${file}: ${reason}`, { status: 404 })
  }
}
