import type { PiiCipher } from '../pii/index.js'
import type { Db } from '../storage/index.js'
import { encodeCursor } from './inbox-query.js'

type ConversationRow = NonNullable<Awaited<ReturnType<Db['conversation']['findUnique']>>>

const PREVIEW_CHARS = 140

export interface SlaBadge {
  /** ok | warning | breached */
  state: string
  dueAt: Date | null
}
/** each conversation's SLA badge (absent: no policy applies) */
export type SlaBadges = (conversationIds: string[]) => Promise<Map<string, SlaBadge | null>>

/** What an inbox row shows beside the conversation itself. */
export interface InboxRowExtras {
  contact: { name: string | null; address: string | null; tags: string[] }
  lastMessage: { body: string; direction: string; kind: string; by: string | null; createdAt: Date } | null
  /** the customer's messages this viewer has not read */
  unread: number
  /** since when the customer waits for an answer (their unanswered message, or being queued); null: nobody waits */
  waitingSince: Date | null
  /** the SLA badge: the worst of its SLA clocks and the earliest due time; null when no SLA policy applies */
  sla: SlaBadge | null
  /** pass as `cursor` to get the rows after this one */
  cursor: string
}

/**
 * Adds to a page of conversations what each inbox row needs, in five queries whatever the page
 * size: the contacts (names decrypted), the last messages, the viewer's read marks, the unread
 * counts and the SLA clocks.
 */
export async function inboxRows(
  db: Db,
  pii: PiiCipher,
  /** whose unread counts; null: nobody's (every customer message counts as unread) */
  viewerId: string | null,
  page: ConversationRow[],
  readSlaBadges: SlaBadges = async () => new Map(),
): Promise<Array<ConversationRow & InboxRowExtras>> {
  if (page.length === 0) return []
  const ids = page.map((c) => c.id)
  const [contacts, lastMessages, reads, slaBadges] = await Promise.all([
    db.contact.findMany({
      where: { id: { in: [...new Set(page.map((c) => c.contactId))] } },
      select: {
        id: true,
        nameEnc: true,
        tags: true,
        identities: { select: { id: true, addressEnc: true }, orderBy: { createdAt: 'asc' } },
      },
    }),
    db.message.findMany({
      where: { OR: page.filter((c) => c.messageSeq > 0).map((c) => ({ conversationId: c.id, seq: c.messageSeq })) },
      select: { conversationId: true, body: true, direction: true, kind: true, payload: true, createdAt: true },
    }),
    viewerId ? db.conversationRead.findMany({ where: { userId: viewerId, conversationId: { in: ids } } }) : [],
    readSlaBadges(ids),
  ])
  const readSeq = new Map(reads.map((r) => [r.conversationId, r.lastReadSeq]))
  const unread = await db.message.groupBy({
    by: ['conversationId'],
    where: {
      direction: 'inbound',
      OR: page.map((c) => ({ conversationId: c.id, seq: { gt: readSeq.get(c.id) ?? 0 } })),
    },
    _count: { _all: true },
  })
  const unreadOf = new Map(unread.map((u) => [u.conversationId, u._count._all]))
  const contactOf = new Map(contacts.map((c) => [c.id, c]))
  const lastOf = new Map(lastMessages.map((m) => [m.conversationId, m]))

  return page.map((c) => {
    const contact = contactOf.get(c.contactId)
    const identity = contact?.identities.find((i) => i.id === c.identityId) ?? contact?.identities[0]
    const last = lastOf.get(c.id)
    const by = last && typeof last.payload === 'object' && last.payload ? (last.payload as { by?: unknown }).by : null
    const customerWaits = last?.direction === 'inbound' && c.status !== 'resolved'
    return {
      ...c,
      contact: {
        name: contact?.nameEnc ? pii.decrypt('contact.name', contact.nameEnc) : null,
        address: identity ? pii.decrypt('identity.address', identity.addressEnc) : null,
        tags: Array.isArray(contact?.tags) ? (contact.tags as string[]) : [],
      },
      lastMessage: last
        ? {
            body: last.body.length > PREVIEW_CHARS ? `${last.body.slice(0, PREVIEW_CHARS)}…` : last.body,
            direction: last.direction,
            kind: last.kind,
            by: typeof by === 'string' ? by : null,
            createdAt: last.createdAt,
          }
        : null,
      unread: unreadOf.get(c.id) ?? 0,
      waitingSince: customerWaits ? last.createdAt : c.status === 'queued' ? c.queuedAt : null,
      sla: slaBadges.get(c.id) ?? null,
      cursor: encodeCursor(c),
    }
  })
}
