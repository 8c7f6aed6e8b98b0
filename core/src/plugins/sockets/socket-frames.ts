import { z } from 'zod'
import type { MessageFrame } from './message-frame.js'

/**
 * The frames a widget sends over a plugin socket. The host handles `resume`, `ack`, `typing` and
 * `rate` itself (the same for every channel); anything else (a message) goes to the plugin.
 */
export const clientFrame = z.discriminatedUnion('type', [
  /** send me what I missed: every message after this sequence number */
  z.strictObject({ type: z.literal('resume'), afterSeq: z.number().int().min(0) }),
  /** I have shown everything up to this sequence number */
  z.strictObject({ type: z.literal('ack'), seq: z.number().int().min(1) }),
  z.strictObject({ type: z.literal('typing') }),
  /** 1–5 stars for a resolved conversation */
  z.strictObject({
    type: z.literal('rate'),
    stars: z.number().int().min(1).max(5),
    comment: z.string().max(1000).optional(),
  }),
  /** a visitor's message; `id` is the widget's own id, so a resend after a reconnect is stored once */
  z.strictObject({
    type: z.literal('message'),
    id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    text: z.string().max(5000).optional(),
    media: z
      .strictObject({ url: z.string().max(500), mimeType: z.string().max(100), name: z.string().max(200).optional() })
      .optional(),
    form: z.record(z.string().max(50), z.string().max(2000)).optional(),
  }),
])
export type ClientFrame = z.infer<typeof clientFrame>

export type { MessageFrame } from './message-frame.js'

/** A stored message row, as much of it as the widget needs. */
export interface MessageRowLike {
  id: string
  conversationId: string
  seq: number
  direction: string
  kind: string
  body: string
  channelMessageId: string | null
  payload: unknown
  createdAt: Date
}

/** Turns a stored message into the frame the widget gets; internal notes never leave. */
export function toMessageFrame(row: MessageRowLike): MessageFrame | null {
  if (row.direction !== 'inbound' && row.direction !== 'outbound') return null
  const payload = (row.payload ?? {}) as { by?: string; quickReplies?: unknown; media?: MessageFrame['media'] }
  return {
    type: 'message',
    conversationId: row.conversationId,
    seq: row.seq,
    id: row.id,
    direction: row.direction,
    kind: row.kind,
    text: row.body,
    by: row.direction === 'inbound' ? 'visitor' : payload.by === 'agent' ? 'agent' : 'bot',
    quickReplies: Array.isArray(payload.quickReplies) ? payload.quickReplies.map(String) : [],
    media: payload.media ?? null,
    at: row.createdAt.toISOString(),
    ref: row.direction === 'inbound' ? row.channelMessageId : null,
  }
}
