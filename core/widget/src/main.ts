import { ChatState } from './chat-state.js'
import { Connection } from './connection.js'
import { wordsFor } from './i18n.js'
import type { Pending, ServerFrame } from './protocol.js'
import { ChatView } from './view.js'

const MAX_FILE_BYTES = 5 * 1024 * 1024

function randomId(length = 22): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'
  return Array.from(bytes, (b) => alphabet[b & 63]).join('')
}

function visitorId(key: string): string {
  try {
    const known = localStorage.getItem(key)
    if (known && /^[A-Za-z0-9_-]{16,64}$/.test(known)) return known
    const id = randomId()
    localStorage.setItem(key, id)
    return id
  } catch {
    return randomId()
  }
}

/**
 * The web chat widget: `<script src="https://support.example.com/widget.js" data-channel="channel-webchat">`.
 * Options (data attributes): channel (the plugin), socket (default chat), lang (zh-CN or en),
 * user-id, user-name and user-signature (a verified visitor), open (start opened).
 */
function start(script: HTMLScriptElement) {
  const data = script.dataset
  const base = new URL(script.src, location.href).origin
  const plugin = data.channel ?? 'channel-webchat'
  const socket = data.socket ?? 'chat'
  const { lang, words } = wordsFor(data.lang ?? navigator.language ?? 'en')
  const prefix = `sb-chat:${plugin}:${socket}`
  const visitor = visitorId(`${prefix}:visitor`)
  const state = new ChatState(`${prefix}:state`)

  // the language the widget shows goes with the connection: the bot answers in it (docs/channels.md)
  const query = new URLSearchParams({ visitor, lang })
  if (data.userId && data.userSignature) {
    query.set('uid', data.userId)
    query.set('usig', data.userSignature)
    if (data.userName) query.set('uname', data.userName)
  }
  const wsUrl = `${base.replace(/^http/, 'ws')}/hooks/${plugin}/ws/${socket}?${query}`
  let ackTimer: ReturnType<typeof setTimeout> | null = null
  let lastTyping = 0

  const sendPending = (p: Pending) => {
    const frame = { type: 'message', id: p.id, text: p.text, media: p.media, form: p.form }
    connection.send(frame)
  }
  const queue = (p: Omit<Pending, 'id'>) => {
    const pending = { id: randomId(16), ...p }
    state.pending.push(pending)
    state.save()
    view.render(state)
    sendPending(pending)
  }
  const ackSoon = () => {
    if (ackTimer) return
    ackTimer = setTimeout(() => {
      ackTimer = null
      if (state.lastSeq > 0) connection.send({ type: 'ack', seq: state.lastSeq })
    }, 300)
  }

  const view = new ChatView(document.body.appendChild(document.createElement('switchboard-chat')), words, lang, base, {
    send: (text) => queue({ text }),
    submitForm: (form) => queue({ form }),
    typing: () => {
      if (Date.now() - lastTyping < 2000) return
      lastTyping = Date.now()
      connection.send({ type: 'typing' })
    },
    rate: (stars) => connection.send({ type: 'rate', stars }),
    opened: () => ackSoon(),
    attach: async (file) => {
      if (file.size > MAX_FILE_BYTES) return alert(words.tooLarge)
      const response = await fetch(`${base}/hooks/${plugin}/upload/${socket}?visitor=${visitor}`, {
        method: 'POST',
        headers: { 'content-type': file.type || 'application/octet-stream' },
        body: file,
      })
      if (!response.ok) return alert(`${words.failed}: ${response.status}`)
      const uploaded = (await response.json()) as { url: string; mimeType: string }
      queue({ media: { url: uploaded.url, mimeType: uploaded.mimeType, name: file.name.slice(0, 200) } })
    },
  })

  const onFrame = (frame: ServerFrame) => {
    switch (frame.type) {
      case 'welcome':
        view.apply(frame.settings)
        break
      case 'message':
        if (state.add(frame) === 'gap') connection.send({ type: 'resume', afterSeq: state.lastSeq })
        ackSoon()
        break
      case 'synced':
        if (frame.conversationId !== state.conversationId || frame.lastSeq < state.lastSeq) {
          // another conversation than the one we kept (or the server lost ours): load it whole
          state.reset(frame.conversationId)
          if (frame.conversationId) connection.send({ type: 'resume', afterSeq: 0 })
        }
        state.status = frame.status
        state.rated = frame.rated ?? false
        state.save()
        break
      case 'ack':
        state.pending = state.pending.filter((p) => p.id !== frame.id)
        state.save()
        break
      case 'error': {
        const failed = state.pending.find((p) => p.id === frame.id)
        if (failed) failed.failed = frame.reason
        break
      }
      case 'typing':
        view.typing(frame.from)
        break
      case 'status':
        if (frame.conversationId === state.conversationId) state.status = frame.status
        if (frame.status !== 'resolved') state.rated = false
        state.save()
        break
      case 'rated':
        state.rated = true
        state.save()
        break
    }
    view.render(state)
  }

  const connection = new Connection(wsUrl, {
    open: () => {
      view.connected(true)
      connection.send({ type: 'resume', afterSeq: state.lastSeq })
      // what was written while offline goes now; the host stores each id once
      for (const p of state.pending) if (!p.failed) sendPending(p)
    },
    frame: onFrame,
    down: () => view.connected(false),
  })
  view.render(state)
  connection.connect()
  if (data.open === 'true') view.toggle()

  /** A small public handle for the host page (and tests): open the chat, drop the socket. */
  ;(window as unknown as Record<string, unknown>).SwitchboardChat = {
    open: () => view.isOpen || view.toggle(),
    close: () => view.isOpen && view.toggle(),
    reconnect: () => connection.drop(),
    get connected() {
      return connection.isOpen
    },
  }
}

const current = document.currentScript as HTMLScriptElement | null
const script = current ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-channel]')
if (script) {
  if (document.body) start(script)
  else document.addEventListener('DOMContentLoaded', () => start(script))
}
