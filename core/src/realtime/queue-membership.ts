import { LRUCache } from 'lru-cache'
import type { Db } from '../storage/index.js'

/** How long an agent's queue memberships are reused before they are read again. */
const MEMBERSHIP_TTL_MS = 10_000

/**
 * The queues an agent is a member of (standby included), read from the QueueMember table and kept
 * a few seconds: the filters of `/conversations/{id}` ask for every event, so a change of membership
 * takes effect within that time.
 */
export function createQueueMembership(db: Db) {
  const cache = new LRUCache<string, Set<string>>({ max: 5_000, ttl: MEMBERSHIP_TTL_MS })
  const queuesOf = async (userId: string): Promise<Set<string>> => {
    const hit = cache.get(userId)
    if (hit) return hit
    const rows = await db.queueMember.findMany({ where: { userId }, select: { queueId: true } })
    const queues = new Set(rows.map((r) => r.queueId))
    cache.set(userId, queues)
    return queues
  }
  return {
    queuesOf,
    async isMember(userId: string, queueId: string): Promise<boolean> {
      return (await queuesOf(userId)).has(queueId)
    },
  }
}
export type QueueMembership = ReturnType<typeof createQueueMembership>
