import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { consoleRoute, FEED_SIZE, isNotification, toFeedItem, useNotificationFeed } from './notification-feed'

const event = (n: number, extra: Record<string, unknown> = {}) => ({
  type: 'notification' as const,
  kind: 'sla.warning',
  title: { en: `Ticket #${n}: SLA at risk`, 'zh-CN': `工单 #${n} 即将超时` },
  link: `/tickets/${n}`,
  at: `2026-11-20T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
  ...extra,
})

describe('the notification feed', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('recognises a notification event and nothing else', () => {
    expect(isNotification(event(1))).toBe(true)
    expect(isNotification({ type: 'conversation.assigned', conversationId: 'c1' })).toBe(false)
    expect(isNotification({ type: 'notification', kind: 'x', title: { en: 'only English' } })).toBe(false)
    expect(isNotification(null)).toBe(false)
  })

  it('opens links inside the console only', () => {
    expect(consoleRoute('/tickets/12')).toBe('/tickets/12')
    expect(consoleRoute('/console/callbacks/c1')).toBe('/callbacks/c1')
    expect(consoleRoute('/console')).toBe('/')
    expect(consoleRoute('https://evil.example/x')).toBeNull()
    expect(consoleRoute('//evil.example/x')).toBeNull()
    expect(consoleRoute(undefined)).toBeNull()
  })

  it('keeps the newest first, counts the unread, drops a repeat and stops at the feed size', () => {
    const feed = useNotificationFeed()
    const now = new Date('2026-11-20T10:00:00Z')
    expect(feed.add(toFeedItem(event(1), now))).toBe(true)
    expect(feed.add(toFeedItem(event(2), now))).toBe(true)
    // the same notification again (a reconnect replays nothing, but two instances might relay it): once
    expect(feed.add(toFeedItem(event(2), now))).toBe(false)
    expect(feed.items.map((i) => i.link)).toEqual(['/tickets/2', '/tickets/1'])
    expect(feed.unread).toBe(2)
    feed.markRead(feed.items[0]!.key)
    expect(feed.unread).toBe(1)
    feed.markAllRead()
    expect(feed.unread).toBe(0)
    for (let n = 3; n < 3 + FEED_SIZE + 5; n++) feed.add(toFeedItem(event(n, { at: `2026-11-20T11:${n}:00Z` }), now))
    expect(feed.items).toHaveLength(FEED_SIZE)
  })

  it('takes the time it happened from the event, or when it arrived', () => {
    const now = new Date('2026-11-20T10:00:00Z')
    expect(toFeedItem(event(5), now).at).toBe('2026-11-20T10:00:05.000Z')
    expect(toFeedItem({ ...event(5), at: undefined }, now).at).toBe('2026-11-20T10:00:00.000Z')
  })
})
