import type { Db } from '../storage/index.js'
import { issueTokens, jaccard } from './issue-signature.js'

/** The knowledge-base search a proposal needs (the kb service's). */
export interface ProposalKb {
  search(text: string, options?: { limit?: number }): Promise<Array<{ id: string; question: string; answer: string }>>
}

export interface Proposal {
  question: string
  answer: string
  kbEntryId: string | null
}

/** what the customer wrote first in a conversation: the problem in their words */
export async function customerWording(db: Db, conversationId: string): Promise<string | null> {
  const messages = await db.message.findMany({
    where: { conversationId, direction: 'inbound', kind: 'text' },
    orderBy: { seq: 'asc' },
    take: 3,
    select: { body: true },
  })
  const text = messages
    .map((m) => m.body.trim())
    .filter(Boolean)
    .join('\n')
  return text || null
}

/** The text most like all the others (highest average similarity); the latest on a tie. */
export function mostRepresentative(texts: readonly string[]): string {
  const tokens = texts.map(issueTokens)
  let best = 0
  let bestScore = -1
  tokens.forEach((mine, i) => {
    const others = tokens.filter((_, j) => j !== i)
    const score = others.length ? others.reduce((sum, theirs) => sum + jaccard(mine, theirs), 0) / others.length : 0
    if (score >= bestScore) {
      best = i
      bestScore = score
    }
  })
  return texts[best] ?? ''
}

/**
 * The proposed knowledge-base update for a recurring issue: the question in the customer's most
 * representative wording (their first message of each conversation, else the tickets' subjects),
 * and the answer of the closest existing entry (which it would update) or, without one, the last
 * reply an agent gave on these conversations (a new entry).
 */
export async function buildProposal(
  db: Db,
  kb: ProposalKb,
  conversationIds: string[],
  ticketIds: number[],
): Promise<Proposal> {
  const conversations = await db.conversation.findMany({
    where: { id: { in: conversationIds } },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
  })
  const firsts = await Promise.all(
    conversations.map((c) =>
      db.message.findFirst({
        where: { conversationId: c.id, direction: 'inbound', kind: 'text' },
        orderBy: { seq: 'asc' },
        select: { body: true },
      }),
    ),
  )
  let texts = firsts.flatMap((m) => (m?.body.trim() ? [m.body.trim()] : []))
  if (texts.length === 0 && ticketIds.length > 0)
    texts = (await db.ticket.findMany({ where: { id: { in: ticketIds } }, select: { subject: true } })).map(
      (t) => t.subject,
    )
  const question = mostRepresentative(texts).slice(0, 500)
  const hit = question ? (await kb.search(question, { limit: 1 }))[0] : undefined
  if (hit) return { question, answer: hit.answer, kbEntryId: hit.id }
  const reply = await db.message.findFirst({
    where: {
      conversationId: { in: conversationIds },
      direction: 'outbound',
      authorUserId: { not: null },
      kind: 'text',
    },
    orderBy: { createdAt: 'desc' },
    select: { body: true },
  })
  return { question, answer: reply?.body.slice(0, 5000) ?? '', kbEntryId: null }
}
