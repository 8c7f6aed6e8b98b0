import type { Db } from '../storage/index.js'
import { countTicketsAtRisk, readConversationsAtRisk, type ConversationAtRisk } from './live-sla.js'

/** A queue now: its line and who works in it. */
export interface LiveQueue {
  id: string
  name: string
  teamId: string | null
  waiting: number
  oldestQueuedAt: Date | null
  /** members who take its work (standby members excluded) */
  memberIds: string[]
  standbyIds: string[]
}

/** An agent's presence now (every user with a routing state). */
export interface LiveAgent {
  userId: string
  presence: string
}

/** SLA at risk across all teams (read only when a rule watches it). */
export interface SnapshotSla {
  tickets: { atRisk: number; breached: number }
  conversations: ConversationAtRisk[]
}

export interface LiveSnapshot {
  queues: LiveQueue[]
  agents: LiveAgent[]
  sla?: SnapshotSla
}

/**
 * Queues with their waiting count and oldest waiting conversation (one grouped query on the
 * status/queue index), members, and every active agent's presence: what the dashboard's live
 * part and the threshold alerts are computed from; with `sla`, also the SLA clocks at risk.
 */
export async function readLiveSnapshot(db: Db, options: { sla?: boolean } = {}): Promise<LiveSnapshot> {
  const [queues, groups, states, sla] = await Promise.all([
    db.queue.findMany({
      select: { id: true, name: true, teamId: true, members: { select: { userId: true, standby: true } } },
      orderBy: { name: 'asc' },
    }),
    db.conversation.groupBy({
      by: ['queueId'],
      where: { status: 'queued', queueId: { not: null } },
      _count: { _all: true },
      _min: { queuedAt: true },
    }),
    db.agentState.findMany({ where: { user: { active: true } }, select: { userId: true, presence: true } }),
    options.sla ? readSnapshotSla(db) : undefined,
  ])
  const lines = new Map(groups.map((g) => [g.queueId!, g]))
  return {
    queues: queues.map((q) => ({
      id: q.id,
      name: q.name,
      teamId: q.teamId,
      waiting: lines.get(q.id)?._count._all ?? 0,
      oldestQueuedAt: lines.get(q.id)?._min.queuedAt ?? null,
      memberIds: q.members.filter((m) => !m.standby).map((m) => m.userId),
      standbyIds: q.members.filter((m) => m.standby).map((m) => m.userId),
    })),
    agents: states,
    ...(sla ? { sla } : {}),
  }
}

async function readSnapshotSla(db: Db): Promise<SnapshotSla> {
  const [tickets, conversations] = await Promise.all([countTicketsAtRisk(db), readConversationsAtRisk(db)])
  return { tickets, conversations }
}
