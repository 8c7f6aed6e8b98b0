import type { Db, Prisma } from '../storage/index.js'

type Tx = Prisma.TransactionClient
type CallbackRow = NonNullable<Awaited<ReturnType<Db['callback']['findUnique']>>>
export type ConversationRow = NonNullable<Awaited<ReturnType<Db['conversation']['findUnique']>>>

const OPEN = ['bot', 'queued', 'assigned']

/** A voice callback is worked on a voice conversation; a message one on the customer's messaging channel. */
export function channelFits(mode: string, channel: string): boolean {
  const voice = channel === 'voice' || channel === 'phone' || channel.startsWith('sip')
  return mode === 'voice' ? voice : !voice
}

export interface Placement {
  conversation: ConversationRow
  /** it did not exist before */
  created: boolean
  /** it was resolved and is open again */
  reopened: boolean
}

/**
 * Where a due callback waits for an agent, inside the transaction that marks it due: its own
 * conversation when it has one on a fitting channel (a chat callback: back into the queue; one
 * still with an agent stays with them), else the contact's open conversation on the channel, else a
 * new one. It joins the queue at `queuedAt` (the caller's original place for a queue offer), so the
 * ACD ranks it like any waiting conversation.
 */
export async function placeInQueue(
  tx: Tx,
  callback: CallbackRow,
  queueId: string,
  queuedAt: Date,
): Promise<Placement | { unplaceable: string }> {
  const own = callback.conversationId
    ? await tx.conversation.findUnique({ where: { id: callback.conversationId } })
    : null
  if (own && channelFits(callback.mode, own.channel)) return requeue(tx, own, callback, queueId, queuedAt)
  const target = await channelFor(tx, callback)
  if ('unplaceable' in target) return target
  const open = await tx.conversation.findFirst({
    where: { contactId: callback.contactId!, channel: target.channel, status: { in: OPEN } },
    orderBy: { createdAt: 'desc' },
  })
  if (open) return requeue(tx, open, callback, queueId, queuedAt)
  const last = await tx.conversation.findFirst({
    where: { contactId: callback.contactId! },
    orderBy: { createdAt: 'desc' },
    select: { lastAgentId: true },
  })
  const conversation = await tx.conversation.create({
    data: {
      contactId: callback.contactId!,
      channel: target.channel,
      channelPlugin: target.channelPlugin,
      identityId: target.identityId,
      status: 'queued',
      queueId,
      queuedAt,
      priority: callback.priority,
      attributes: { callbackId: callback.id },
      lastAgentId: last?.lastAgentId ?? null,
    },
  })
  return { conversation, created: true, reopened: false }
}

/** Puts an existing conversation (back) in line for the callback; one an agent holds stays theirs. */
async function requeue(
  tx: Tx,
  conversation: ConversationRow,
  callback: CallbackRow,
  queueId: string,
  queuedAt: Date,
): Promise<Placement> {
  const attributes = { ...((conversation.attributes ?? {}) as Record<string, unknown>), callbackId: callback.id }
  if (conversation.status === 'assigned') {
    const kept = await tx.conversation.update({
      where: { id: conversation.id },
      data: { attributes: attributes as Prisma.InputJsonObject, version: { increment: 1 } },
    })
    return { conversation: kept, created: false, reopened: false }
  }
  // already waiting in that queue: it keeps the better of the two places
  const keeps = conversation.status === 'queued' && conversation.queueId === queueId && conversation.queuedAt
  const placed = await tx.conversation.update({
    where: { id: conversation.id },
    data: {
      status: 'queued',
      queueId,
      queuedAt: keeps && conversation.queuedAt! < queuedAt ? conversation.queuedAt : queuedAt,
      priority: callback.priority,
      assigneeId: null,
      resolvedAt: null,
      attributes: attributes as Prisma.InputJsonObject,
      version: { increment: 1 },
    },
  })
  return { conversation: placed, created: false, reopened: conversation.status === 'resolved' }
}

/** The channel a new conversation for the callback goes on. */
async function channelFor(
  tx: Tx,
  callback: CallbackRow,
): Promise<{ channel: string; channelPlugin: string | null; identityId: string | null } | { unplaceable: string }> {
  if (!callback.contactId) return { unplaceable: 'the callback has no contact' }
  if (callback.mode === 'voice') {
    const identity = await tx.contactIdentity.findFirst({
      where: { contactId: callback.contactId, channel: 'phone' },
      select: { id: true },
    })
    return { channel: 'voice', channelPlugin: null, identityId: identity?.id ?? null }
  }
  const last = await tx.conversation.findFirst({
    where: { contactId: callback.contactId, NOT: { channel: { in: ['voice', 'phone'] } } },
    orderBy: { createdAt: 'desc' },
  })
  if (!last) return { unplaceable: 'the customer has no messaging channel to answer on' }
  return { channel: last.channel, channelPlugin: last.channelPlugin, identityId: last.identityId }
}

/** The customer's messaging channel, for checking a message-mode callback when it is made. */
export async function hasMessagingChannel(db: Db, contactId: string, conversationId: string | null): Promise<boolean> {
  if (conversationId) {
    const own = await db.conversation.findUnique({ where: { id: conversationId }, select: { channel: true } })
    if (own && channelFits('message', own.channel)) return true
  }
  const any = await db.conversation.findFirst({
    where: { contactId, NOT: { channel: { in: ['voice', 'phone'] } } },
    select: { id: true },
  })
  return any !== null
}
