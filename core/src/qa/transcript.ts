import type { Db } from '../storage/index.js'

export type Speaker = 'agent' | 'customer' | 'bot'

/** One message of a conversation (or one utterance of a call) as the rules read it. */
export interface TranscriptLine {
  id: string
  seq: number
  speaker: Speaker
  body: string
  /** when it was said: the message's time, or the call's start plus the utterance's offset */
  at: Date
  /** for calls: when the utterance ended, if the transcript says so */
  endAt: Date | null
  /** a segment of a call recording's transcript: the recording, and where in it the segment starts (ms) */
  recordingId?: string
  offsetMs?: number
}

/** The conversation as the rules see it. */
export interface Inspection {
  conversation: {
    id: string
    channel: string
    queueId: string | null
    intent: string | null
    sentiment: string | null
    priority: number
    tags: unknown
    attributes: unknown
    createdAt: Date
    queuedAt: Date | null
    assignedAt: Date | null
    resolvedAt: Date | null
  }
  contact: { tags: unknown; attributes: unknown; language: string | null } | null
  lines: TranscriptLine[]
  isCall: boolean
}

/** The most messages one inspection reads (a conversation longer than that is inspected on its start). */
export const MAX_TRANSCRIPT = 2000

/** A phone call: its transcript is a list of utterances, with gaps that mean silence on the line. */
export function isCallChannel(channel: string): boolean {
  return channel === 'voice' || channel === 'phone' || channel.startsWith('sip')
}

type MessageRow = {
  id: string
  seq: number
  direction: string
  kind: string
  body: string
  payload: unknown
  authorUserId: string | null
  createdAt: Date
}

/**
 * Who said it: the customer (inbound), an agent (outbound with an author, or a call utterance
 * the speech plugin attributed to the agent), or the bot (other outbound). Internal notes are
 * not part of what the customer heard and are never inspected.
 */
export function speakerOf(message: Pick<MessageRow, 'direction' | 'authorUserId' | 'payload'>): Speaker | null {
  if (message.direction === 'inbound') return 'customer'
  if (message.direction !== 'outbound') return null
  const said = (message.payload as { speaker?: unknown } | null)?.speaker
  if (message.authorUserId || said === 'agent') return 'agent'
  return 'bot'
}

const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)

/**
 * When an utterance was said. A call transcript's messages may carry `payload.startMs` and
 * `payload.endMs` (milliseconds from the start of the call, as speech recognisers report them)
 * or `payload.at` (an ISO time); otherwise the message's own time counts.
 */
function timesOf(message: MessageRow, callStart: Date): { at: Date; endAt: Date | null } {
  const payload = (message.payload ?? {}) as { startMs?: unknown; endMs?: unknown; at?: unknown }
  const startMs = finite(payload.startMs)
  const endMs = finite(payload.endMs)
  if (startMs !== null)
    return {
      at: new Date(callStart.getTime() + startMs),
      endAt: endMs !== null ? new Date(callStart.getTime() + endMs) : null,
    }
  if (typeof payload.at === 'string' && !Number.isNaN(Date.parse(payload.at)))
    return { at: new Date(payload.at), endAt: null }
  return { at: message.createdAt, endAt: null }
}

export function toLines(messages: MessageRow[], callStart: Date): TranscriptLine[] {
  const lines: TranscriptLine[] = []
  for (const message of messages) {
    const speaker = speakerOf(message)
    if (!speaker || message.kind === 'note' || message.kind === 'system') continue
    lines.push({ id: message.id, seq: message.seq, speaker, body: message.body, ...timesOf(message, callStart) })
  }
  return lines
}

/** A recording's stored transcript segment (core/src/asr writes them). */
interface StoredSegment {
  speaker?: unknown
  startMs?: unknown
  endMs?: unknown
  text?: unknown
}

/**
 * A call's recorded transcripts as lines: the caller's segments are the customer's, the other
 * channel's the agent's, timed from the recording's start; numbered after the messages.
 */
export function recordingLines(
  recordings: Array<{ id: string; startedAt: Date; transcript: unknown }>,
  firstSeq: number,
): TranscriptLine[] {
  const lines: TranscriptLine[] = []
  for (const recording of recordings) {
    const segments = Array.isArray(recording.transcript) ? (recording.transcript as StoredSegment[]) : []
    segments.forEach((segment, index) => {
      const startMs = finite(segment.startMs)
      if (startMs === null || typeof segment.text !== 'string' || !segment.text.trim()) return
      const endMs = finite(segment.endMs)
      lines.push({
        id: `${recording.id}#${index}`,
        seq: 0,
        speaker: segment.speaker === 'caller' ? 'customer' : 'agent',
        body: segment.text,
        at: new Date(recording.startedAt.getTime() + startMs),
        endAt: endMs !== null ? new Date(recording.startedAt.getTime() + endMs) : null,
        recordingId: recording.id,
        offsetMs: startMs,
      })
    })
  }
  lines.sort((a, b) => a.at.getTime() - b.at.getTime())
  lines.forEach((line, i) => (line.seq = firstSeq + i))
  return lines
}

export async function readInspection(db: Db, conversationId: string): Promise<Inspection | null> {
  const conversation = await db.conversation.findUnique({ where: { id: conversationId } })
  if (!conversation) return null
  const [messages, contact] = await Promise.all([
    db.message.findMany({
      where: { conversationId, direction: { in: ['inbound', 'outbound'] } },
      orderBy: { seq: 'asc' },
      take: MAX_TRANSCRIPT,
      select: {
        id: true,
        seq: true,
        direction: true,
        kind: true,
        body: true,
        payload: true,
        authorUserId: true,
        createdAt: true,
      },
    }),
    db.contact.findUnique({
      where: { id: conversation.contactId },
      select: { tags: true, attributes: true, language: true },
    }),
  ])
  const isCall = isCallChannel(conversation.channel)
  const lines = toLines(messages, conversation.createdAt)
  if (isCall) {
    // what was said on the call, from the recordings' transcripts (speech to text)
    const recordings = await db.callRecording.findMany({
      where: { conversationId, transcribedAt: { not: null } },
      orderBy: { startedAt: 'asc' },
      select: { id: true, startedAt: true, transcript: true },
    })
    const spoken = recordingLines(recordings, (messages.at(-1)?.seq ?? 0) + 1)
    if (spoken.length > 0) lines.push(...spoken.slice(0, MAX_TRANSCRIPT))
    lines.sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq)
  }
  return { conversation, contact, lines, isCall }
}
