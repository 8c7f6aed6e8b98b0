import type { PiiCipher } from '../pii/index.js'
import type { Db, Prisma } from '../storage/index.js'
import { inboxOrder } from './inbox-query.js'

/** How many of the newest conversations in a view a tag or name search looks through. */
export const SEARCH_WINDOW = 5_000

/**
 * The conversations of a view that carry a tag and/or match a search text: the text is looked for
 * in the messages (in the database) and in the contact's name and channel addresses. Those are
 * encrypted at rest, so they are decrypted and compared here, for the contacts of the view only:
 * a search never reveals a conversation outside the viewer's reach.
 */
export async function matchConversations(
  db: Db,
  pii: PiiCipher,
  caseInsensitive: boolean,
  base: Prisma.ConversationWhereInput,
  search: { tag?: string; q?: string },
): Promise<string[]> {
  const candidates = await db.conversation.findMany({
    where: base,
    orderBy: inboxOrder,
    take: SEARCH_WINDOW,
    select: { id: true, contactId: true, tags: true },
  })
  const tagged = search.tag
    ? candidates.filter((c) => Array.isArray(c.tags) && (c.tags as unknown[]).includes(search.tag))
    : candidates
  const q = search.q?.trim().toLowerCase()
  if (!q || tagged.length === 0) return tagged.map((c) => c.id)

  const ids = tagged.map((c) => c.id)
  const byText = await db.message.findMany({
    where: {
      conversationId: { in: ids },
      // the PostgreSQL client takes `mode`; the SQLite one (whose LIKE ignores ASCII case) has no such field
      body: (caseInsensitive
        ? { contains: search.q!.trim(), mode: 'insensitive' }
        : { contains: search.q!.trim() }) as { contains: string },
    },
    select: { conversationId: true },
    distinct: ['conversationId'],
  })
  const matched = new Set(byText.map((m) => m.conversationId))

  const contacts = await db.contact.findMany({
    where: { id: { in: [...new Set(tagged.map((c) => c.contactId))] } },
    select: { id: true, nameEnc: true, identities: { select: { addressEnc: true } } },
  })
  const contactMatches = new Set(
    contacts
      .filter((c) => {
        const name = c.nameEnc ? pii.decrypt('contact.name', c.nameEnc) : ''
        if (name.toLowerCase().includes(q)) return true
        return c.identities.some((i) => pii.decrypt('identity.address', i.addressEnc).toLowerCase().includes(q))
      })
      .map((c) => c.id),
  )
  for (const c of tagged) if (contactMatches.has(c.contactId)) matched.add(c.id)
  return tagged.filter((c) => matched.has(c.id)).map((c) => c.id)
}
