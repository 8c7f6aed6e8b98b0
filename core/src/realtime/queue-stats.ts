import { countWaiting } from '../queues/index.js'
import type { Db } from '../storage/index.js'
import type { QueueStatsRealtimeEvent } from './realtime-events.js'

/**
 * Waiting count and longest wait of queues, counted in the database (one grouped query); all
 * queues when `queueIds` is not given. A queue nobody waits in reports 0.
 */
export async function countQueueStats(db: Db, queueIds?: string[]): Promise<QueueStatsRealtimeEvent[]> {
  const ids = queueIds ?? (await db.queue.findMany({ select: { id: true } })).map((q) => q.id)
  const counts = await countWaiting(db, ids)
  const now = new Date()
  return ids.map((queueId) => {
    const count = counts.get(queueId)
    const oldest = count?.oldestQueuedAt ?? null
    return {
      type: 'queue.stats',
      queueId,
      waiting: count?.waiting ?? 0,
      oldestQueuedAt: oldest ? oldest.toISOString() : null,
      longestWaitMs: oldest ? Math.max(0, now.getTime() - oldest.getTime()) : 0,
      at: now.toISOString(),
    }
  })
}
