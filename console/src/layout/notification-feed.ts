import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

/**
 * Notifications for the signed-in person (core/src/notifications, relayed on the realtime path
 * /notifications): an SLA warning on their ticket, an escalation to their team, a callback now due,
 * a recurring issue for supervisors. The feed keeps the latest ones of this sign-in; the newest
 * also pops up on its own for a few seconds.
 */
export interface NotificationEvent {
  type: 'notification'
  kind: string
  title: { en: string; 'zh-CN': string }
  body?: { en: string; 'zh-CN': string }
  link?: string
  at?: string
  [key: string]: unknown
}

export interface FeedItem {
  key: string
  kind: string
  title: NotificationEvent['title']
  body: NotificationEvent['body'] | null
  /** a console route (the /console prefix taken off), or null */
  link: string | null
  at: string
  read: boolean
}

export const FEED_SIZE = 30

export function isNotification(event: unknown): event is NotificationEvent {
  const e = event as Partial<NotificationEvent> | null
  return (
    !!e &&
    e.type === 'notification' &&
    typeof e.kind === 'string' &&
    !!e.title &&
    typeof e.title.en === 'string' &&
    typeof e.title['zh-CN'] === 'string'
  )
}

/** The console route of a notification's link: '/tickets/12' as it is, '/console/tickets/12' without its prefix. */
export function consoleRoute(link: unknown): string | null {
  if (typeof link !== 'string' || !link.startsWith('/') || link.startsWith('//')) return null
  return link.replace(/^\/console(?=\/|$)/, '') || '/'
}

export function toFeedItem(event: NotificationEvent, receivedAt: Date): FeedItem {
  const at = typeof event.at === 'string' ? event.at : receivedAt.toISOString()
  const link = consoleRoute(event.link)
  return {
    key: `${event.kind}|${at}|${link ?? ''}|${event.title.en}`,
    kind: event.kind,
    title: event.title,
    body: event.body ?? null,
    link,
    at,
    read: false,
  }
}

/** Which kinds also ring and show a desktop notification: the ones someone has to act on now. */
export function isUrgent(kind: string): boolean {
  return ['sla.breached', 'sla.warning', 'ticket.escalated', 'callback.due', 'callback.assigned'].includes(kind)
}

export const useNotificationFeed = defineStore('notification-feed', () => {
  const items = ref<FeedItem[]>([])
  const unread = computed(() => items.value.filter((i) => !i.read).length)

  /** Adds one; false when it is already there (the same notification twice after a reconnect). */
  function add(item: FeedItem): boolean {
    if (items.value.some((i) => i.key === item.key)) return false
    items.value = [item, ...items.value].slice(0, FEED_SIZE)
    return true
  }
  function markAllRead() {
    items.value = items.value.map((i) => (i.read ? i : { ...i, read: true }))
  }
  function markRead(key: string) {
    items.value = items.value.map((i) => (i.key === key ? { ...i, read: true } : i))
  }
  function clear() {
    items.value = []
  }

  return { items, unread, add, markAllRead, markRead, clear }
})
