import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import { conversationApi, type InboxQuery } from '../../features/conversation/conversation-api'
import type { InboxRow, InboxSummary, QueueRef } from '../../features/conversation/conversation-types'
import { paths } from '../../realtime/paths'
import { createVersionGate, realtime, type RealtimeEvent } from '../../realtime/realtime'

export type InboxView = 'mine' | 'queues' | 'all'

export interface InboxFilters {
  status: '' | 'bot' | 'queued' | 'assigned' | 'resolved'
  channel: string
  tag: string
  priority: '' | '10' | '20'
  q: string
}

const PAGE = 100

/**
 * The inbox list: the chosen view, filters and search (all answered by the server), the rows
 * loaded so far (a page at a time, in order of latest activity), the views' counts, and live
 * updates from the realtime API: an event refreshes its one row (or drops it when it left the
 * view) and, a moment later, the counts. Events older than what a row shows are dropped.
 */
export const useInboxStore = defineStore('inbox', () => {
  const view = ref<InboxView>('mine')
  const filters = reactive<InboxFilters>({ status: '', channel: '', tag: '', priority: '', q: '' })
  const rows = ref<InboxRow[]>([])
  const summary = ref<InboxSummary | null>(null)
  const loading = ref(false)
  const loadingMore = ref(false)
  const error = ref<unknown>(null)
  const exhausted = ref(false)
  /** the conversation open in the workspace: its new messages are read as they come */
  const openId = ref<string | null>(null)
  /** the realtime subscriptions are in place */
  const live = ref(false)
  const gate = createVersionGate()
  let generation = 0

  const queues = computed<QueueRef[]>(() => summary.value?.queues ?? [])
  const queueName = computed(() => new Map(queues.value.map((q) => [q.id, q.name])))

  function query(extra: Partial<InboxQuery> = {}): InboxQuery {
    return {
      view: view.value,
      status: filters.status || undefined,
      channel: filters.channel || undefined,
      tag: filters.tag.trim() || undefined,
      priority: filters.priority ? Number(filters.priority) : undefined,
      q: filters.q.trim() || undefined,
      ...extra,
    }
  }

  function sortRows() {
    rows.value.sort((a, b) => {
      const at = (r: InboxRow) => (r.lastMessageAt ? Date.parse(r.lastMessageAt) : -Infinity)
      return at(b) - at(a) || (a.id < b.id ? 1 : -1)
    })
  }

  function adopt(row: InboxRow): InboxRow {
    gate.observe(row.id, row.version)
    // the open thread is being read: its unread count stays at zero
    return row.id === openId.value ? { ...row, unread: 0 } : row
  }

  /** (Re)loads the first page for the current view and filters. */
  async function reload(): Promise<void> {
    const mine = ++generation
    loading.value = true
    error.value = null
    try {
      const [page] = await Promise.all([conversationApi.list(query({ limit: PAGE })), refreshSummary()])
      if (mine !== generation) return
      rows.value = page.map(adopt)
      exhausted.value = page.length < PAGE
    } catch (e) {
      if (mine === generation) error.value = e
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  /** The next page, after the last row. */
  async function loadMore(): Promise<void> {
    if (loadingMore.value || loading.value || exhausted.value || rows.value.length === 0) return
    const mine = generation
    loadingMore.value = true
    try {
      const cursor = rows.value[rows.value.length - 1]!.cursor
      const page = await conversationApi.list(query({ cursor, limit: PAGE }))
      if (mine !== generation) return
      const known = new Set(rows.value.map((r) => r.id))
      rows.value.push(...page.filter((r) => !known.has(r.id)).map(adopt))
      exhausted.value = page.length < PAGE
    } catch (e) {
      error.value = e
    } finally {
      loadingMore.value = false
    }
  }

  async function refreshSummary(): Promise<void> {
    summary.value = await conversationApi.summary()
  }

  let summaryTimer: ReturnType<typeof setTimeout> | null = null
  function refreshSummarySoon() {
    if (summaryTimer) return
    summaryTimer = setTimeout(() => {
      summaryTimer = null
      refreshSummary().catch(() => {})
    }, 400)
  }

  /** Reads one row again: updated in place, added when it entered the view, dropped when it left. */
  async function refreshRow(id: string): Promise<void> {
    const mine = generation
    const [row] = await conversationApi.list(query({ id, limit: 1 }))
    if (mine !== generation) return
    const index = rows.value.findIndex((r) => r.id === id)
    if (!row) {
      if (index >= 0) rows.value.splice(index, 1)
      return
    }
    if (index >= 0) rows.value[index] = adopt(row)
    else rows.value.push(adopt(row))
    sortRows()
  }

  const pending = new Map<string, Promise<void>>()
  function onEvent(event: RealtimeEvent) {
    const id = event.conversationId
    if (!id || event.type === 'conversation.typing') return
    if (!gate.accept(id, event.version)) return
    // several events of one conversation in a burst: one refresh after the current one
    const running = pending.get(id)
    const next = (running ?? Promise.resolve()).then(() => refreshRow(id)).catch(() => {})
    pending.set(id, next)
    void next.finally(() => {
      if (pending.get(id) === next) pending.delete(id)
    })
    refreshSummarySoon()
  }

  let stops: Array<() => void> = []
  let stopResync: (() => void) | null = null
  /** Follows my conversations and my queues' (every queue's for supervisors); reloads after a reconnect. */
  async function follow(supervisor: boolean): Promise<void> {
    unfollow()
    if (!summary.value) await refreshSummary()
    const queuePaths = (summary.value?.queues ?? []).filter((q) => supervisor || q.member).map((q) => paths.queue(q.id))
    stopResync = realtime.onResync(() => void reload())
    const subscribed = await Promise.allSettled([paths.mine, ...queuePaths].map((p) => realtime.subscribe(p, onEvent)))
    stops = subscribed.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
    live.value = subscribed.every((s) => s.status === 'fulfilled')
  }

  function unfollow() {
    live.value = false
    stops.forEach((stop) => stop())
    stops = []
    stopResync?.()
    stopResync = null
  }

  /** The workspace opened (or closed) a conversation: its row shows as read. */
  function setOpen(id: string | null) {
    openId.value = id
    const row = id ? rows.value.find((r) => r.id === id) : undefined
    if (row && row.unread > 0) {
      row.unread = 0
      refreshSummarySoon()
    }
  }

  return {
    view,
    filters,
    rows,
    summary,
    queues,
    queueName,
    loading,
    loadingMore,
    error,
    exhausted,
    openId,
    live,
    reload,
    loadMore,
    refreshRow,
    refreshSummary: refreshSummarySoon,
    follow,
    unfollow,
    setOpen,
  }
})
