import type { Server } from '@hapi/hapi'
import type { AuthCredentials } from '../auth/index.js'
import type { EventBus } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import { queueInScope, readTeamScope } from '../teams/index.js'
import { subscriptionForbidden } from './realtime-errors.js'
import type { SocketSessions } from './socket-sessions.js'

/** Threshold alerts (supervisors): `alert.raised` and `alert.cleared` from the stats module. */
export const ALERTS_PATH = '/alerts'

/** An alert as the bus carries it: the fields the filter needs; the rest is relayed as it is. */
interface AlertEvent {
  id?: unknown
  teamId?: unknown
}

/**
 * The `/alerts` path: supervisors subscribe (a fresh sign-in check, then the role), and every
 * `alert.*` bus event is published to it as `{ type, ...alert }`. An alert about a queue of a
 * team goes to the supervisors whose teams cover it (admins and supervisors in no team see all);
 * alerts are rare, so the scope is read per alert. Registers its own start and stop with the server.
 */
export function relayAlerts(
  server: Server,
  deps: { bus: EventBus; db: Db; logger: Logger; sessions: SocketSessions },
): void {
  const { bus, db, sessions, logger } = deps
  let unsubscribe: (() => Promise<void>) | null = null

  server.subscription(ALERTS_PATH, {
    auth: { mode: 'required' },
    onSubscribe: async (socket) => {
      const credentials = await sessions.verify(socket)
      if (!credentials.scope.includes('supervisor'))
        throw subscriptionForbidden(
          `Subscribing to ${ALERTS_PATH} needs the role supervisor; you are ${credentials.user.role}`,
        )
    },
    filter: async (_path, message, { credentials }) => {
      const teamId = (message as AlertEvent).teamId
      if (typeof teamId !== 'string') return true
      const user = (credentials as unknown as AuthCredentials).user
      return queueInScope(await readTeamScope(db, user), teamId)
    },
  })

  server.ext('onPreStart', async () => {
    unsubscribe = await bus.subscribe('alert.*', async (event, topic) => {
      if (!event || typeof event !== 'object') return
      try {
        await server.publish(ALERTS_PATH, { type: topic, ...(event as object) })
      } catch (error) {
        logger.warn({ err: error, topic }, 'could not relay an alert to the sockets')
      }
    })
  })
  server.ext('onPostStop', async () => {
    await unsubscribe?.()
    unsubscribe = null
  })
}
