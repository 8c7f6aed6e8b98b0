import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { ErrorCode, userError } from '../errors/index.js'

/** What an agent may attach, by content type, with the file extension it is stored under (as the web chat's). */
export const ATTACHMENT_TYPES: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
}
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

export interface StoredAttachment {
  url: string
  mimeType: string
  size: number
}

/**
 * An agent's attachment, stored where the channel plugin's socket uploads live
 * (`<data>/uploads/<plugin>/`, unguessable names) so the same public route serves it to the
 * customer: `/hooks/<plugin>/upload/<socket>/<file>`. A channel without a socket cannot serve
 * files to its customers and gets none.
 */
export function createAgentUploads(dataDir: string, socketOf: (plugin: string) => string | null) {
  return {
    async store(channelPlugin: string | null, mimeType: string, data: Buffer): Promise<StoredAttachment> {
      const ext = ATTACHMENT_TYPES[mimeType]
      if (!ext)
        throw userError(
          ErrorCode.VALIDATION,
          `file: only ${Object.keys(ATTACHMENT_TYPES).join(', ')} may be attached`,
          {
            status: 415,
            details: [{ path: 'file', message: `type ${mimeType || 'unknown'} is not allowed` }],
          },
        )
      if (data.length === 0)
        throw userError(ErrorCode.VALIDATION, 'file: the file is empty', {
          details: [{ path: 'file', message: 'the file is empty' }],
        })
      const socket = channelPlugin ? socketOf(channelPlugin) : null
      if (!channelPlugin || !socket)
        throw userError(ErrorCode.CONFLICT, "This conversation's channel cannot carry files; send a text reply", {
          status: 409,
        })
      const file = `${randomBytes(16).toString('base64url')}.${ext}`
      const folder = resolve(dataDir, 'uploads', channelPlugin)
      await mkdir(folder, { recursive: true })
      await writeFile(join(folder, file), data)
      return { url: `/hooks/${channelPlugin}/upload/${socket}/${file}`, mimeType, size: data.length }
    },
  }
}
export type AgentUploads = ReturnType<typeof createAgentUploads>
