import type { Db } from '../storage/index.js'
import type { SlaSubjectFacts } from './sla-policies.js'

export type TicketRow = Awaited<ReturnType<Db['ticket']['findUniqueOrThrow']>>
export type ConversationRow = Awaited<ReturnType<Db['conversation']['findUniqueOrThrow']>>

export const OPEN_TICKET = ['open', 'pending']

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []

async function tagsOf(db: Db, contactId: string | null): Promise<string[]> {
  if (!contactId) return []
  const contact = await db.contact.findUnique({ where: { id: contactId }, select: { tags: true } })
  return strings(contact?.tags)
}

/** What a policy reads of a ticket: its channel is its conversation's, else where it came from (email, api…). */
export async function ticketFacts(db: Db, ticket: TicketRow): Promise<SlaSubjectFacts> {
  const [tags, conversation] = await Promise.all([
    tagsOf(db, ticket.contactId),
    ticket.conversationId
      ? db.conversation.findUnique({ where: { id: ticket.conversationId }, select: { channel: true } })
      : null,
  ])
  return {
    kind: 'ticket',
    priority: ticket.priority,
    category: ticket.category,
    channel: conversation?.channel ?? ticket.source,
    tags,
  }
}

/** What a policy reads of a conversation: its intent stands for the category. */
export async function conversationFacts(db: Db, conversation: ConversationRow): Promise<SlaSubjectFacts> {
  return {
    kind: 'conversation',
    priority: null,
    category: conversation.intent,
    channel: conversation.channel,
    tags: await tagsOf(db, conversation.contactId),
  }
}

/** The open or pending tickets a conversation is linked to (the one it came from, and linked ones). */
export async function openTicketsOf(db: Db, conversationId: string): Promise<TicketRow[]> {
  return db.ticket.findMany({
    where: {
      status: { in: OPEN_TICKET },
      OR: [{ conversationId }, { conversations: { some: { conversationId } } }],
    },
    orderBy: { id: 'asc' },
  })
}

/** An agent's answer to the customer: sent outbound by a person (not the bot, not a note). */
export function isAgentAnswer(message: { direction: string; authorUserId: string | null }): boolean {
  return message.direction === 'outbound' && message.authorUserId !== null
}
