import type { AuthCredentials } from '../auth/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Db } from '../storage/index.js'

/** Who is asking, as far as conversations care: their id and whether they oversee everything. */
export interface Viewer {
  userId: string
  supervisor: boolean
}

export function viewerOf(credentials: AuthCredentials): Viewer {
  return { userId: credentials.user.id, supervisor: credentials.scope.includes('supervisor') }
}

/**
 * What an agent may see: the conversations assigned to them and those of the queues they belong to
 * (standby included), the same rule as the realtime subscriptions, plus the unassigned ones they
 * were the last agent of (resolved by them). Supervisors see everything.
 */
export function createConversationAccess(db: Db) {
  async function queuesOf(userId: string): Promise<string[]> {
    const rows = await db.queueMember.findMany({ where: { userId }, select: { queueId: true } })
    return rows.map((r) => r.queueId)
  }

  return {
    queuesOf,

    /** Throws 403 when an agent may not see a conversation placed like this. */
    async require(
      viewer: Viewer,
      placement: {
        id: string
        status?: string
        queueId: string | null
        assigneeId: string | null
        lastAgentId?: string | null
      },
    ) {
      if (viewer.supervisor || placement.assigneeId === viewer.userId) return
      // what they resolved themselves stays theirs to read and reopen
      if (placement.status === 'resolved' && placement.lastAgentId === viewer.userId) return
      if (placement.queueId && (await queuesOf(viewer.userId)).includes(placement.queueId)) return
      throw userError(
        ErrorCode.FORBIDDEN,
        `Conversation ${placement.id} is neither assigned to you nor in one of your queues; ask a supervisor to transfer it`,
        { status: 403 },
      )
    },
  }
}
export type ConversationAccess = ReturnType<typeof createConversationAccess>
