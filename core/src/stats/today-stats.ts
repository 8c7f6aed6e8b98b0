import type { Db, Prisma } from '../storage/index.js'
import { dayWindow } from './day-window.js'
import { firstAgentReplies, ratingOf } from '../analytics/index.js'
import { summarizeDay, type DayConversation, type TodayStats } from './summarize-day.js'

/** The most conversations of one day read for the figures; beyond it they are marked truncated. */
export const DAY_LIMIT = 50_000

/**
 * Today's figures in `timeZone`: the conversations opened since local midnight (read in one
 * bounded query on the createdAt index, only the columns needed) and the first agent reply of
 * those that reached an agent (grouped in the database, in chunks of ids).
 */
export async function readTodayStats(
  db: Db,
  options: { timeZone: string; now: Date; where?: Prisma.ConversationWhereInput },
): Promise<TodayStats> {
  const window = dayWindow(options.timeZone, options.now)
  const rows = await db.conversation.findMany({
    where: { createdAt: { gte: window.start, lte: window.end }, ...options.where },
    select: {
      id: true,
      channel: true,
      status: true,
      intent: true,
      createdAt: true,
      queuedAt: true,
      assignedAt: true,
      resolvedAt: true,
      attributes: true,
    },
    orderBy: { createdAt: 'asc' },
    take: DAY_LIMIT + 1,
  })
  const truncated = rows.length > DAY_LIMIT
  const day = truncated ? rows.slice(0, DAY_LIMIT) : rows
  const firstReplies = await firstAgentReplies(
    db,
    day.filter((r) => r.assignedAt).map((r) => r.id),
  )
  const conversations: DayConversation[] = day.map((r) => ({
    channel: r.channel,
    status: r.status,
    intent: r.intent,
    createdAt: r.createdAt,
    queuedAt: r.queuedAt,
    assignedAt: r.assignedAt,
    resolvedAt: r.resolvedAt,
    rating: ratingOf(r.attributes),
    firstAgentReplyAt: firstReplies.get(r.id) ?? null,
  }))
  return summarizeDay(window, conversations, truncated)
}
