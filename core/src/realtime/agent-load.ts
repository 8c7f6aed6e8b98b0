import { mediaOf } from '../routing/index.js'
import type { Db } from '../storage/index.js'
import type { AgentLoadRealtimeEvent } from './realtime-events.js'

/** How many conversations each of these agents has assigned now, per media kind (as routing counts it). */
export async function countAgentLoad(db: Db, userIds: string[]): Promise<AgentLoadRealtimeEvent[]> {
  if (userIds.length === 0) return []
  const groups = await db.conversation.groupBy({
    by: ['assigneeId', 'channel'],
    where: { status: 'assigned', assigneeId: { in: userIds } },
    _count: { _all: true },
  })
  const at = new Date().toISOString()
  return userIds.map((userId) => {
    const load: Record<string, number> = {}
    for (const g of groups.filter((g) => g.assigneeId === userId)) {
      const media = mediaOf(g.channel)
      load[media] = (load[media] ?? 0) + g._count._all
    }
    return { type: 'agent.load', userId, load, at }
  })
}
