import type { AuthCredentials, Role } from '../auth/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Db, Prisma } from '../storage/index.js'
import { readTeamScope, type TeamScope } from '../teams/index.js'

/** Who is asking, as far as tickets care. */
export interface TicketViewer {
  userId: string
  role: Role
}

export function ticketViewerOf(credentials: AuthCredentials): TicketViewer {
  return { userId: credentials.user.id, role: credentials.user.role as Role }
}

/**
 * Which tickets a viewer sees (the same rule for lists, details and every change):
 * - admins, and supervisors in no team: every ticket;
 * - supervisors in teams: the tickets of their teams, those with no team, and those assigned to
 *   them or to someone who shares a team with them;
 * - agents: the tickets assigned to them, those of their teams, and those with no team.
 * An escalation that moves a ticket to another team therefore moves it into that team's view.
 */
export async function ticketScope(db: Db, viewer: TicketViewer): Promise<Prisma.TicketWhereInput> {
  if (viewer.role === 'admin' || viewer.role === 'supervisor') {
    const scope = await readTeamScope(db, { id: viewer.userId, role: viewer.role })
    if (scope.kind === 'all') return {}
    return {
      OR: [{ teamId: null }, { teamId: { in: [...scope.teamIds] } }, { assigneeId: { in: [...scope.teammateIds] } }],
    }
  }
  const teams = await db.teamMember.findMany({ where: { userId: viewer.userId }, select: { teamId: true } })
  return {
    OR: [
      { assigneeId: viewer.userId },
      { teamId: null },
      ...(teams.length ? [{ teamId: { in: teams.map((t) => t.teamId) } }] : []),
    ],
  }
}

/**
 * The same rule as ticketScope for one ticket in memory (realtime filters): `scope` is the
 * viewer's team scope (readTeamScope) — for an agent only its teams count.
 */
export function ticketVisibleTo(
  ticket: { teamId: string | null; assigneeId: string | null },
  viewer: TicketViewer,
  scope: TeamScope,
): boolean {
  if (viewer.role === 'admin' || viewer.role === 'supervisor') {
    if (scope.kind === 'all') return true
    return (
      ticket.teamId === null ||
      scope.teamIds.has(ticket.teamId) ||
      (ticket.assigneeId !== null && scope.teammateIds.has(ticket.assigneeId))
    )
  }
  if (ticket.assigneeId === viewer.userId || ticket.teamId === null) return true
  return scope.kind === 'teams' && scope.teamIds.has(ticket.teamId)
}

/** 403 when the viewer may not see this (existing) ticket. */
export async function requireTicketVisible(db: Db, viewer: TicketViewer, ticketId: number): Promise<void> {
  const scope = await ticketScope(db, viewer)
  const found = await db.ticket.findFirst({ where: { AND: [{ id: ticketId }, scope] }, select: { id: true } })
  if (!found)
    throw userError(
      ErrorCode.FORBIDDEN,
      `Ticket #${ticketId} is neither assigned to you nor to one of your teams; ask its team or a supervisor`,
      { status: 403 },
    )
}
