import type { Db } from '../storage/index.js'

/** How many conversations wait in a queue, and since when the longest-waiting one has. */
export interface WaitingCount {
  waiting: number
  oldestQueuedAt: Date | null
}

/**
 * Waiting conversations of these queues, counted in the database (one grouped query). A queue
 * nobody waits in is not in the map.
 */
export async function countWaiting(db: Db, queueIds: string[]): Promise<Map<string, WaitingCount>> {
  if (queueIds.length === 0) return new Map()
  const groups = await db.conversation.groupBy({
    by: ['queueId'],
    where: { status: 'queued', queueId: { in: queueIds } },
    _count: { _all: true },
    _min: { queuedAt: true },
  })
  return new Map(
    groups.map((g) => [g.queueId!, { waiting: g._count._all, oldestQueuedAt: g._min.queuedAt ?? null }] as const),
  )
}
