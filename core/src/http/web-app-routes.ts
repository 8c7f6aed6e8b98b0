import { readFile, stat } from 'node:fs/promises'
import { join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import Boom from '@hapi/boom'
import type { ResponseToolkit, ServerRoute } from '@hapi/hapi'

/** The built browser apps the core serves: the console (Vue) at /console, the flow builder (React) at /builder. */
export const WEB_APPS = {
  console: fileURLToPath(new URL('../../../console/dist/', import.meta.url)),
  builder: fileURLToPath(new URL('../../../flow-builder/dist/', import.meta.url)),
} as const

/**
 * Serves a single-page app built by Vite under `prefix`: its hashed assets with a long cache
 * lifetime, anything else gets index.html (the app's router decides), which is never cached so
 * an upgrade shows at the next load. The app signs in through the API itself, so these routes are
 * public; they hold no data.
 */
export function webAppRoutes(prefix: string, dir: string, name: string): ServerRoute[] {
  const root = normalize(dir).replace(/[\\/]+$/, '')
  let index: Promise<string> | null = null
  const indexHtml = async () => {
    index ??= readFile(join(root, 'index.html'), 'utf8')
    return index.catch(() => {
      index = null
      throw Boom.serverUnavailable(`The ${name} is not built: run npm run build`)
    })
  }
  const page = async (h: ResponseToolkit) =>
    h
      .response(await indexHtml())
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-frame-options', 'DENY')
  return [
    // the server strips trailing slashes, so /console/ arrives here too
    { method: 'GET', path: prefix, options: { auth: false }, handler: (_request, h) => page(h) },
    {
      method: 'GET',
      path: `${prefix}/{path*}`,
      options: { auth: false },
      handler: async (request, h) => {
        const wanted = normalize(join(root, String(request.params.path ?? '')))
        if (wanted.startsWith(root + sep) || wanted === root) {
          const isFile = await stat(wanted).then(
            (s) => s.isFile(),
            () => false,
          )
          if (isFile && !wanted.endsWith(`${sep}index.html`)) {
            const immutable = wanted.startsWith(join(root, 'assets') + sep)
            return h
              .file(wanted, { confine: root })
              .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
          }
        }
        // a path of the app's own router (/console/inbox/…): the app decides what to show
        if (/\.[a-z0-9]+$/i.test(String(request.params.path ?? '')) && !String(request.params.path).endsWith('.html'))
          throw Boom.notFound(`No file ${request.path}`)
        return page(h)
      },
    },
  ]
}
