import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import Boom from '@hapi/boom'
import type { ServerRoute } from '@hapi/hapi'
import type { PluginsService } from '../plugins-service.js'

/** What a visitor may attach, by content type, with the file extension it is stored under. */
const ALLOWED: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
}
const TYPE_OF = Object.fromEntries(Object.entries(ALLOWED).map(([type, ext]) => [ext, type]))
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024
const VISITOR_ID = /^[A-Za-z0-9_-]{16,64}$/
const FILE = /^[A-Za-z0-9_-]{22}\.(png|jpg|gif|webp|pdf|txt)$/

/**
 * Attachments for plugin sockets: the widget uploads an image or file over HTTP (5 MB, the types
 * above), gets a URL back and sends it in a message frame. Files are kept under the data
 * directory with unguessable names and served back inert (no script, no sniffing).
 */
export function uploadRoutes(plugins: PluginsService, dataDir: string): ServerRoute[] {
  const folder = (plugin: string) => resolve(dataDir, 'uploads', plugin)
  const declared = (plugin: string, name: string) =>
    plugins.loadedManifest(plugin)?.permissions.sockets.some((s) => s.name === name) ?? false
  return [
    {
      method: 'POST',
      path: '/hooks/{plugin}/upload/{name}',
      options: {
        auth: false,
        payload: { parse: false, output: 'data', maxBytes: MAX_UPLOAD_BYTES, allow: Object.keys(ALLOWED) },
        handler: async (request, h) => {
          const { plugin, name } = request.params as { plugin: string; name: string }
          if (!declared(plugin, name)) throw Boom.notFound()
          if (!VISITOR_ID.test(String(request.query.visitor ?? ''))) throw Boom.badRequest('a visitor id is required')
          const type = String(request.headers['content-type'] ?? '')
            .split(';')[0]!
            .trim()
            .toLowerCase()
          const ext = ALLOWED[type]
          if (!ext) throw Boom.unsupportedMediaType(`only ${Object.keys(ALLOWED).join(', ')}`)
          const data = request.payload as Buffer
          if (!Buffer.isBuffer(data) || data.length === 0) throw Boom.badRequest('the file is empty')
          const file = `${randomBytes(16).toString('base64url')}.${ext}`
          await mkdir(folder(plugin), { recursive: true })
          await writeFile(join(folder(plugin), file), data)
          return h
            .response({ url: `/hooks/${plugin}/upload/${name}/${file}`, mimeType: type, size: data.length })
            .code(201)
        },
      },
    },
    {
      method: 'GET',
      path: '/hooks/{plugin}/upload/{name}/{file}',
      options: {
        auth: false,
        handler: async (request, h) => {
          const { plugin, name, file } = request.params as { plugin: string; name: string; file: string }
          if (!declared(plugin, name) || !FILE.test(file)) throw Boom.notFound()
          const data = await readFile(join(folder(plugin), file)).catch(() => null)
          if (!data) throw Boom.notFound()
          const type = TYPE_OF[file.split('.').pop()!]!
          const response = h
            .response(data)
            .type(type)
            .header('content-security-policy', "sandbox; default-src 'none'")
            .header('cache-control', 'private, max-age=86400')
          if (!type.startsWith('image/')) response.header('content-disposition', `attachment; filename="${file}"`)
          return response
        },
      },
    },
  ]
}
