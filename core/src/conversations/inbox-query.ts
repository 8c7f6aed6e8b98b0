import { ErrorCode, userError } from '../errors/index.js'
import type { Prisma } from '../storage/index.js'
import type { Viewer } from './conversation-access.js'

export const OPEN_STATUSES = ['bot', 'queued', 'assigned']
export type InboxView = 'mine' | 'queues' | 'all'

export interface InboxFilter {
  view?: InboxView
  id?: string
  status?: string
  queueId?: string
  assigneeId?: string
  contactId?: string
  channel?: string
  tag?: string
  priority?: number
  q?: string
  cursor?: string
  limit: number
}

/**
 * Which conversations a viewer's inbox view holds. `mine`: assigned to them (or resolved by them,
 * when resolved ones are asked for); `queues`: in the
 * queues they belong to; `all`: everything (supervisors only). Without a view an agent gets both
 * of theirs, a supervisor everything.
 */
export function scopeWhere(
  viewer: Viewer,
  view: InboxView | undefined,
  myQueues: string[],
): Prisma.ConversationWhereInput {
  if (view === 'all' && !viewer.supervisor)
    throw userError(ErrorCode.FORBIDDEN, 'The view "all" needs the role supervisor; use "mine" or "queues"', {
      status: 403,
    })
  const mine: Prisma.ConversationWhereInput = {
    OR: [{ assigneeId: viewer.userId }, { status: 'resolved', assigneeId: null, lastAgentId: viewer.userId }],
  }
  if (view === 'mine') return mine
  if (view === 'queues') return { queueId: { in: myQueues } }
  if (viewer.supervisor) return {}
  return { OR: [mine, { queueId: { in: myQueues } }] }
}

/** The filters beside the view (the tag and the search text are matched separately: inbox-search.ts). */
export function filterWhere(filter: InboxFilter): Prisma.ConversationWhereInput[] {
  const where: Prisma.ConversationWhereInput[] = [
    filter.status ? { status: filter.status } : { status: { in: OPEN_STATUSES } },
  ]
  if (filter.id) where.push({ id: filter.id })
  if (filter.queueId) where.push({ queueId: filter.queueId })
  if (filter.assigneeId) where.push({ assigneeId: filter.assigneeId })
  if (filter.contactId) where.push({ contactId: filter.contactId })
  if (filter.channel) where.push({ channel: filter.channel })
  if (filter.priority !== undefined) where.push({ priority: { gte: filter.priority } })
  return where
}

/** The newest activity first; conversations without messages last; the id breaks ties. */
export const inboxOrder: Prisma.ConversationOrderByWithRelationInput[] = [
  { lastMessageAt: { sort: 'desc', nulls: 'last' } },
  { id: 'desc' },
]

/** An opaque position in that order: the last row's activity time and id. */
export function encodeCursor(row: { lastMessageAt: Date | null; id: string }): string {
  return Buffer.from(JSON.stringify([row.lastMessageAt?.getTime() ?? null, row.id])).toString('base64url')
}

/** The rows after a cursor in the inbox order; 400 when the cursor is not one we gave out. */
export function afterCursor(cursor: string): Prisma.ConversationWhereInput {
  let at: number | null
  let id: string
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (
      !Array.isArray(parsed) ||
      typeof parsed[1] !== 'string' ||
      (parsed[0] !== null && typeof parsed[0] !== 'number')
    )
      throw new Error('shape')
    ;[at, id] = parsed as [number | null, string]
  } catch {
    throw userError(ErrorCode.VALIDATION, 'cursor: not a cursor this API gave out; take it from the last row', {
      details: [{ path: 'cursor', message: 'not a cursor this API gave out' }],
    })
  }
  if (at === null) return { lastMessageAt: null, id: { lt: id } }
  const date = new Date(at)
  return {
    OR: [{ lastMessageAt: { lt: date } }, { lastMessageAt: date, id: { lt: id } }, { lastMessageAt: null }],
  }
}
