import type { EventBus } from '../infra/index.js'

/**
 * Notifications for people: an SLA warning on their ticket, an escalation to their team, a
 * callback now due for them, a recurring issue for supervisors. Modules publish them with
 * notify(); the realtime API relays each to the sockets it is addressed to (`/notifications`).
 */
export const NOTIFICATION_TOPIC = 'notification'

export interface Notification {
  /** e.g. sla.warning, sla.breached, ticket.escalated, callback.due, recurring-issue.raised */
  kind: string
  /** short text in English and Chinese; the console shows the one of the user's language */
  title: { en: string; 'zh-CN': string }
  body?: { en: string; 'zh-CN': string }
  /** where the console opens it, e.g. /tickets/12 */
  link?: string
  /** these users get it */
  userIds?: string[]
  /** and every supervisor and admin — only those whose teams cover teamId when one is given */
  supervisors?: boolean
  teamId?: string | null
  data?: Record<string, unknown>
  /** ISO time it happened (the module's clock) */
  at: string
}

export async function notify(bus: EventBus, notification: Notification): Promise<void> {
  const userIds = [...new Set((notification.userIds ?? []).filter(Boolean))]
  if (userIds.length === 0 && !notification.supervisors) return
  await bus.publish(NOTIFICATION_TOPIC, { ...notification, userIds })
}
