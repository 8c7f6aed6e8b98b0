import type { Plugin } from '@hapi/hapi'
import type { ContactsService } from '../../contacts/index.js'
import type { ConversationsService } from '../../conversations/index.js'
import type { EventBus } from '../../infra/index.js'
import type { Logger } from '../../logger.js'
import type { Db } from '../../storage/index.js'
import type { PluginsService } from '../plugins-service.js'
import { createSocketHub } from './socket-hub.js'
import { serveSocketUpgrades } from './socket-upgrade.js'
import { uploadRoutes } from './upload-routes.js'
import { widgetRoutes } from './widget-routes.js'

export interface PluginSocketsOptions {
  db: Db
  bus: EventBus
  contacts: ContactsService
  conversations: ConversationsService
  plugins: PluginsService
  logger: Logger
  /** where uploaded attachments are kept */
  dataDir: string
}

/**
 * The WebSocket transport granted to channel plugins, as a hapi plugin: the hub starts with the
 * server (it listens on the bus) and stops with it; upgrades on /hooks/<plugin>/ws/<name>; the
 * attachment upload route; the widget script and its demo page.
 */
export const pluginSockets: Plugin<PluginSocketsOptions> = {
  name: 'switchboard-plugin-sockets',
  register(server, options) {
    const hub = createSocketHub(options)
    let stopUpgrades: (() => void) | null = null
    server.ext('onPreStart', async () => {
      await hub.start()
      stopUpgrades = serveSocketUpgrades({
        listener: server.listener,
        plugins: options.plugins,
        hub,
        logger: options.logger,
      })
    })
    server.ext('onPreStop', async () => {
      stopUpgrades?.()
      await hub.stop()
    })
    server.route([...uploadRoutes(options.plugins, options.dataDir), ...widgetRoutes()])
  },
}
