import type { AuthCredentials } from '../auth/index.js'
import type { Db } from '../storage/index.js'
import { agentInScope, queueInScope } from '../teams/index.js'
import type { ConversationRealtimeEvent } from './realtime-events.js'
import type { QueueMembership } from './queue-membership.js'
import { subscriptionForbidden, subscriptionNotFound } from './realtime-errors.js'
import type { SupervisorScope } from './supervisor-scope.js'

type Placement = Pick<ConversationRealtimeEvent, 'queueId' | 'assigneeId'>

/**
 * Who may subscribe to what, and which events each subscriber gets. Roles nest (admin ⊃
 * supervisor ⊃ agent). An agent sees the conversations assigned to them and those of the queues
 * they are a member of. A supervisor sees, besides, what their teams cover: the queues of their
 * teams and those without a team, the agents who share a team with them, and the conversations in
 * those queues or with those agents. Admins, and supervisors in no team, see everything.
 */
export function createSubscriptionAccess(db: Db, membership: QueueMembership, scope: SupervisorScope) {
  const isSupervisor = (credentials: AuthCredentials) => credentials.scope.includes('supervisor')

  /** Whether an agent may see a conversation placed like this: theirs, or in one of their queues. */
  const agentMaySee = async (credentials: AuthCredentials, placement: Placement): Promise<boolean> => {
    if (placement.assigneeId === credentials.user.id) return true
    return placement.queueId !== null && (await membership.isMember(credentials.user.id, placement.queueId))
  }

  /** A supervisor's teams cover a queue (or they are in no team); anyone may follow a queue they work in. */
  const mayFollowQueue = async (credentials: AuthCredentials, queueId: string): Promise<boolean> => {
    if (isSupervisor(credentials)) {
      const mine = await scope.scopeOf(credentials.user)
      if (queueInScope(mine, mine.kind === 'all' ? null : await scope.teamOfQueue(queueId))) return true
    }
    return membership.isMember(credentials.user.id, queueId)
  }

  const maySeeConversation = async (credentials: AuthCredentials, placement: Placement): Promise<boolean> => {
    if (isSupervisor(credentials)) {
      const mine = await scope.scopeOf(credentials.user)
      if (mine.kind === 'all') return true
      if (placement.assigneeId && mine.teammateIds.has(placement.assigneeId)) return true
      if (placement.queueId && queueInScope(mine, await scope.teamOfQueue(placement.queueId))) return true
      // with the bot, or taken out of every queue unassigned: no team's, so every supervisor's
      if (!placement.queueId && !placement.assigneeId) return true
    }
    return agentMaySee(credentials, placement)
  }

  return {
    maySeeConversation,
    mayFollowQueue,

    /** Whether a supervisor watching /agents gets this agent's events. */
    async mayWatchAgent(credentials: AuthCredentials, userId: string): Promise<boolean> {
      return isSupervisor(credentials) && agentInScope(await scope.scopeOf(credentials.user), userId)
    },

    requireSupervisor(credentials: AuthCredentials, path: string): void {
      if (!isSupervisor(credentials))
        throw subscriptionForbidden(
          `Subscribing to ${path} needs the role supervisor; you are ${credentials.user.role}`,
        )
    },

    /** The queue must exist; an agent must be a member of it, a supervisor's teams must cover it. */
    async requireQueue(credentials: AuthCredentials, queueId: string): Promise<void> {
      const queue = await db.queue.findUnique({ where: { id: queueId }, select: { id: true } })
      if (!queue) throw subscriptionNotFound(`No queue ${queueId}`)
      if (await mayFollowQueue(credentials, queueId)) return
      throw subscriptionForbidden(
        isSupervisor(credentials)
          ? `Queue ${queueId} belongs to a team you are not in; its team's supervisors, its members and admins may follow it`
          : `You are not a member of queue ${queueId}; only its members and supervisors may follow it`,
      )
    },

    /** The conversation must exist and be within the subscriber's reach. Returns its placement. */
    async requireConversation(credentials: AuthCredentials, conversationId: string) {
      const row = await db.conversation.findUnique({
        where: { id: conversationId },
        select: { version: true, queueId: true, assigneeId: true },
      })
      if (!row) throw subscriptionNotFound(`No conversation ${conversationId}`)
      if (await maySeeConversation(credentials, row)) return row
      throw subscriptionForbidden(
        isSupervisor(credentials)
          ? `Conversation ${conversationId} is neither in a queue of your teams nor with an agent of your teams`
          : `Conversation ${conversationId} is neither assigned to you nor in one of your queues; ask a supervisor to transfer it`,
      )
    },
  }
}
export type SubscriptionAccess = ReturnType<typeof createSubscriptionAccess>
