import type { Db } from '../storage/index.js'
import { mediaOf } from './routing-snapshot.js'
import type { Assignment, MediaKind } from './routing-types.js'

type ConversationRow = NonNullable<Awaited<ReturnType<Db['conversation']['findUnique']>>>

/** Why a planned assignment was not made: the plan it came from is out of date. */
export type RefusedAssignment = 'agent-unavailable' | 'agent-full' | 'conversation-taken'

/**
 * Makes one planned assignment if it still holds when it is written, in one transaction: the
 * agent is still available and below their capacity for the conversation's kind of work, and the
 * conversation is still queued with nobody assigned. The agent's row is written first, which
 * holds it (a PostgreSQL row lock; SQLite has one writer) until the commit: a presence or capacity
 * change, or another pass assigning to the same agent, waits for this one and this one sees what
 * committed before. So an agent is never overfilled or given work after going away, whatever the
 * snapshot the plan came from, even if two passes run at once (a lock that lapsed on a stalled
 * instance). `assignedAt` and `idleSince` are the moment of the commit.
 */
export async function commitAssignment(
  db: Db,
  assignment: Assignment,
): Promise<{ conversation: ConversationRow } | { refused: RefusedAssignment }> {
  const { agentId, conversationId } = assignment
  const outcome = await db.$transaction(async (tx) => {
    const held = await tx.agentState.updateMany({
      where: { userId: agentId, presence: 'available' },
      data: { presence: 'available' },
    })
    if (held.count === 0) return 'agent-unavailable' as const
    const conversation = await tx.conversation.findUnique({ where: { id: conversationId }, select: { channel: true } })
    if (!conversation) return 'conversation-taken' as const
    const media = mediaOf(conversation.channel)
    const state = await tx.agentState.findUniqueOrThrow({ where: { userId: agentId } })
    const holding = await tx.conversation.findMany({
      where: { assigneeId: agentId, status: 'assigned' },
      select: { channel: true },
    })
    const capacity = (state.capacity as Partial<Record<MediaKind, number>>)[media] ?? 0
    if (holding.filter((c) => mediaOf(c.channel) === media).length >= capacity) return 'agent-full' as const
    const at = new Date()
    const taken = await tx.conversation.updateMany({
      where: { id: conversationId, status: 'queued', assigneeId: null },
      data: {
        status: 'assigned',
        assigneeId: agentId,
        lastAgentId: agentId,
        assignedAt: at,
        version: { increment: 1 },
      },
    })
    if (taken.count === 0) return 'conversation-taken' as const
    await tx.agentState.update({ where: { userId: agentId }, data: { idleSince: at } })
    return tx.conversation.findUniqueOrThrow({ where: { id: conversationId } })
  })
  return typeof outcome === 'string' ? { refused: outcome } : { conversation: outcome }
}
