import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue'
import { paths } from '../../realtime/paths'
import { createVersionGate, realtime, type RealtimeEvent } from '../../realtime/realtime'
import { conversationApi } from './conversation-api'
import type { Conversation, Message } from './conversation-types'

const TYPING_SHOWN_MS = 5000

/**
 * One open conversation: its state and thread, kept live. Message events fetch what follows the
 * last sequence number held; state events reload the conversation unless they are older than what
 * is shown; after a reconnect both are read again (from the last sequence number). The customer's
 * messages are marked read while the thread is open and the tab is in front.
 */
export function useThread(id: Ref<string | null>, hooks: { onChanged?: (c: Conversation) => void } = {}) {
  const conversation = ref<Conversation | null>(null)
  const messages = ref<Message[]>([])
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  const visitorTyping = ref(false)
  /** why a delivery failed, by message id (from the realtime event, before the row is read again) */
  const failures = ref<Record<string, string>>({})
  const gate = createVersionGate()
  let stop: (() => void) | null = null
  let stopResync: (() => void) | null = null
  let typingTimer: ReturnType<typeof setTimeout> | undefined
  let loadedFor: string | null = null

  const lastSeq = () => messages.value.at(-1)?.seq ?? 0

  async function loadConversation(forId: string) {
    const row = await conversationApi.get(forId)
    if (forId !== loadedFor) return
    if (!gate.accept(forId, row.version) && conversation.value) return
    gate.observe(forId, row.version)
    conversation.value = row
    hooks.onChanged?.(row)
  }

  let fetching: Promise<void> | null = null
  /** Appends the messages after the last one held (one fetch at a time, repeated while more come). */
  function fetchNewer(forId: string): Promise<void> {
    const run = async () => {
      for (let round = 0; round < 20; round++) {
        const batch = await conversationApi.messages(forId, lastSeq(), 500)
        if (forId !== loadedFor) return
        const known = new Set(messages.value.map((m) => m.id))
        const fresh = batch.filter((m) => !known.has(m.id))
        if (fresh.length) messages.value = [...messages.value, ...fresh].sort((a, b) => a.seq - b.seq)
        if (batch.length < 500) break
      }
      markRead(forId)
    }
    fetching = (fetching ?? Promise.resolve()).then(run, run).finally(() => (fetching = null))
    return fetching
  }

  function markRead(forId: string) {
    if (document.visibilityState !== 'visible') return
    const seq = lastSeq()
    if (seq > 0) conversationApi.markRead(forId, seq).catch(() => {})
  }

  /** Reads one message row again (its delivery status changed). */
  async function reloadAll(forId: string) {
    const all = await conversationApi.messages(forId, 0, 500)
    if (forId === loadedFor) messages.value = all
  }

  function onEvent(event: RealtimeEvent) {
    const forId = loadedFor
    if (!forId || event.conversationId !== forId) return
    if (event.type === 'conversation.typing') {
      if (event.from !== 'visitor') return
      visitorTyping.value = true
      clearTimeout(typingTimer)
      typingTimer = setTimeout(() => (visitorTyping.value = false), TYPING_SHOWN_MS)
      return
    }
    if (!gate.accept(forId, event.version)) return
    if (event.type === 'conversation.message.created') {
      if (event.direction === 'inbound') visitorTyping.value = false
      void fetchNewer(forId)
    } else if (event.type === 'conversation.message.failed') {
      if (typeof event.messageId === 'string' && typeof event.error === 'string')
        failures.value = { ...failures.value, [event.messageId]: event.error }
      void reloadAll(forId)
    }
    if (conversation.value && typeof event.status === 'string') {
      // the state travels with every event: show it now, then read the rest (tags, priority…)
      conversation.value = {
        ...conversation.value,
        status: event.status as Conversation['status'],
        queueId: (event.queueId as string | null) ?? null,
        assigneeId: (event.assigneeId as string | null) ?? null,
        version: Math.max(conversation.value.version, event.version ?? 0),
      }
      if (!event.type.startsWith('conversation.message')) void loadConversation(forId).catch(() => {})
    }
  }

  async function open(forId: string) {
    close()
    loadedFor = forId
    loading.value = true
    error.value = null
    conversation.value = null
    messages.value = []
    failures.value = {}
    visitorTyping.value = false
    try {
      await loadConversation(forId)
      await fetchNewer(forId)
    } catch (e) {
      if (forId === loadedFor) error.value = e
    } finally {
      if (forId === loadedFor) loading.value = false
    }
    if (forId !== loadedFor || error.value) return
    stopResync = realtime.onResync(() => {
      void loadConversation(forId).catch(() => {})
      void fetchNewer(forId).catch(() => {})
    })
    try {
      const unsubscribe = await realtime.subscribe(paths.conversation(forId), onEvent)
      if (forId === loadedFor) stop = unsubscribe
      else unsubscribe()
      // anything that happened between the first read and the subscription
      if (forId === loadedFor) void fetchNewer(forId)
    } catch {
      // offline: the sidebar shows it; the thread still works over REST
    }
  }

  function close() {
    stop?.()
    stop = null
    stopResync?.()
    stopResync = null
    clearTimeout(typingTimer)
    if (loadedFor) gate.forget(loadedFor)
    loadedFor = null
  }

  /** A message this client just sent: shown at once (the event that follows adds nothing new). */
  function adopt(message: Message) {
    if (messages.value.some((m) => m.id === message.id)) {
      messages.value = messages.value.map((m) => (m.id === message.id ? message : m))
      return
    }
    messages.value = [...messages.value, message].sort((a, b) => a.seq - b.seq)
  }

  const onVisible = () => {
    if (loadedFor && document.visibilityState === 'visible') markRead(loadedFor)
  }
  document.addEventListener('visibilitychange', onVisible)

  watch(
    id,
    (next) => {
      if (next) void open(next)
      else close()
    },
    { immediate: true },
  )
  onBeforeUnmount(() => {
    close()
    document.removeEventListener('visibilitychange', onVisible)
  })

  return {
    conversation,
    messages,
    loading,
    error,
    visitorTyping,
    failures,
    adopt,
    reload: () => (loadedFor ? loadConversation(loadedFor) : Promise.resolve()),
    retry: () => (id.value ? open(id.value) : Promise.resolve()),
    setConversation: (c: Conversation) => {
      gate.observe(c.id, c.version)
      conversation.value = c
      hooks.onChanged?.(c)
    },
  }
}
