import type { InboundMessage } from '@switchboard/plugin-sdk'
import type { Actor, AuditLog } from '../audit/index.js'
import type { ContactsService } from '../contacts/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { FlowEngine, FlowOutput, FlowTriggers } from '../flows/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { PiiCipher } from '../pii/index.js'
import type { Db, Prisma } from '../storage/index.js'
import type { AgentUploads } from './agent-uploads.js'
import { createConversationAccess, type Viewer } from './conversation-access.js'
import { afterCursor, filterWhere, inboxOrder, scopeWhere, type InboxFilter } from './inbox-query.js'
import { inboxRows, type SlaBadges } from './inbox-rows.js'
import { matchConversations } from './inbox-search.js'
import { createReadMarks } from './read-marks.js'

/** Delivers a message to the customer on a channel; the channel's own message id, if it gives one. */
export type ChannelSender = (input: {
  channelPlugin: string
  channel: string
  to: { id: string; kind: string }
  text: string
  quickReplies?: string[]
  /** an image or file the agent attached (its URL on this server) */
  media?: { url: string; mimeType?: string }
}) => Promise<{ channelMessageId: string | null }>

/**
 * Sees a customer's text message before the bot or an agent does and may claim it for one of the
 * contact's conversations (a survey's answer goes to the resolved conversation it is about, which
 * stays resolved). `handle` runs once the message is stored, never for a duplicate.
 */
export type InboundInterceptor = (inbound: {
  contactId: string
  channel: string
  text: string
}) => Promise<{ conversationId: string; handle(messageId: string): Promise<void> } | null>

type ConversationRow = NonNullable<Awaited<ReturnType<Db['conversation']['findUnique']>>>
type MessageRow = NonNullable<Awaited<ReturnType<Db['message']['findUnique']>>>

const OPEN = ['bot', 'queued', 'assigned']
/** the job that answers an inbound message if the instance that stored it could not */
export const BOT_TAKEOVER_JOB = 'conversations.bot-takeover'

/**
 * One conversation per customer per channel while it is open: inbound messages (stored once per
 * channel message id), the bot's and agents' replies (stored, then sent on the channel), notes,
 * and the lifecycle bot → queued → assigned → resolved (→ reopened). Every change bumps the
 * conversation's version and is published on the bus.
 */
export function createConversationsService(deps: {
  db: Db
  infra: Infra
  audit: AuditLog
  logger: Logger
  contacts: ContactsService
  engine: () => FlowEngine
  triggers: () => FlowTriggers
  send: ChannelSender
  /**
   * How long the in-process bot turn for an inbound message has before a durable job takes the
   * message over (the instance died in between); tests shorten it.
   */
  botTakeoverMs?: number
  /** decrypts contact names for the inbox rows and its search */
  pii: PiiCipher
  /** PostgreSQL compares text case-sensitively unless asked; SQLite's LIKE already ignores ASCII case */
  caseInsensitiveSearch?: boolean
  /** where agents' attachments are kept; without it agents cannot attach files */
  uploads?: AgentUploads
  /** the SLA badge of each inbox row (the sla module sits above this one: bound at wiring) */
  slaBadges?: SlaBadges
}) {
  const { db, infra, logger, contacts, pii } = deps
  const access = createConversationAccess(db)
  const readMarks = createReadMarks(db)
  /** bot turns started for inbound messages and not finished yet (drained on shutdown) */
  const botWork = new Set<Promise<unknown>>()
  const botTakeoverMs = deps.botTakeoverMs ?? 120_000
  const interceptors: InboundInterceptor[] = []

  async function publish(topic: string, conversation: ConversationRow, extra: Record<string, unknown> = {}) {
    await infra.bus.publish(topic, {
      conversationId: conversation.id,
      version: conversation.version,
      status: conversation.status,
      queueId: conversation.queueId,
      assigneeId: conversation.assigneeId,
      ...extra,
    })
  }

  /** Appends a message with the next sequence number, bumping the conversation's version. */
  async function append(
    conversationId: string,
    message: Omit<Prisma.MessageUncheckedCreateInput, 'conversationId' | 'seq'>,
  ): Promise<{ message: MessageRow; conversation: ConversationRow } | 'duplicate'> {
    try {
      return await db.$transaction(async (tx) => {
        const conversation = await tx.conversation.update({
          where: { id: conversationId },
          data: { messageSeq: { increment: 1 }, version: { increment: 1 }, lastMessageAt: infra.clock.now() },
        })
        const row = await tx.message.create({ data: { ...message, conversationId, seq: conversation.messageSeq } })
        return { message: row, conversation }
      })
    } catch (error) {
      // the same channel message id again (a retry): stored once
      if ((error as { code?: string }).code === 'P2002') return 'duplicate'
      throw error
    }
  }

  async function openConversation(input: {
    contactId: string
    channel: string
    channelPlugin: string | null
    identityId: string
    /** a new conversation even when one is open on the channel (each phone call is one) */
    fresh?: boolean
  }): Promise<{ conversation: ConversationRow; created: boolean }> {
    const { fresh, ...data } = input
    const open = fresh
      ? null
      : await db.conversation.findFirst({
          where: { contactId: input.contactId, channel: input.channel, status: { in: OPEN } },
          orderBy: { createdAt: 'desc' },
        })
    if (open) return { conversation: open, created: false }
    const last = await db.conversation.findFirst({
      where: { contactId: input.contactId },
      orderBy: { createdAt: 'desc' },
      select: { lastAgentId: true },
    })
    const conversation = await db.conversation.create({
      data: { ...data, status: 'bot', lastAgentId: last?.lastAgentId ?? null },
    })
    await publish('conversation.created', conversation, { channel: input.channel, contactId: input.contactId })
    return { conversation, created: true }
  }

  /** Sends one stored outbound message on the conversation's channel and records the outcome. */
  async function deliver(conversation: ConversationRow, message: MessageRow, quickReplies?: string[]) {
    if (!conversation.channelPlugin || !conversation.identityId) return
    const to = await contacts.identityAddress(conversation.identityId)
    if (!to) return
    try {
      const sent = await deps.send({
        channelPlugin: conversation.channelPlugin,
        channel: conversation.channel,
        to: { id: to.address, kind: to.channel },
        text: message.body,
        quickReplies,
        ...(media(message) ? { media: media(message)! } : {}),
      })
      await db.message.update({
        where: { id: message.id },
        data: { status: 'sent', ...(sent.channelMessageId ? { channelMessageId: sent.channelMessageId } : {}) },
      })
    } catch (error) {
      logger.warn({ err: error, conversationId: conversation.id }, 'a reply could not be delivered on its channel')
      // the channel's answer is kept beside the message, so the thread can say why it failed
      const payload = { ...((message.payload ?? {}) as Record<string, unknown>), error: (error as Error).message }
      await db.message.update({
        where: { id: message.id },
        data: { status: 'failed', payload: payload as Prisma.InputJsonObject },
      })
      await publish('conversation.message.failed', conversation, {
        messageId: message.id,
        error: (error as Error).message,
      })
    }
  }

  /** The attachment an outbound message carries, if any. */
  function media(message: MessageRow): { url: string; mimeType?: string } | null {
    const m = (message.payload as { media?: { url?: unknown; mimeType?: unknown } } | null)?.media
    return m && typeof m.url === 'string'
      ? { url: m.url, ...(typeof m.mimeType === 'string' ? { mimeType: m.mimeType } : {}) }
      : null
  }

  async function get(id: string): Promise<ConversationRow> {
    const row = await db.conversation.findUnique({ where: { id } })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No conversation ${id}`, { status: 404 })
    return row
  }

  /** Hands an inbound customer message to the bot: the run waiting for input, or the channel's entry flow. */
  async function toBot(conversation: ConversationRow, message: MessageRow, created: boolean) {
    const eventKey = `message:${message.id}`
    const waiting = await db.flowRun.findFirst({
      where: { conversationId: conversation.id, status: 'waiting' },
      orderBy: { startedAt: 'desc' },
    })
    if (waiting) return deps.engine().deliver(waiting.id, { kind: 'input', text: message.body }, { eventKey })
    if (!created && conversation.status !== 'bot') return null
    return deps.triggers().startForNewConversation({
      channel: conversation.channel,
      conversationId: conversation.id,
      text: message.body,
      eventKey,
    })
  }

  /**
   * The durable side of "the bot answers right after the acknowledgement": a job, keyed by the
   * message, that hands the message to the bot if the instance that stored it died before its
   * bot turn finished. The turn's event key (`message:<id>`) makes a second delivery a no-op, so a
   * crash after the turn but before the job was cancelled costs nothing.
   */
  infra.scheduler.define(BOT_TAKEOVER_JOB, async (job) => {
    const { messageId, created } = job.payload as { messageId: string; created: boolean }
    const message = await db.message.findUnique({ where: { id: messageId } })
    if (!message) return
    const conversation = await db.conversation.findUnique({ where: { id: message.conversationId } })
    if (!conversation || (conversation.status !== 'bot' && !created)) return
    await toBot(conversation, message, created)
  })

  /** Starts the bot's turn for a stored inbound message now, with the takeover job as its safety net. */
  async function answerLater(conversation: ConversationRow, message: MessageRow, created: boolean) {
    const key = `bot-turn:${message.id}`
    await infra.scheduler.schedule({
      type: BOT_TAKEOVER_JOB,
      key,
      runAt: botTakeoverMs,
      payload: { messageId: message.id, created },
      maxAttempts: 3,
    })
    const work: Promise<unknown> = toBot(conversation, message, created)
      .then(() => infra.scheduler.cancel(key))
      .catch((error: unknown) =>
        logger.error(
          { err: error, conversationId: conversation.id },
          'the bot could not take the message; the takeover job retries it',
        ),
      )
      .finally(() => botWork.delete(work))
    botWork.add(work)
  }

  /** The users a note mentions: active ones only; 400 naming an unknown id. */
  async function mentionable(ids: string[]): Promise<Array<{ id: string; name: string }>> {
    const unique = [...new Set(ids)]
    const users = await db.user.findMany({
      where: { id: { in: unique }, active: true },
      select: { id: true, name: true },
    })
    const unknown = unique.filter((id) => !users.some((u) => u.id === id))
    if (unknown.length)
      throw userError(ErrorCode.VALIDATION, `mentions: no active user ${unknown.join(', ')}`, {
        details: [{ path: 'mentions', message: `no active user ${unknown.join(', ')}` }],
      })
    return users
  }

  /** The first interceptor that claims an inbound message; a failing one is logged and passed over. */
  async function claimInbound(contactId: string, channel: string, text: string) {
    for (const intercept of interceptors) {
      const claim = await intercept({ contactId, channel, text }).catch((error: unknown) => {
        logger.error({ err: error, contactId }, 'an inbound interceptor failed; the message goes on as usual')
        return null
      })
      if (claim) return claim
    }
    return null
  }

  /** The conversation, if this viewer may see it (403 otherwise). */
  async function visible(viewer: Viewer, id: string): Promise<ConversationRow> {
    const row = await get(id)
    await access.require(viewer, row)
    return row
  }

  return {
    get,
    visible,

    /** Registers an interceptor of inbound text messages (at wiring; see InboundInterceptor). */
    interceptInbound(interceptor: InboundInterceptor): void {
      interceptors.push(interceptor)
    },

    /** Waits for the bot turns still running (graceful shutdown, tests). */
    async drain(): Promise<void> {
      while (botWork.size > 0) await Promise.allSettled([...botWork])
    },

    /**
     * A customer's message from a channel: the contact by identity (created on first contact), the
     * open conversation (or a new one), the message stored once, then the bot if it is the bot's turn.
     */
    async receive(input: {
      channelPlugin: string | null
      channel: string
      identityKind: string
      message: InboundMessage
      /**
       * Which conversation it belongs to: by default the contact's open one on the channel (or a
       * new one); `new` starts one (a phone call); an id continues that one (the call's keys).
       */
      conversation?: 'new' | { id: string }
    }): Promise<{ conversationId: string; messageId: string | null; duplicate: boolean }> {
      const { message } = input
      const { contact, identityId } = await contacts.findOrCreateByIdentity(
        input.identityKind,
        message.from.id,
        message.from.name,
        message.from.language,
      )
      const claim =
        message.kind === 'text' && message.text ? await claimInbound(contact.id, input.channel, message.text) : null
      const target = input.conversation
      const { conversation, created } = claim
        ? { conversation: await get(claim.conversationId), created: false }
        : target && target !== 'new'
          ? { conversation: await get(target.id), created: false }
          : await openConversation({
              contactId: contact.id,
              channel: input.channel,
              channelPlugin: input.channelPlugin,
              identityId,
              fresh: target === 'new',
            })
      const text = message.text ?? (message.event ? `[${message.event}]` : `[${message.kind}]`)
      const appended = await append(conversation.id, {
        channel: input.channel,
        channelMessageId: message.channelMessageId,
        direction: 'inbound',
        kind: message.kind === 'text' ? 'text' : message.kind === 'event' ? 'system' : 'media',
        body: text,
        payload: { media: message.media ?? null, event: message.event ?? null, receivedAt: message.receivedAt },
        status: 'received',
      })
      if (appended === 'duplicate') return { conversationId: conversation.id, messageId: null, duplicate: true }
      await publish('conversation.message.created', appended.conversation, {
        messageId: appended.message.id,
        seq: appended.message.seq,
        direction: 'inbound',
      })
      if (claim) await claim.handle(appended.message.id)
      else if (appended.conversation.status === 'bot' || created) {
        // the message is stored: the channel may acknowledge now; the bot answers right after
        await answerLater(appended.conversation, appended.message, created)
      }
      return { conversationId: conversation.id, messageId: appended.message.id, duplicate: false }
    },

    /** What a conversation's flow said: stored as the bot's messages and sent on the channel. */
    async deliverFlowOutputs(conversationId: string, outputs: FlowOutput[]): Promise<void> {
      for (const output of outputs) {
        if (output.kind !== 'message' || typeof output.text !== 'string') continue
        const quickReplies = Array.isArray(output.quickReplies) ? (output.quickReplies as string[]) : undefined
        const conversation = await get(conversationId)
        const appended = await append(conversationId, {
          channel: conversation.channel,
          direction: 'outbound',
          kind: 'text',
          body: output.text,
          payload: { by: 'bot', quickReplies: quickReplies ?? [] },
          status: 'pending',
        })
        if (appended === 'duplicate') continue
        await publish('conversation.message.created', appended.conversation, {
          messageId: appended.message.id,
          seq: appended.message.seq,
          direction: 'outbound',
          by: 'bot',
        })
        await deliver(appended.conversation, appended.message, quickReplies)
      }
    },

    /** An agent's reply (sent to the customer) or internal note (kept in the thread, never sent). */
    async post(
      actor: Actor,
      id: string,
      input: { text: string; internal: boolean; mentions?: string[] },
      viewer?: Viewer,
    ) {
      const conversation = await get(id)
      const mentions = input.internal && input.mentions?.length ? await mentionable(input.mentions) : []
      const appended = await append(id, {
        channel: conversation.channel,
        direction: input.internal ? 'internal' : 'outbound',
        kind: input.internal ? 'note' : 'text',
        body: input.text,
        authorUserId: actor.userId,
        payload: mentions.length ? { by: 'agent', mentions } : { by: 'agent' },
        status: input.internal ? 'received' : 'pending',
      })
      if (appended === 'duplicate') throw new Error('unreachable: agent messages have no channel id')
      await publish('conversation.message.created', appended.conversation, {
        messageId: appended.message.id,
        seq: appended.message.seq,
        direction: appended.message.direction,
        by: 'agent',
        ...(mentions.length ? { mentions: mentions.map((m) => m.id) } : {}),
      })
      if (!input.internal) await deliver(appended.conversation, appended.message)
      // the writer has read everything up to their own message
      if (viewer) await readMarks.markRead(viewer.userId, id, appended.message.seq)
      return db.message.findUniqueOrThrow({ where: { id: appended.message.id } })
    },

    /** An agent's image or file: stored where the channel serves uploads, then sent like a reply. */
    async attach(actor: Actor, viewer: Viewer, id: string, file: { mimeType: string; name: string; data: Buffer }) {
      const conversation = await visible(viewer, id)
      if (!deps.uploads)
        throw userError(ErrorCode.CONFLICT, 'Attachments are not set up on this server', { status: 409 })
      const stored = await deps.uploads.store(conversation.channelPlugin, file.mimeType, file.data)
      const label = stored.mimeType.startsWith('image/') ? 'image' : 'file'
      const appended = await append(id, {
        channel: conversation.channel,
        direction: 'outbound',
        kind: 'media',
        body: `[${label}] ${file.name}`,
        authorUserId: actor.userId,
        payload: {
          by: 'agent',
          media: { url: stored.url, mimeType: stored.mimeType, name: file.name, size: stored.size },
        },
        status: 'pending',
      })
      if (appended === 'duplicate') throw new Error('unreachable: agent messages have no channel id')
      await publish('conversation.message.created', appended.conversation, {
        messageId: appended.message.id,
        seq: appended.message.seq,
        direction: 'outbound',
        by: 'agent',
      })
      await deliver(appended.conversation, appended.message)
      await readMarks.markRead(viewer.userId, id, appended.message.seq)
      return db.message.findUniqueOrThrow({ where: { id: appended.message.id } })
    },

    async messages(id: string, options: { afterSeq?: number; limit: number }) {
      await get(id)
      return db.message.findMany({
        where: { conversationId: id, seq: { gt: options.afterSeq ?? 0 } },
        orderBy: { seq: 'asc' },
        take: options.limit,
      })
    },

    /**
     * An inbox page: the viewer's view (their own, their queues', or all for supervisors), filters,
     * a search, in order of latest activity, each row with its contact, last message and unread
     * count; `cursor` (from the last row) gives the next page.
     */
    async list(filter: InboxFilter, viewer?: Viewer) {
      const scope = viewer ?? { userId: null, supervisor: true }
      const myQueues =
        !viewer || (viewer.supervisor && filter.view !== 'queues') ? [] : await access.queuesOf(viewer.userId)
      const base: Prisma.ConversationWhereInput = {
        AND: [viewer ? scopeWhere(viewer, filter.view, myQueues) : {}, ...filterWhere(filter)],
      }
      const and: Prisma.ConversationWhereInput[] = [base]
      if (filter.tag || filter.q?.trim()) {
        const ids = await matchConversations(db, pii, deps.caseInsensitiveSearch ?? false, base, filter)
        and.push({ id: { in: ids } })
      }
      if (filter.cursor) and.push(afterCursor(filter.cursor))
      const page = await db.conversation.findMany({ where: { AND: and }, orderBy: inboxOrder, take: filter.limit })
      return inboxRows(db, pii, scope.userId, page, deps.slaBadges)
    },

    /** The inbox's views with their open and unread counts, and the queues (for transfers; `member`: mine). */
    async inbox(viewer: Viewer) {
      const myQueues = await access.queuesOf(viewer.userId)
      const [views, queues] = await Promise.all([
        readMarks.viewCounts(viewer, myQueues),
        db.queue.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
      ])
      const mine = new Set(myQueues)
      return { views, queues: queues.map((q) => ({ ...q, member: mine.has(q.id) })) }
    },

    /** The viewer has read the thread up to `seq` (its last message when not given). */
    async markRead(viewer: Viewer, id: string, seq?: number): Promise<{ lastReadSeq: number }> {
      const conversation = await visible(viewer, id)
      const upTo = Math.min(seq ?? conversation.messageSeq, conversation.messageSeq)
      return { lastReadSeq: await readMarks.markRead(viewer.userId, id, upTo) }
    },

    /** Someone is typing: published for the widget and the consoles, never stored. */
    async typing(id: string, from: 'agent' | 'visitor'): Promise<void> {
      await get(id)
      await infra.bus.publish('conversation.typing', { conversationId: id, from })
    },

    /** Merges custom attributes (e.g. the visitor's rating) into the conversation, as one version. */
    async setAttributes(id: string, attributes: Record<string, unknown>): Promise<ConversationRow> {
      const current = await get(id)
      const merged = { ...((current.attributes ?? {}) as Record<string, unknown>), ...attributes }
      const saved = await db.conversation.update({
        where: { id },
        data: { attributes: merged as Prisma.InputJsonObject, version: { increment: 1 } },
      })
      await publish('conversation.updated', saved, { contactId: saved.contactId, channel: saved.channel, attributes })
      return saved
    },

    /**
     * How the customer sounds: the column escalation rules and lists read. `by` says who read it
     * (kept in attributes.sentimentBy: a word-list reading never overrides a flow's or plugin's).
     */
    async setSentiment(
      id: string,
      sentiment: 'negative' | 'neutral' | 'positive',
      by: string,
    ): Promise<ConversationRow> {
      const current = await get(id)
      const attributes = { ...((current.attributes ?? {}) as Record<string, unknown>), sentimentBy: by }
      const saved = await db.conversation.update({
        where: { id },
        data: { sentiment, attributes: attributes as Prisma.InputJsonObject, version: { increment: 1 } },
      })
      await publish('conversation.updated', saved, {
        contactId: saved.contactId,
        channel: saved.channel,
        sentiment,
        previousSentiment: current.sentiment,
      })
      return saved
    },

    /** Resolve or reopen; tags and priority. Each change is one version. */
    async update(
      actor: Actor,
      id: string,
      change: { status?: 'resolved' | 'open'; tags?: string[]; priority?: number },
    ): Promise<ConversationRow> {
      const current = await get(id)
      const data: Prisma.ConversationUncheckedUpdateInput = { version: { increment: 1 } }
      if (change.tags) data.tags = change.tags
      if (change.priority !== undefined) data.priority = change.priority
      if (change.status === 'resolved') {
        data.status = 'resolved'
        data.resolvedAt = infra.clock.now()
        data.lastAgentId = current.assigneeId ?? current.lastAgentId
        data.assigneeId = null
      }
      if (change.status === 'open' && current.status === 'resolved') {
        data.status = current.lastAgentId ? 'queued' : 'bot'
        data.resolvedAt = null
        data.queuedAt = current.lastAgentId ? infra.clock.now() : null
      }
      const saved = await db.conversation.update({ where: { id }, data })
      await deps.audit.record(actor, {
        action: 'conversation.updated',
        targetType: 'conversation',
        targetId: id,
        details: { status: change.status ?? null, tags: change.tags ?? null, priority: change.priority ?? null },
      })
      const topic =
        change.status === 'resolved'
          ? 'conversation.resolved'
          : change.status === 'open' && current.status === 'resolved'
            ? 'conversation.reopened'
            : 'conversation.updated'
      await publish(topic, saved, { contactId: saved.contactId, channel: saved.channel })
      return saved
    },
  }
}
export type ConversationsService = ReturnType<typeof createConversationsService>
