import type { IncomingMessage, Server as HttpServer } from 'node:http'
import type { Duplex } from 'node:stream'

type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void

/**
 * nes's WebSocket server takes every upgrade request on the HTTP listener, but the listener is
 * shared: the channel plugins' sockets (`/hooks/<plugin>/ws/<name>`) upgrade on it too, and two
 * WebSocket servers answering one request break both. Runs `attach` (the nes registration) and
 * re-attaches the upgrade handler it added so that it only sees requests for `path`.
 */
export async function confineUpgrades(listener: HttpServer, path: string, attach: () => Promise<void>): Promise<void> {
  const before = new Set(listener.listeners('upgrade'))
  await attach()
  const added = listener.listeners('upgrade').filter((handler) => !before.has(handler)) as UpgradeHandler[]
  for (const handler of added) {
    listener.off('upgrade', handler)
    listener.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if ((request.url ?? '').split('?')[0] === path) handler.call(listener, request, socket, head)
    })
  }
}
