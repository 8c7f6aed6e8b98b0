import type { ChatMessage, Pending } from './protocol.js'

const KEEP = 200

interface Saved {
  conversationId: string | null
  lastSeq: number
  messages: ChatMessage[]
  pending: Pending[]
  status: string | null
  rated: boolean
}

function load(key: string): Saved {
  try {
    const saved = JSON.parse(localStorage.getItem(key) ?? 'null') as Saved | null
    if (saved && Array.isArray(saved.messages)) return saved
  } catch {
    // storage blocked or damaged: start afresh
  }
  return { conversationId: null, lastSeq: 0, messages: [], pending: [], status: null, rated: false }
}

/**
 * What the visitor has seen, kept in localStorage: the conversation, its messages by sequence
 * number and the highest contiguous `seq` (what to resume after), plus messages not yet acked.
 * A message is shown once however often it arrives; a gap in the sequence asks for a resume.
 */
export class ChatState {
  conversationId: string | null
  lastSeq: number
  status: string | null
  rated: boolean
  pending: Pending[]
  private bySeq = new Map<number, ChatMessage>()

  constructor(private readonly key: string) {
    const saved = load(key)
    this.conversationId = saved.conversationId
    this.lastSeq = saved.lastSeq
    this.status = saved.status
    this.rated = saved.rated
    this.pending = saved.pending
    for (const m of saved.messages) this.bySeq.set(m.seq, m)
  }

  get messages(): ChatMessage[] {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq)
  }

  /** Adds a pushed message; returns 'gap' when some before it are missing, 'dup' when already shown. */
  add(message: ChatMessage): 'added' | 'dup' | 'gap' {
    if (message.conversationId !== this.conversationId) this.reset(message.conversationId)
    if (this.bySeq.has(message.seq)) return 'dup'
    this.bySeq.set(message.seq, message)
    if (message.ref) this.pending = this.pending.filter((p) => !message.ref!.endsWith(`:${p.id}`))
    while (this.bySeq.has(this.lastSeq + 1)) this.lastSeq++
    this.save()
    return message.seq > this.lastSeq ? 'gap' : 'added'
  }

  /** A different conversation (a new one after the last was resolved, or a server reset). */
  reset(conversationId: string | null) {
    this.conversationId = conversationId
    this.lastSeq = 0
    this.status = null
    this.rated = false
    this.bySeq.clear()
    this.save()
  }

  save() {
    const messages = this.messages.slice(-KEEP)
    const saved: Saved = {
      conversationId: this.conversationId,
      // trimmed history: resume after what is kept, so nothing kept is asked for twice
      lastSeq: this.lastSeq,
      messages,
      pending: this.pending,
      status: this.status,
      rated: this.rated,
    }
    try {
      localStorage.setItem(this.key, JSON.stringify(saved))
    } catch {
      // storage full or blocked: the server still has the history
    }
  }
}
