import { z } from 'zod'
import type { Db, Prisma } from '../storage/index.js'

/**
 * One time a contact got in touch about something: a resolved conversation and/or the tickets
 * made from it, with what it was about. Times are the module's clock (scenario tests move it),
 * which is why they are kept here rather than read from rows stamped with the wall clock.
 */
export interface Occurrence {
  conversationId: string | null
  ticketIds: number[]
  /** ISO time it was seen (the clock) */
  at: string
  /** intent:<name>, category:<name> */
  keys: string[]
  /** signature words of the customer's first messages (issueTokens) */
  tokens: string[]
}

const occurrence = z.object({
  conversationId: z.string().nullable(),
  ticketIds: z.array(z.number()),
  at: z.string(),
  keys: z.array(z.string()),
  tokens: z.array(z.string()),
})
const stored = z.object({ occurrences: z.array(occurrence).catch([]) }).catch({ occurrences: [] })

/** a contact's recent contacts: one Setting row per contact, pruned to the window on every write */
const keyOf = (contactId: string) => `recurring-issues.seen:${contactId}`
/** a contact who writes in every day still keeps a small row */
const MAX_KEPT = 200

export async function readOccurrences(db: Db, contactId: string): Promise<Occurrence[]> {
  const row = await db.setting.findUnique({ where: { key: keyOf(contactId) } })
  return row ? stored.parse(row.value).occurrences : []
}

export async function writeOccurrences(db: Db, contactId: string, occurrences: Occurrence[]): Promise<void> {
  const key = keyOf(contactId)
  if (occurrences.length === 0) {
    await db.setting.deleteMany({ where: { key } })
    return
  }
  const value = { occurrences: occurrences.slice(-MAX_KEPT) } as unknown as Prisma.InputJsonObject
  await db.setting.upsert({ where: { key }, create: { key, value }, update: { value } })
}

/**
 * Adds what was seen to the log: into the entry of the same conversation (or ticket) when there
 * is one, so a conversation and the ticket made from it count once. Returns that entry.
 */
export function mergeOccurrence(log: Occurrence[], seen: Occurrence): Occurrence {
  const same = log.find(
    (o) =>
      (seen.conversationId !== null && o.conversationId === seen.conversationId) ||
      seen.ticketIds.some((id) => o.ticketIds.includes(id)),
  )
  if (!same) {
    log.push(seen)
    return seen
  }
  same.conversationId ??= seen.conversationId
  same.ticketIds = [...new Set([...same.ticketIds, ...seen.ticketIds])]
  same.keys = [...new Set([...same.keys, ...seen.keys])]
  if (seen.tokens.length > 0) same.tokens = seen.tokens
  return same
}

/** What happened in the window ending now. */
export function withinWindow(log: Occurrence[], now: Date, windowDays: number): Occurrence[] {
  const since = now.getTime() - windowDays * 86_400_000
  return log.filter((o) => new Date(o.at).getTime() >= since)
}
