import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import Boom from '@hapi/boom'
import type { ServerRoute } from '@hapi/hapi'
import { demoChatPage } from './demo-chat-page.js'

/** core/widget/dist/widget.js: built by `npm run build` (scripts/build-widget.mjs) from core/widget/src */
const WIDGET_FILE = fileURLToPath(new URL('../../../widget/dist/widget.js', import.meta.url))

/**
 * The web chat widget (`<script src="/widget.js" data-channel="channel-webchat">`), public and
 * cacheable because any site may embed it, and the demo shop page that embeds it.
 */
export function widgetRoutes(): ServerRoute[] {
  let widget: Promise<string> | null = null
  return [
    {
      method: 'GET',
      path: '/widget.js',
      options: {
        auth: false,
        handler: async (_request, h) => {
          widget ??= readFile(WIDGET_FILE, 'utf8')
          const code = await widget.catch(() => {
            widget = null
            throw Boom.serverUnavailable('the widget is not built: run npm run build')
          })
          return h
            .response(code)
            .type('text/javascript; charset=utf-8')
            .header('cache-control', 'public, max-age=300')
            .header('cross-origin-resource-policy', 'cross-origin')
        },
      },
    },
    {
      method: 'GET',
      path: '/demo/chat',
      options: {
        auth: false,
        handler: (_request, h) => h.response(demoChatPage()).type('text/html; charset=utf-8'),
      },
    },
  ]
}
