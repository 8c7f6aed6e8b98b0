import type { Server } from '@hapi/hapi'
import type { AuthCredentials } from '../auth/index.js'
import type { EventBus } from '../infra/index.js'
import type { Logger } from '../logger.js'
import { NOTIFICATION_TOPIC, type Notification } from '../notifications/index.js'
import type { Db } from '../storage/index.js'
import { queueInScope } from '../teams/index.js'
import type { SocketSessions } from './socket-sessions.js'
import { createSupervisorScope } from './supervisor-scope.js'

/** Notifications for a person: an SLA warning on their ticket, a callback now due for them… */
export const NOTIFICATIONS_PATH = '/notifications'

export function addressedTo(
  notification: Notification,
  user: AuthCredentials['user'],
  inScope: () => Promise<boolean>,
) {
  if (notification.userIds?.includes(user.id)) return Promise.resolve(true)
  if (!notification.supervisors || (user.role !== 'supervisor' && user.role !== 'admin')) return Promise.resolve(false)
  return notification.teamId ? inScope() : Promise.resolve(true)
}

/**
 * The `/notifications` path: any signed-in user subscribes and receives the notifications
 * addressed to them. Registers its own start and stop with the server.
 */
export function relayNotifications(
  server: Server,
  deps: { bus: EventBus; db: Db; logger: Logger; sessions: SocketSessions },
): void {
  const { bus, db, sessions, logger } = deps
  let unsubscribe: (() => Promise<void>) | null = null
  let unfollow: (() => Promise<void>) | null = null
  // asked for every notification and every socket: the supervisors' scopes are kept a few seconds
  // (and dropped at once when a team or queue changes), not read from the database each time
  const scopes = createSupervisorScope(db)

  server.subscription(NOTIFICATIONS_PATH, {
    auth: { mode: 'required' },
    onSubscribe: async (socket) => {
      await sessions.verify(socket)
    },
    filter: async (_path, message, { credentials }) => {
      const notification = message as Notification
      const user = (credentials as unknown as AuthCredentials).user
      return addressedTo(notification, user, async () =>
        queueInScope(await scopes.scopeOf(user), notification.teamId as string),
      )
    },
  })

  server.ext('onPreStart', async () => {
    unfollow = await scopes.follow(bus)
    unsubscribe = await bus.subscribe(NOTIFICATION_TOPIC, async (event) => {
      if (!event || typeof event !== 'object') return
      try {
        await server.publish(NOTIFICATIONS_PATH, { type: 'notification', ...(event as object) })
      } catch (error) {
        logger.warn({ err: error }, 'could not relay a notification to the sockets')
      }
    })
  })
  server.ext('onPostStop', async () => {
    await unsubscribe?.()
    unsubscribe = null
    await unfollow?.()
    unfollow = null
  })
}
