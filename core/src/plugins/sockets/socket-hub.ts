import { LRUCache } from 'lru-cache'
import type { WebSocket } from 'ws'
import type { ContactsService } from '../../contacts/index.js'
import type { ConversationsService } from '../../conversations/index.js'
import type { EventBus } from '../../infra/index.js'
import type { Logger } from '../../logger.js'
import type { Db } from '../../storage/index.js'
import type { PluginsService } from '../plugins-service.js'
import { clientFrame, toMessageFrame, type ClientFrame } from './socket-frames.js'

/** One open widget socket, after the plugin accepted it. */
export interface SocketConnection {
  ws: WebSocket
  plugin: string
  socket: string
  channel: string
  identityKind: string
  visitorId: string
  name?: string
  /** the language the widget showed on connect (BCP 47), if it said */
  language?: string
  /** frames left in the current window (a flood is cut off, not queued) */
  budget: number
  lastTypingAt: number
}

const RESUME_PAGE = 200
const RESUME_MAX = 5000
const FRAMES_PER_WINDOW = 30
const WINDOW_MS = 10_000
const TYPING_EVERY_MS = 2000
const key = (plugin: string, visitorId: string) => `${plugin}\u0000${visitorId}`

/**
 * The host side of plugin sockets, the same for every channel: which visitor has which sockets
 * open on this instance, the stored messages pushed to them as they are created (every instance
 * hears the bus, each pushes to its own sockets), resume from a sequence number, acks, typing and
 * ratings. Only a visitor's message goes through the plugin, which turns it into an inbound
 * channel message; so a message is stored once (by its widget id) and reaches the widget once
 * per socket, with its `seq`, however often the socket dropped.
 */
export function createSocketHub(deps: {
  db: Db
  bus: EventBus
  contacts: ContactsService
  conversations: ConversationsService
  plugins: PluginsService
  logger: Logger
}) {
  const { db, bus, contacts, conversations, plugins, logger } = deps
  const open = new Map<string, Set<SocketConnection>>()
  // conversation → the visitor it belongs to ('' when not a socket channel's)
  const owners = new LRUCache<string, string>({ max: 10_000 })
  const unsubscribe: Array<() => Promise<void> | void> = []
  const timer = setInterval(() => {
    for (const set of open.values()) for (const c of set) c.budget = FRAMES_PER_WINDOW
  }, WINDOW_MS)
  timer.unref()

  function sendTo(c: SocketConnection, frame: unknown) {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(JSON.stringify(frame))
  }

  async function ownerOf(conversationId: string): Promise<string> {
    const cached = owners.get(conversationId)
    if (cached !== undefined) return cached
    const row = await db.conversation.findUnique({
      where: { id: conversationId },
      select: { channelPlugin: true, identityId: true },
    })
    let owner = ''
    if (row?.channelPlugin && row.identityId && plugins.loadedManifest(row.channelPlugin)?.permissions.sockets.length) {
      const address = await contacts.identityAddress(row.identityId)
      if (address) owner = key(row.channelPlugin, address.address)
    }
    owners.set(conversationId, owner)
    return owner
  }

  async function toVisitor(conversationId: string, frame: () => Promise<unknown>) {
    const owner = await ownerOf(conversationId)
    const sockets = owner ? open.get(owner) : undefined
    if (!sockets || sockets.size === 0) return
    const value = await frame()
    if (value) for (const c of sockets) sendTo(c, value)
  }

  /** The visitor's latest conversation on this plugin's channel, if they ever wrote. */
  async function latestConversation(c: SocketConnection) {
    const contact = await contacts.findByIdentity(c.identityKind, c.visitorId)
    if (!contact) return null
    return db.conversation.findFirst({
      where: { contactId: contact.id, channelPlugin: c.plugin },
      orderBy: { createdAt: 'desc' },
      select: { id: true, status: true, attributes: true },
    })
  }

  async function resume(c: SocketConnection, afterSeq: number) {
    const conversation = await latestConversation(c)
    if (!conversation) return sendTo(c, { type: 'synced', conversationId: null, status: null, lastSeq: 0 })
    owners.set(conversation.id, key(c.plugin, c.visitorId))
    let after = afterSeq
    for (let sent = 0; sent < RESUME_MAX; sent += RESUME_PAGE) {
      const rows = await conversations.messages(conversation.id, { afterSeq: after, limit: RESUME_PAGE })
      for (const row of rows) {
        const frame = toMessageFrame(row)
        if (frame) sendTo(c, frame)
        after = row.seq
      }
      if (rows.length < RESUME_PAGE) break
    }
    const rated = (conversation.attributes as { rating?: unknown } | null)?.rating !== undefined
    sendTo(c, { type: 'synced', conversationId: conversation.id, status: conversation.status, rated, lastSeq: after })
  }

  async function onFrame(c: SocketConnection, frame: ClientFrame) {
    switch (frame.type) {
      case 'resume':
        return resume(c, frame.afterSeq)
      case 'ack': {
        const conversation = await latestConversation(c)
        if (!conversation) return
        await db.message.updateMany({
          where: { conversationId: conversation.id, direction: 'outbound', status: 'sent', seq: { lte: frame.seq } },
          data: { status: 'delivered' },
        })
        return
      }
      case 'typing': {
        if (Date.now() - c.lastTypingAt < TYPING_EVERY_MS) return
        c.lastTypingAt = Date.now()
        const conversation = await latestConversation(c)
        if (conversation) await conversations.typing(conversation.id, 'visitor')
        return
      }
      case 'rate': {
        const conversation = await latestConversation(c)
        if (!conversation || conversation.status !== 'resolved')
          return sendTo(c, { type: 'error', reason: 'only a resolved conversation can be rated' })
        await conversations.setAttributes(conversation.id, {
          rating: frame.stars,
          ...(frame.comment ? { ratingComment: frame.comment } : {}),
        })
        return sendTo(c, { type: 'rated', conversationId: conversation.id, stars: frame.stars })
      }
      case 'message': {
        const answer = await plugins.socket(c.plugin, c.socket, {
          type: 'frame',
          visitorId: c.visitorId,
          name: c.name,
          language: c.language,
          frame,
        })
        if (typeof answer.reason === 'string') return sendTo(c, { type: 'error', id: frame.id, reason: answer.reason })
        return sendTo(c, { type: 'ack', id: frame.id })
      }
    }
  }

  return {
    async start() {
      unsubscribe.push(
        await bus.subscribe('conversation.message.created', async (event) => {
          const { conversationId, messageId } = event as { conversationId: string; messageId: string }
          await toVisitor(conversationId, async () => {
            const row = await db.message.findUnique({ where: { id: messageId } })
            return row ? toMessageFrame(row) : null
          })
        }),
        await bus.subscribe('conversation.typing', async (event) => {
          const { conversationId, from } = event as { conversationId: string; from: string }
          if (from !== 'visitor') await toVisitor(conversationId, async () => ({ type: 'typing', from }))
        }),
      )
      for (const topic of ['conversation.resolved', 'conversation.reopened'])
        unsubscribe.push(
          await bus.subscribe(topic, async (event) => {
            const { conversationId, status } = event as { conversationId: string; status: string }
            await toVisitor(conversationId, async () => ({ type: 'status', conversationId, status }))
          }),
        )
    },

    async stop() {
      clearInterval(timer)
      for (const u of unsubscribe.splice(0)) await u()
      for (const set of open.values()) for (const c of set) c.ws.close(1001, 'server stopping')
    },

    /** Keeps an accepted socket: its frames are read, checked and answered until it closes. */
    attach(c: SocketConnection, settings: Record<string, unknown>) {
      const k = key(c.plugin, c.visitorId)
      const set = open.get(k) ?? new Set()
      set.add(c)
      open.set(k, set)
      let alive = true
      const ping = setInterval(() => {
        if (!alive) return c.ws.terminate()
        alive = false
        c.ws.ping()
      }, 30_000)
      ping.unref()
      c.ws.on('pong', () => (alive = true))
      c.ws.on('close', () => {
        clearInterval(ping)
        set.delete(c)
        if (set.size === 0) open.delete(k)
      })
      c.ws.on('message', (data, isBinary) => {
        if (isBinary || c.budget-- <= 0) return sendTo(c, { type: 'error', reason: 'too many frames: slow down' })
        let parsed: ReturnType<typeof clientFrame.safeParse>
        try {
          parsed = clientFrame.safeParse(JSON.parse(String(data)))
        } catch {
          return sendTo(c, { type: 'error', reason: 'a frame is one JSON object' })
        }
        if (!parsed.success) return sendTo(c, { type: 'error', reason: parsed.error.issues[0]?.message ?? 'bad frame' })
        const frame = parsed.data
        onFrame(c, frame).catch((error: unknown) => {
          logger.warn({ err: error, plugin: c.plugin }, 'a socket frame failed')
          sendTo(c, { type: 'error', id: frame.type === 'message' ? frame.id : undefined, reason: 'try again' })
        })
      })
      sendTo(c, { type: 'welcome', visitorId: c.visitorId, settings })
    },

    /** how many sockets are open on this instance (metrics, tests) */
    get size() {
      let n = 0
      for (const set of open.values()) n += set.size
      return n
    },
  }
}
export type SocketHub = ReturnType<typeof createSocketHub>
