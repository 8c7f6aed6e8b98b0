import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import { isStale, ticketApi, type TicketListQuery } from '../../features/tickets/ticket-api'
import {
  TICKET_STATUSES,
  type StatusCounts,
  type TicketFilters,
  type TicketRow,
  type TicketStatus,
} from '../../features/tickets/ticket-types'
import { emptyColumns, moveCard, placeCard, type BoardColumns } from './board'

const PAGE = 50
const COLUMN = 100

export type MoveResult = 'moved' | 'stale' | 'failed' | 'none'

/**
 * The tickets list and board: the filters both share (answered by the server), the list's rows a
 * page at a time with the counts per status, and the board's columns. A card dropped on another
 * column moves at once; the PATCH carries the version the card was read at, and when someone else
 * changed the ticket meanwhile (409) the board is read again.
 */
export const useTicketsStore = defineStore('tickets', () => {
  const filters = reactive<TicketFilters>({
    status: 'open',
    assignee: '',
    teamId: '',
    tier: '',
    priority: '',
    sla: '',
    q: '',
  })
  const rows = ref<TicketRow[]>([])
  const counts = ref<StatusCounts>({ open: 0, pending: 0, resolved: 0, closed: 0 })
  const nextCursor = ref<string | null>(null)
  const loading = ref(false)
  const loadingMore = ref(false)
  const error = ref<unknown>(null)
  const columns = ref<BoardColumns>(emptyColumns())
  const boardLoading = ref(false)
  let generation = 0
  let boardGeneration = 0

  function query(extra: Partial<TicketListQuery> = {}): TicketListQuery {
    return {
      assignee: filters.assignee || undefined,
      teamId: filters.teamId || undefined,
      tier: filters.tier || undefined,
      priority: filters.priority || undefined,
      sla: filters.sla || undefined,
      q: filters.q.trim() || undefined,
      ...extra,
    }
  }

  async function reload(): Promise<void> {
    const mine = ++generation
    loading.value = true
    error.value = null
    try {
      const page = await ticketApi.list(query({ status: filters.status || undefined, limit: PAGE }))
      if (mine !== generation) return
      rows.value = page.items
      counts.value = page.counts
      nextCursor.value = page.nextCursor
    } catch (e) {
      if (mine === generation) error.value = e
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || loadingMore.value) return
    const mine = generation
    loadingMore.value = true
    try {
      const page = await ticketApi.list(
        query({ status: filters.status || undefined, cursor: nextCursor.value, limit: PAGE }),
      )
      if (mine !== generation) return
      const known = new Set(rows.value.map((r) => r.id))
      rows.value.push(...page.items.filter((r) => !known.has(r.id)))
      nextCursor.value = page.nextCursor
    } finally {
      loadingMore.value = false
    }
  }

  /** Every column of the board, each read with the same filters and its own status. */
  async function reloadBoard(): Promise<void> {
    const mine = ++boardGeneration
    boardLoading.value = true
    error.value = null
    try {
      const pages = await Promise.all(TICKET_STATUSES.map((status) => ticketApi.list(query({ status, limit: COLUMN }))))
      if (mine !== boardGeneration) return
      const next = emptyColumns()
      TICKET_STATUSES.forEach((status, i) => (next[status] = pages[i]!.items))
      columns.value = next
      counts.value = pages[0]!.counts
    } catch (e) {
      if (mine === boardGeneration) error.value = e
    } finally {
      if (mine === boardGeneration) boardLoading.value = false
    }
  }

  /** Drops a card on a column: at once on screen, then on the server. */
  async function move(id: number, to: TicketStatus): Promise<MoveResult> {
    const card = Object.values(columns.value)
      .flat()
      .find((c) => c.id === id)
    if (!card) return 'none'
    const version = card.version
    const countsBefore = { ...counts.value }
    const before = moveCard(columns.value, counts.value, id, to)
    if (!before) return 'none'
    try {
      const saved = await ticketApi.update(id, { status: to, ...(version !== undefined ? { version } : {}) })
      placeCard(columns.value, saved)
      return 'moved'
    } catch (e) {
      if (isStale(e)) {
        await reloadBoard()
        return 'stale'
      }
      columns.value = before
      counts.value = countsBefore
      throw e
    }
  }

  return {
    filters,
    rows,
    counts,
    nextCursor,
    loading,
    loadingMore,
    error,
    columns,
    boardLoading,
    reload,
    loadMore,
    reloadBoard,
    move,
  }
})
