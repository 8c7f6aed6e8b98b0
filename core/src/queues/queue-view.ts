import { businessHoursState, storedBusinessHours } from '../calendar/index.js'
import { storedSkillRequirements } from '../routing/index.js'
import type { QueueView } from './queue-dto.js'
import type { WaitingCount } from './waiting-counts.js'

/** A queue row as read with its members (and their names). */
export interface QueueRow {
  id: string
  name: string
  description: string
  priority: number
  requiredSkills: unknown
  agingPerMinute: number
  overflowAfterSeconds: number | null
  stickyMinutes: number
  businessHours: unknown
  teamId: string | null
  createdAt: Date
  updatedAt: Date
  members: Array<{ userId: string; standby: boolean; user: { name: string; email: string } }>
}

export const withMembers = {
  members: { include: { user: { select: { name: true, email: true } } }, orderBy: { userId: 'asc' } },
} as const

/** What the API answers for a queue: its settings, members, waiting line and business hours at `now`. */
export function queueView(row: QueueRow, waiting: WaitingCount | undefined, now: Date): QueueView {
  const hours = storedBusinessHours(row.businessHours)
  const state = hours ? businessHoursState(hours, now) : { open: true, nextChangeAt: null }
  const oldest = waiting?.oldestQueuedAt ?? null
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    priority: row.priority,
    requiredSkills: storedSkillRequirements(row.requiredSkills),
    agingPerMinute: row.agingPerMinute,
    overflowAfterSeconds: row.overflowAfterSeconds,
    stickyMinutes: row.stickyMinutes,
    businessHours: hours,
    teamId: row.teamId,
    members: row.members.map((m) => ({ userId: m.userId, name: m.user.name, email: m.user.email, standby: m.standby })),
    waiting: waiting?.waiting ?? 0,
    oldestQueuedAt: oldest,
    longestWaitMs: oldest ? Math.max(0, now.getTime() - oldest.getTime()) : 0,
    open: state.open,
    nextChangeAt: state.nextChangeAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}
