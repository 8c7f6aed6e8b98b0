import type { Db } from '../storage/index.js'
import type { QueueStatsRealtimeEvent } from './realtime-events.js'

/**
 * Waiting count and longest wait of queues, counted in the database (one grouped query); all
 * queues when `queueIds` is not given. A queue nobody waits in reports 0.
 */
export async function countQueueStats(db: Db, queueIds?: string[]): Promise<QueueStatsRealtimeEvent[]> {
  const ids = queueIds ?? (await db.queue.findMany({ select: { id: true } })).map((q) => q.id)
  if (ids.length === 0) return []
  const groups = await db.conversation.groupBy({
    by: ['queueId'],
    where: { status: 'queued', queueId: { in: ids } },
    _count: { _all: true },
    _min: { queuedAt: true },
  })
  const now = new Date()
  return ids.map((queueId) => {
    const group = groups.find((g) => g.queueId === queueId)
    const oldest = group?._min.queuedAt ?? null
    return {
      type: 'queue.stats',
      queueId,
      waiting: group?._count._all ?? 0,
      oldestQueuedAt: oldest ? oldest.toISOString() : null,
      longestWaitMs: oldest ? Math.max(0, now.getTime() - oldest.getTime()) : 0,
      at: now.toISOString(),
    }
  })
}
