import type { RealtimePathTemplate } from './realtime-paths.js'

/**
 * How many subscriptions this instance's sockets hold per path template, so work done only for
 * watchers (counting queue stats, agent load) is skipped when nobody here watches.
 */
export function createSubscriptionWatchers() {
  const counts = new Map<RealtimePathTemplate, number>()
  return {
    add(template: RealtimePathTemplate): void {
      counts.set(template, (counts.get(template) ?? 0) + 1)
    },
    remove(template: RealtimePathTemplate): void {
      counts.set(template, Math.max(0, (counts.get(template) ?? 0) - 1))
    },
    any(template: RealtimePathTemplate): boolean {
      return (counts.get(template) ?? 0) > 0
    },
  }
}
export type SubscriptionWatchers = ReturnType<typeof createSubscriptionWatchers>
