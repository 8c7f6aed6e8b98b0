import type { Db, Prisma } from '../storage/index.js'
import { FCR_WINDOW_MS, ratingOf, type ContactFact } from './contact-facts.js'

/** The most conversations one metrics query reads; a longer range must be asked for in parts. */
export const MAX_FACTS = 200_000
const CHUNK = 500

const chunks = <T>(items: T[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK))

/**
 * The facts of the conversations that arrived in [from, to): one bounded query on the createdAt
 * index for the conversations, then, in chunks of ids, their first agent replies, tickets, SLA
 * clocks and survey answers, and the same contacts' later conversations (first-contact resolution).
 */
export async function readContactFacts(
  db: Db,
  range: { from: Date; to: Date; where?: Prisma.ConversationWhereInput },
): Promise<{ facts: ContactFact[]; truncated: boolean }> {
  const rows = await db.conversation.findMany({
    where: { createdAt: { gte: range.from, lt: range.to }, ...range.where },
    select: {
      id: true,
      contactId: true,
      channel: true,
      queueId: true,
      intent: true,
      assigneeId: true,
      lastAgentId: true,
      createdAt: true,
      queuedAt: true,
      assignedAt: true,
      resolvedAt: true,
      status: true,
      attributes: true,
    },
    orderBy: { createdAt: 'asc' },
    take: MAX_FACTS + 1,
  })
  const truncated = rows.length > MAX_FACTS
  const list = truncated ? rows.slice(0, MAX_FACTS) : rows
  const ids = list.map((r) => r.id)
  const [replies, ticketed, sla, surveys, later] = await Promise.all([
    firstAgentReplies(
      db,
      list.filter((r) => r.assignedAt).map((r) => r.id),
    ),
    ticketedConversations(db, ids),
    slaOutcomes(db, ids),
    surveyScores(db, ids),
    laterContacts(db, list, range.to),
  ])
  const facts = list.map((r): ContactFact => ({
    conversationId: r.id,
    contactId: r.contactId,
    channel: r.channel,
    queueId: r.queueId,
    intent: r.intent,
    agentId: r.assigneeId ?? r.lastAgentId,
    createdAt: r.createdAt,
    queuedAt: r.queuedAt,
    assignedAt: r.assignedAt,
    firstAgentReplyAt: replies.get(r.id) ?? null,
    resolvedAt: r.resolvedAt,
    status: r.status,
    csat: surveys.get(r.id) ?? ratingOf(r.attributes),
    hasTicket: ticketed.has(r.id),
    sla: sla.get(r.id) ?? null,
    nextContactAt: later(r),
  }))
  return { facts, truncated }
}

/** When an agent first replied in each conversation (outbound messages with an author). */
export async function firstAgentReplies(db: Db, conversationIds: string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>()
  for (const ids of chunks(conversationIds)) {
    const groups = await db.message.groupBy({
      by: ['conversationId'],
      where: { conversationId: { in: ids }, direction: 'outbound', authorUserId: { not: null } },
      _min: { createdAt: true },
    })
    for (const g of groups) if (g._min.createdAt) out.set(g.conversationId, g._min.createdAt)
  }
  return out
}

async function ticketedConversations(db: Db, conversationIds: string[]): Promise<Set<string>> {
  const out = new Set<string>()
  for (const ids of chunks(conversationIds)) {
    const [links, origins] = await Promise.all([
      db.ticketConversation.findMany({ where: { conversationId: { in: ids } }, select: { conversationId: true } }),
      db.ticket.findMany({ where: { conversationId: { in: ids } }, select: { conversationId: true } }),
    ])
    for (const row of [...links, ...origins]) if (row.conversationId) out.add(row.conversationId)
  }
  return out
}

/** The first-response SLA of each conversation that had one measured: breached wins over met. */
async function slaOutcomes(db: Db, conversationIds: string[]): Promise<Map<string, 'met' | 'breached'>> {
  const out = new Map<string, 'met' | 'breached'>()
  for (const ids of chunks(conversationIds)) {
    const clocks = await db.slaClock.findMany({
      where: { conversationId: { in: ids }, metric: 'first_response' },
      select: { conversationId: true, breachedAt: true, metAt: true },
    })
    for (const c of clocks) {
      if (!c.conversationId) continue
      if (c.breachedAt) out.set(c.conversationId, 'breached')
      else if (c.metAt && out.get(c.conversationId) !== 'breached') out.set(c.conversationId, 'met')
    }
  }
  return out
}

async function surveyScores(db: Db, conversationIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (const ids of chunks(conversationIds)) {
    const answers = await db.survey.findMany({
      where: { conversationId: { in: ids }, kind: 'csat', status: 'answered', score: { not: null } },
      select: { conversationId: true, score: true },
    })
    for (const a of answers) if (a.conversationId && a.score !== null) out.set(a.conversationId, a.score)
  }
  return out
}

/**
 * For each conversation, when its contact next opened one (with the same intent when it has one),
 * looking up to the FCR window past the range so a resolution near its end is judged fairly.
 */
async function laterContacts(
  db: Db,
  rows: Array<{ id: string; contactId: string; intent: string | null; createdAt: Date }>,
  to: Date,
): Promise<(row: { id: string; contactId: string; intent: string | null; createdAt: Date }) => Date | null> {
  const byContact = new Map<string, Array<{ intent: string | null; createdAt: Date }>>()
  const contactIds = [...new Set(rows.map((r) => r.contactId))]
  const first = rows[0]?.createdAt ?? to
  for (const ids of chunks(contactIds)) {
    const all = await db.conversation.findMany({
      where: { contactId: { in: ids }, createdAt: { gte: first, lt: new Date(to.getTime() + FCR_WINDOW_MS) } },
      select: { contactId: true, intent: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    })
    for (const c of all) {
      let list = byContact.get(c.contactId)
      if (!list) byContact.set(c.contactId, (list = []))
      list.push(c)
    }
  }
  return (row) => {
    const next = byContact
      .get(row.contactId)
      ?.find((c) => c.createdAt > row.createdAt && (row.intent === null || c.intent === row.intent))
    return next?.createdAt ?? null
  }
}
