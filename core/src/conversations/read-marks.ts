import type { Db } from '../storage/index.js'
import type { Viewer } from './conversation-access.js'
import { OPEN_STATUSES } from './inbox-query.js'

export interface ViewCount {
  /** open conversations in the view */
  open: number
  /** of those, how many have customer messages the viewer has not read */
  unread: number
}

/** Per-user read marks: how far each user has read each conversation (inbox unread counts). */
export function createReadMarks(db: Db) {
  return {
    /** Marks a conversation read up to `seq` (never backwards); returns the mark kept. */
    async markRead(userId: string, conversationId: string, seq: number): Promise<number> {
      // a conditional update, so two marks racing never move it backwards
      const moved = await db.conversationRead.updateMany({
        where: { conversationId, userId, lastReadSeq: { lt: seq } },
        data: { lastReadSeq: seq, readAt: new Date() },
      })
      if (moved.count > 0) return seq
      const existing = await db.conversationRead.findUnique({
        where: { conversationId_userId: { conversationId, userId } },
      })
      if (existing) return existing.lastReadSeq
      try {
        await db.conversationRead.create({ data: { conversationId, userId, lastReadSeq: seq } })
        return seq
      } catch (error) {
        // the first mark was written by a concurrent request a moment ago: try once more
        if ((error as { code?: unknown }).code !== 'P2002') throw error
        await db.conversationRead.updateMany({
          where: { conversationId, userId, lastReadSeq: { lt: seq } },
          data: { lastReadSeq: seq, readAt: new Date() },
        })
        const now = await db.conversationRead.findUnique({
          where: { conversationId_userId: { conversationId, userId } },
        })
        return now?.lastReadSeq ?? seq
      }
    },

    /**
     * How many open conversations each view holds and how many of them are unread, in three
     * queries: the open conversations in the viewer's reach, their newest customer message, the
     * viewer's read marks.
     */
    async viewCounts(viewer: Viewer, myQueues: string[]): Promise<Record<'mine' | 'queues' | 'all', ViewCount | null>> {
      const open = await db.conversation.findMany({
        where: {
          status: { in: OPEN_STATUSES },
          ...(viewer.supervisor ? {} : { OR: [{ assigneeId: viewer.userId }, { queueId: { in: myQueues } }] }),
        },
        select: { id: true, assigneeId: true, queueId: true },
      })
      const ids = open.map((c) => c.id)
      const [newest, reads] = await Promise.all([
        db.message.groupBy({
          by: ['conversationId'],
          where: { conversationId: { in: ids }, direction: 'inbound' },
          _max: { seq: true },
        }),
        db.conversationRead.findMany({
          where: { userId: viewer.userId, conversationId: { in: ids } },
          select: { conversationId: true, lastReadSeq: true },
        }),
      ])
      const readSeq = new Map(reads.map((r) => [r.conversationId, r.lastReadSeq]))
      const unread = new Set(
        newest.filter((n) => (n._max.seq ?? 0) > (readSeq.get(n.conversationId) ?? 0)).map((n) => n.conversationId),
      )
      const queues = new Set(myQueues)
      const count = (rows: typeof open): ViewCount => ({
        open: rows.length,
        unread: rows.filter((r) => unread.has(r.id)).length,
      })
      return {
        mine: count(open.filter((c) => c.assigneeId === viewer.userId)),
        queues: count(open.filter((c) => c.queueId !== null && queues.has(c.queueId))),
        all: viewer.supervisor ? count(open) : null,
      }
    },
  }
}
export type ReadMarks = ReturnType<typeof createReadMarks>
