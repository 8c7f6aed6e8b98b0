import type { Db, Prisma } from '../storage/index.js'
import { agentInScope, readTeamScope } from '../teams/index.js'
import { actualAgents, scheduledAgents, type StaffingInterval } from './staffing.js'

/**
 * Scheduled and actual agents for a queue (or all queues) over consecutive intervals.
 * Scheduled: the shifts for that queue, or for any queue, of the queue's members (all shifts
 * without a queue). Actual: the presence log of the queue's members (all agents without a
 * queue), time-weighted. A supervisor with teams sees their teams' agents only.
 */
export async function readStaffing(
  db: Db,
  viewer: { id: string; role: string },
  query: { queueId?: string | null; intervals: StaffingInterval[]; now: Date },
): Promise<{ scheduled: number[]; actual: Array<number | null> }> {
  const { intervals, now } = query
  if (intervals.length === 0) return { scheduled: [], actual: [] }
  const from = intervals[0]!.start
  const to = intervals.at(-1)!.end
  const scope = await readTeamScope(db, viewer)
  const members = query.queueId
    ? (await db.queueMember.findMany({ where: { queueId: query.queueId }, select: { userId: true } })).map(
        (m) => m.userId,
      )
    : null
  const inScope = (userId: string) => agentInScope(scope, userId) && (members === null || members.includes(userId))

  const shiftWhere: Prisma.AgentShiftWhereInput = {
    startsAt: { lt: to },
    endsAt: { gt: from },
    ...(query.queueId ? { OR: [{ queueId: query.queueId }, { queueId: null }] } : {}),
  }
  const shifts = (
    await db.agentShift.findMany({
      where: shiftWhere,
      select: { userId: true, startsAt: true, endsAt: true, queueId: true },
    })
  )
    // a shift for this queue counts even for a non-member (planned to help out); one for any queue needs membership
    .filter(
      (s) => agentInScope(scope, s.userId) && (s.queueId !== null || members === null || members.includes(s.userId)),
    )

  const changes = (
    await db.agentPresenceChange.findMany({
      where: { at: { gte: from, lt: to }, ...(members ? { userId: { in: members } } : {}) },
      orderBy: { at: 'asc' },
      select: { userId: true, presence: true, at: true },
    })
  ).filter((c) => inScope(c.userId))
  // each agent's presence when the range starts: their last change before it
  const earlier = await db.agentPresenceChange.groupBy({
    by: ['userId'],
    where: { at: { lt: from }, ...(members ? { userId: { in: members } } : {}) },
    _max: { at: true },
  })
  const before = new Map<string, string>()
  for (const group of earlier) {
    if (!group._max.at || !inScope(group.userId)) continue
    const last = await db.agentPresenceChange.findFirst({
      where: { userId: group.userId, at: group._max.at },
      select: { presence: true },
    })
    if (last) before.set(group.userId, last.presence)
  }
  return { scheduled: scheduledAgents(shifts, intervals), actual: actualAgents(changes, before, intervals, now) }
}
