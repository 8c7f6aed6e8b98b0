import type { AuthCredentials } from '../auth/index.js'
import type { Db } from '../storage/index.js'
import type { ConversationRealtimeEvent } from './realtime-events.js'
import type { QueueMembership } from './queue-membership.js'
import { subscriptionForbidden, subscriptionNotFound } from './realtime-errors.js'

/**
 * Who may subscribe to what. Roles nest (admin ⊃ supervisor ⊃ agent): supervisors see every
 * queue, conversation and agent; an agent sees the conversations assigned to them and those of
 * the queues they are a member of.
 */
export function createSubscriptionAccess(db: Db, membership: QueueMembership) {
  const isSupervisor = (credentials: AuthCredentials) => credentials.scope.includes('supervisor')
  /** Whether an agent may see a conversation placed like this. */
  const agentMaySee = async (
    credentials: AuthCredentials,
    placement: Pick<ConversationRealtimeEvent, 'queueId' | 'assigneeId'>,
  ): Promise<boolean> => {
    if (placement.assigneeId === credentials.user.id) return true
    return placement.queueId !== null && (await membership.isMember(credentials.user.id, placement.queueId))
  }

  return {
    isSupervisor,
    agentMaySee,

    requireSupervisor(credentials: AuthCredentials, path: string): void {
      if (!isSupervisor(credentials))
        throw subscriptionForbidden(
          `Subscribing to ${path} needs the role supervisor; you are ${credentials.user.role}`,
        )
    },

    /** The queue must exist; an agent must be a member of it. */
    async requireQueue(credentials: AuthCredentials, queueId: string): Promise<void> {
      const queue = await db.queue.findUnique({ where: { id: queueId }, select: { id: true } })
      if (!queue) throw subscriptionNotFound(`No queue ${queueId}`)
      if (isSupervisor(credentials) || (await membership.isMember(credentials.user.id, queueId))) return
      throw subscriptionForbidden(
        `You are not a member of queue ${queueId}; only its members and supervisors may follow it`,
      )
    },

    /** The conversation must exist; an agent must have it assigned or be in its queue. Returns its placement. */
    async requireConversation(credentials: AuthCredentials, conversationId: string) {
      const row = await db.conversation.findUnique({
        where: { id: conversationId },
        select: { version: true, queueId: true, assigneeId: true },
      })
      if (!row) throw subscriptionNotFound(`No conversation ${conversationId}`)
      if (isSupervisor(credentials) || (await agentMaySee(credentials, row))) return row
      throw subscriptionForbidden(
        `Conversation ${conversationId} is neither assigned to you nor in one of your queues; ask a supervisor to transfer it`,
      )
    },
  }
}
export type SubscriptionAccess = ReturnType<typeof createSubscriptionAccess>
