import type { Role } from '../auth/index.js'
import type { Db } from '../storage/index.js'
import { queueInScope, readTeamScope } from '../teams/index.js'

/** Who is asking: what they see depends on their role and their teams. */
export interface Viewer {
  id: string
  role: Role
}

/**
 * Which queues a viewer sees: admins and anyone in no team every queue; others the queues of
 * their teams, the queues without a team, and the queues they work in (member or standby).
 */
export async function queueVisibility(
  db: Db,
  viewer: Viewer,
): Promise<(queue: { id: string; teamId: string | null }) => boolean> {
  const scope = await readTeamScope(db, viewer)
  if (scope.kind === 'all') return () => true
  const rows = await db.queueMember.findMany({ where: { userId: viewer.id }, select: { queueId: true } })
  const worked = new Set(rows.map((r) => r.queueId))
  return (queue) => queueInScope(scope, queue.teamId) || worked.has(queue.id)
}
