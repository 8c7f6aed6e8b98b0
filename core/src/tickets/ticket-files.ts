import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve, sep } from 'node:path'
import { ErrorCode, userError } from '../errors/index.js'

/** What may be attached to a ticket, by content type, with the extension it is stored under. */
export const TICKET_FILE_TYPES: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/zip': 'zip',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
}
export const MAX_TICKET_FILE_BYTES = 10 * 1024 * 1024

/**
 * Ticket attachments on disk: `<data>/tickets/<ticket>/<random>.<ext>`, never served by a public
 * route (the download checks who asks). The row keeps the path (`storageKey`), so a file stays
 * where it is when its ticket is merged into another.
 */
export function createTicketFiles(dataDir: string) {
  const root = resolve(dataDir)
  const pathOf = (storageKey: string) => {
    const path = resolve(root, storageKey)
    if (!path.startsWith(root + sep)) throw new Error(`storage key outside the data directory: ${storageKey}`)
    return path
  }
  return {
    async store(ticketId: number, mimeType: string, data: Buffer): Promise<{ storageKey: string; size: number }> {
      const ext = TICKET_FILE_TYPES[mimeType]
      if (!ext)
        throw userError(
          ErrorCode.VALIDATION,
          `file: only PNG, JPEG, GIF, WebP, PDF, text, CSV, ZIP, Word and Excel files may be attached`,
          { status: 415, details: [{ path: 'file', message: `type ${mimeType || 'unknown'} is not allowed` }] },
        )
      if (data.length === 0)
        throw userError(ErrorCode.VALIDATION, 'file: the file is empty', {
          details: [{ path: 'file', message: 'the file is empty' }],
        })
      if (data.length > MAX_TICKET_FILE_BYTES)
        throw userError(ErrorCode.VALIDATION, `file: at most ${MAX_TICKET_FILE_BYTES / 1024 / 1024} MB`, {
          status: 413,
          details: [{ path: 'file', message: 'too large' }],
        })
      const storageKey = `tickets/${ticketId}/${randomBytes(16).toString('base64url')}.${ext}`
      const path = pathOf(storageKey)
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, data)
      return { storageKey, size: data.length }
    },
    read: (storageKey: string): Promise<Buffer> => readFile(pathOf(storageKey)),
  }
}
export type TicketFiles = ReturnType<typeof createTicketFiles>
