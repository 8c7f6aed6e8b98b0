import { z } from 'zod'
import type { Db } from '../storage/index.js'

/** how many conversations and tickets the history shows, newest first */
const HISTORY_LIMIT = 50
/** the first line of a conversation is cut to this many characters */
const FIRST_LINE_CHARS = 140

export const contactHistoryDto = z.object({
  conversations: z.array(
    z.object({
      id: z.string(),
      channel: z.string(),
      status: z.string().describe('bot | queued | assigned | resolved'),
      intent: z.string().nullable(),
      firstLine: z.string().nullable().describe("the customer's first message, cut to one line"),
      messageCount: z.number(),
      agentName: z.string().nullable().describe('who has it now, or who had it last'),
      createdAt: z.date(),
      lastMessageAt: z.date().nullable(),
      resolvedAt: z.date().nullable(),
      // [history:call] a voice conversation's call facts (voice/calls and voice/recordings)
      call: z
        .object({
          outcome: z
            .string()
            .nullable()
            .describe('answered | abandoned | completed | caller-hung-up | failed | interrupted'),
          ivrPath: z.array(z.string()).describe('the flow nodes the caller went through, a menu with its key (menu:2)'),
          waitMs: z.number().nullable().describe('from joining the queue to an agent answering'),
          agentName: z.string().nullable().describe('the agent who answered (the last, after a transfer)'),
          durationMs: z.number().nullable().describe('from answer to hang-up'),
          talkMs: z.number().nullable(),
          recordingIds: z.array(z.string()).describe('its recordings (GET /api/v1/recordings/{id}/audio)'),
        })
        .nullable()
        .describe('voice conversations: the call; null for other channels'),
    }),
  ),
  tickets: z.array(
    z.object({
      id: z.number(),
      subject: z.string(),
      status: z.string().describe('open | pending | resolved | closed'),
      priority: z.string().describe('low | normal | high | urgent'),
      tier: z.string(),
      category: z.string().nullable(),
      conversationId: z.string().nullable(),
      createdAt: z.date(),
      updatedAt: z.date(),
    }),
  ),
})
export type ContactHistory = z.infer<typeof contactHistoryDto>

const oneLine = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > FIRST_LINE_CHARS ? `${line.slice(0, FIRST_LINE_CHARS - 1)}…` : line
}

/** A contact's past conversations on every channel and their tickets, newest first (the customer panel). */
export async function contactHistory(db: Db, contactId: string): Promise<ContactHistory> {
  const [conversations, tickets] = await Promise.all([
    db.conversation.findMany({ where: { contactId }, orderBy: { createdAt: 'desc' }, take: HISTORY_LIMIT }),
    db.ticket.findMany({ where: { contactId }, orderBy: { createdAt: 'desc' }, take: HISTORY_LIMIT }),
  ])
  const ids = conversations.map((c) => c.id)
  const firsts = ids.length
    ? await db.message.findMany({
        where: { conversationId: { in: ids }, direction: 'inbound', body: { not: '' } },
        orderBy: [{ conversationId: 'asc' }, { seq: 'asc' }],
        distinct: ['conversationId'],
        select: { conversationId: true, body: true },
      })
    : []
  const firstLine = new Map(firsts.map((m) => [m.conversationId, oneLine(m.body)]))
  const callOf = (c: (typeof conversations)[number]) =>
    c.channel === 'voice' ? ((c.attributes ?? {}) as Record<string, unknown>) : null
  const text = (v: unknown) => (typeof v === 'string' ? v : null)
  const count = (v: unknown) => (typeof v === 'number' ? v : null)
  const agentIds = [
    ...new Set(
      conversations
        .flatMap((c) => [c.assigneeId ?? c.lastAgentId, text(callOf(c)?.agentId)])
        .filter((v): v is string => !!v),
    ),
  ]
  const voiceIds = conversations.filter((c) => c.channel === 'voice').map((c) => c.id)
  const recordings = voiceIds.length
    ? await db.callRecording.findMany({
        where: { conversationId: { in: voiceIds } },
        orderBy: { startedAt: 'asc' },
        select: { id: true, conversationId: true },
      })
    : []
  const agents = agentIds.length
    ? await db.user.findMany({ where: { id: { in: agentIds } }, select: { id: true, name: true } })
    : []
  const agentName = new Map(agents.map((a) => [a.id, a.name]))
  function callFacts(c: (typeof conversations)[number]) {
    const call = callOf(c)
    if (!call) return null
    const agentId = text(call.agentId)
    return {
      outcome: text(call.callOutcome),
      ivrPath: Array.isArray(call.ivrPath) ? call.ivrPath.filter((v): v is string => typeof v === 'string') : [],
      waitMs: count(call.waitMs),
      agentName: agentId ? (agentName.get(agentId) ?? null) : null,
      durationMs: count(call.durationMs),
      talkMs: count(call.talkMs),
      recordingIds: recordings.filter((r) => r.conversationId === c.id).map((r) => r.id),
    }
  }
  return {
    conversations: conversations.map((c) => ({
      id: c.id,
      channel: c.channel,
      status: c.status,
      intent: c.intent,
      firstLine: firstLine.get(c.id) ?? null,
      messageCount: c.messageSeq,
      agentName: agentName.get(c.assigneeId ?? c.lastAgentId ?? '') ?? null,
      createdAt: c.createdAt,
      lastMessageAt: c.lastMessageAt,
      resolvedAt: c.resolvedAt,
      call: callFacts(c),
    })),
    tickets: tickets.map((t) => ({
      id: t.id,
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      tier: t.tier,
      category: t.category,
      conversationId: t.conversationId,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    })),
  }
}
