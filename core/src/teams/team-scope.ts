import type { Db } from '../storage/index.js'

/**
 * What a user oversees through teams. `all`: everything (admins, and anyone in no team at all: a
 * small shop that has not set teams up). Otherwise the teams they belong to and the users who
 * share one of those teams with them (themselves included).
 */
export type TeamScope =
  { kind: 'all' } | { kind: 'teams'; teamIds: ReadonlySet<string>; teammateIds: ReadonlySet<string> }

/** Reads a user's team scope; admins oversee everything whatever their teams. */
export async function readTeamScope(db: Db, user: { id: string; role: string }): Promise<TeamScope> {
  if (user.role === 'admin') return { kind: 'all' }
  const mine = await db.teamMember.findMany({ where: { userId: user.id }, select: { teamId: true } })
  if (mine.length === 0) return { kind: 'all' }
  const teamIds = new Set(mine.map((m) => m.teamId))
  const mates = await db.teamMember.findMany({ where: { teamId: { in: [...teamIds] } }, select: { userId: true } })
  return { kind: 'teams', teamIds, teammateIds: new Set([user.id, ...mates.map((m) => m.userId)]) }
}

/** A queue belongs to the scope when it has no team or one of the scope's teams. */
export function queueInScope(scope: TeamScope, queueTeamId: string | null): boolean {
  return scope.kind === 'all' || queueTeamId === null || scope.teamIds.has(queueTeamId)
}

/** An agent belongs to the scope when they share a team with its user. */
export function agentInScope(scope: TeamScope, userId: string): boolean {
  return scope.kind === 'all' || scope.teammateIds.has(userId)
}
