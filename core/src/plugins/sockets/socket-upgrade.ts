import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { canonicalLanguageTag, isLanguageTag } from '@switchboard/plugin-sdk'
import { WebSocketServer } from 'ws'
import type { Logger } from '../../logger.js'
import type { PluginsService } from '../plugins-service.js'
import type { SocketHub } from './socket-hub.js'

const SOCKET_PATH = /^\/hooks\/([a-z][a-z0-9-]{1,49})\/ws\/([a-z][a-z0-9-]{1,49})$/
const VISITOR_ID = /^[A-Za-z0-9_-]{16,64}$/
const USER_ID = /^[A-Za-z0-9_.@:-]{1,64}$/
const MAX_FRAME_BYTES = 16 * 1024

function refuse(socket: Duplex, status: number, reason: string) {
  if (socket.writable)
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}`)
  socket.destroy()
}

/**
 * Serves `GET /hooks/<plugin>/ws/<name>` as a WebSocket for plugins that declared the socket: the
 * visitor id, the widget's language and a signed identity (if the host site gave one) come from
 * the query (a malformed visitor id or language is refused with 400); the plugin's
 * handler accepts or refuses the connection (the Origin, the signature), then the hub keeps it.
 */
export function serveSocketUpgrades(deps: {
  listener: Server
  plugins: PluginsService
  hub: SocketHub
  logger: Logger
}): () => void {
  const { plugins, hub, logger } = deps
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false })

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, plugin: string, name: string) {
    const manifest = plugins.loadedManifest(plugin)
    const channel = manifest && Object.entries(manifest.channels)[0]
    if (!manifest || !channel || !manifest.permissions.sockets.some((s) => s.name === name))
      return refuse(socket, 404, 'Not Found')
    const url = new URL(request.url ?? '/', 'http://localhost')
    const visitorId = url.searchParams.get('visitor') ?? ''
    if (!VISITOR_ID.test(visitorId)) return refuse(socket, 400, 'Bad Request')
    // the language the widget shows (BCP 47), handed to the plugin with the connection and each frame
    const lang = url.searchParams.get('lang')
    if (lang !== null && !isLanguageTag(lang)) return refuse(socket, 400, 'Bad Request')
    const language = lang === null ? undefined : canonicalLanguageTag(lang)
    const uid = url.searchParams.get('uid')
    const identity =
      uid && USER_ID.test(uid)
        ? {
            id: uid,
            name: url.searchParams.get('uname')?.slice(0, 100) || undefined,
            signature: (url.searchParams.get('usig') ?? '').slice(0, 128),
          }
        : undefined
    const answer = await plugins.socket(plugin, name, {
      type: 'connect',
      origin: String(request.headers.origin ?? ''),
      host: String(request.headers.host ?? ''),
      visitorId,
      identity,
      language,
    })
    if (answer.accept !== true) return refuse(socket, 403, 'Forbidden')
    const accepted =
      typeof answer.visitorId === 'string' && USER_ID.test(answer.visitorId) ? answer.visitorId : visitorId
    wss.handleUpgrade(request, socket, head, (ws) => {
      hub.attach(
        {
          ws,
          plugin,
          socket: name,
          channel: channel[0],
          identityKind: channel[1].identityKind,
          visitorId: accepted,
          name: typeof answer.name === 'string' ? answer.name : undefined,
          language,
          budget: 30,
          lastTypingAt: 0,
        },
        (answer.settings ?? {}) as Record<string, unknown>,
      )
    })
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const match = SOCKET_PATH.exec((request.url ?? '').split('?')[0]!)
    if (!match) return
    upgrade(request, socket, head, match[1]!, match[2]!).catch((error: unknown) => {
      logger.warn({ err: error, plugin: match[1] }, 'a plugin socket could not be opened')
      refuse(socket, 503, 'Service Unavailable')
    })
  }
  deps.listener.on('upgrade', onUpgrade)
  return () => {
    deps.listener.off('upgrade', onUpgrade)
    wss.close()
  }
}
