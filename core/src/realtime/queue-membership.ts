import { LRUCache } from 'lru-cache'
import type { EventBus } from '../infra/index.js'
import type { Db } from '../storage/index.js'

/** How long an agent's queue memberships are reused before they are read again. */
const MEMBERSHIP_TTL_MS = 10_000

/**
 * The queues an agent is a member of (standby included), read from the QueueMember table and kept
 * a few seconds: the filters of `/conversations/{id}` ask for every event. A change of members on
 * any instance (`queue.members`, `queue.deleted` on the bus) clears them at once.
 */
export function createQueueMembership(db: Db) {
  const cache = new LRUCache<string, Set<string>>({ max: 5_000, ttl: MEMBERSHIP_TTL_MS })
  /** bumped by every change, so a read that began before one is not kept */
  let generation = 0
  const queuesOf = async (userId: string): Promise<Set<string>> => {
    const hit = cache.get(userId)
    if (hit) return hit
    const started = generation
    const rows = await db.queueMember.findMany({ where: { userId }, select: { queueId: true } })
    const queues = new Set(rows.map((r) => r.queueId))
    if (started === generation) cache.set(userId, queues)
    return queues
  }
  return {
    queuesOf,
    async isMember(userId: string, queueId: string): Promise<boolean> {
      return (await queuesOf(userId)).has(queueId)
    },
    /** Follows membership changes on the bus; returns how to stop. */
    async follow(bus: EventBus): Promise<() => Promise<void>> {
      const forget = () => {
        generation++
        cache.clear()
      }
      const stops = await Promise.all([bus.subscribe('queue.members', forget), bus.subscribe('queue.deleted', forget)])
      return async () => {
        for (const stop of stops) await stop()
      }
    },
  }
}
export type QueueMembership = ReturnType<typeof createQueueMembership>
