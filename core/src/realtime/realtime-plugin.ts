import type { Plugin, Server } from '@hapi/hapi'
import Nes from '@hapi/nes'
import type { AuthService } from '../auth/index.js'
import type { EventBus } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import { createPlacementMemory } from './conversation-placement.js'
import { relayAlerts } from './alert-subscription.js'
import { relayNotifications } from './notification-subscription.js'
import { relayTickets } from './ticket-subscription.js'
import { createEventBridge } from './event-bridge.js'
import { declareFlowEditors, type FlowEditorsPresence } from './flow-editors.js'
import { createQueueMembership } from './queue-membership.js'
import { confineUpgrades } from './confine-upgrades.js'
import { SOCKET_PATH, TICKET_ENDPOINT } from './realtime-paths.js'
import { declareSubscriptions } from './realtime-subscriptions.js'
import { createSocketSessions } from './socket-sessions.js'
import { carryTokenIntoTickets, TICKET_ROUTE_ID, ticketPassword } from './socket-tickets.js'
import { createSubscriptionAccess } from './subscription-access.js'
import { createSubscriptionWatchers } from './subscription-watchers.js'
import { createSupervisorScope } from './supervisor-scope.js'

export interface RealtimeDeps {
  auth: AuthService
  db: Db
  bus: EventBus
  logger: Logger
  /** the secret the session cookie is sealed with; socket tickets are sealed with a key derived from it */
  cookieSecret: string
  /** how often every socket's sign-in is checked again (default 60 s); revocations act at once */
  verifyEveryMs?: number
  /** how long queue stats and agent load fold a burst of changes into one count (default 250 ms) */
  coalesceMs?: number
  /** who has a flow open in the builder: enables `/flows/{id}/editors` */
  flowEditors?: FlowEditorsPresence
}

/**
 * The realtime API for the console: nes WebSockets on the HTTP server, a socket ticket from
 * `GET /nes/auth` for the same credentials as the REST API, subscriptions scoped by role, and the
 * bridge from the event bus to the sockets. The bridge and the sign-in checks run while the
 * server is started. See docs/api.md#realtime.
 */
export const realtimePlugin: Plugin<RealtimeDeps> = {
  name: 'switchboard-realtime',
  dependencies: ['switchboard-auth'],
  async register(server, deps) {
    const { auth, db, bus, logger } = deps
    const sessions = createSocketSessions({ auth, bus, logger, verifyEveryMs: deps.verifyEveryMs ?? 60_000 })
    const nes = () =>
      server.register({
        plugin: Nes.plugin,
        options: {
          auth: {
            type: 'token',
            endpoint: TICKET_ENDPOINT,
            id: TICKET_ROUTE_ID,
            password: ticketPassword(deps.cookieSecret),
            // a socket that has not said hello with a ticket within 5 s is closed
            timeout: 5_000,
          },
          onConnection: (socket) => sessions.admit(socket),
          onDisconnection: (socket) => sessions.release(socket),
        },
      })
    await confineUpgrades(server.listener, SOCKET_PATH, nes)
    carryTokenIntoTickets(server)

    const placement = createPlacementMemory()
    const watchers = createSubscriptionWatchers()
    const membership = createQueueMembership(db)
    const scope = createSupervisorScope(db)
    const access = createSubscriptionAccess(db, membership, scope)
    declareSubscriptions(server, { db, logger, sessions, access, placement, watchers })
    if (deps.flowEditors) declareFlowEditors(server, { db, bus, logger, sessions, presence: deps.flowEditors })
    relayAlerts(server, { bus, db, logger, sessions })
    relayNotifications(server, { bus, db, logger, sessions })
    relayTickets(server, { bus, db, logger, sessions })
    const bridge = createEventBridge({
      server,
      bus,
      db,
      logger,
      placement,
      watchers,
      coalesceMs: deps.coalesceMs ?? 250,
    })

    let unfollow: Array<() => Promise<void>> = []
    server.ext('onPreStart', async () => {
      unfollow = await Promise.all([membership.follow(bus), scope.follow(bus)])
      await bridge.start()
      await sessions.start()
    })
    server.ext('onPostStop', async () => {
      await bridge.stop()
      await sessions.stop()
      for (const stop of unfollow.splice(0)) await stop()
    })
  },
}

/**
 * Adds the realtime API to the app's server; call it once, after the auth plugin (hapi refuses a
 * second registration, so no event can be relayed twice).
 */
export async function registerRealtime(server: Server, deps: RealtimeDeps): Promise<void> {
  await server.register({ plugin: realtimePlugin, options: deps })
}
