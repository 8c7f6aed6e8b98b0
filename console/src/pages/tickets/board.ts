import type { StatusCounts, TicketRow, TicketStatus } from '../../features/tickets/ticket-types'
import { TICKET_STATUSES } from '../../features/tickets/ticket-types'

/** The board's columns: the tickets of each status, in the order the list gives them. */
export type BoardColumns = Record<TicketStatus, TicketRow[]>

export function emptyColumns(): BoardColumns {
  return { open: [], pending: [], resolved: [], closed: [] }
}

export function findCard(columns: BoardColumns, id: number): { status: TicketStatus; index: number } | null {
  for (const status of TICKET_STATUSES) {
    const index = columns[status].findIndex((c) => c.id === id)
    if (index >= 0) return { status, index }
  }
  return null
}

/**
 * Moves a card to the top of another column at once (the PATCH follows); returns the columns as they
 * were, to put back if the server refuses, or null when there is nothing to move.
 */
export function moveCard(
  columns: BoardColumns,
  counts: StatusCounts,
  id: number,
  to: TicketStatus,
): BoardColumns | null {
  const at = findCard(columns, id)
  if (!at || at.status === to) return null
  const before = snapshot(columns)
  const [card] = columns[at.status].splice(at.index, 1)
  columns[to].unshift({ ...card!, status: to })
  counts[at.status] = Math.max(0, counts[at.status] - 1)
  counts[to] += 1
  return before
}

/** Puts the server's answer for one card in place (its version and fields), in the column of its status. */
export function placeCard(columns: BoardColumns, card: TicketRow): void {
  const at = findCard(columns, card.id)
  if (at && at.status === card.status) columns[at.status][at.index] = card
  else {
    if (at) columns[at.status].splice(at.index, 1)
    columns[card.status].unshift(card)
  }
}

export function snapshot(columns: BoardColumns): BoardColumns {
  return {
    open: [...columns.open],
    pending: [...columns.pending],
    resolved: [...columns.resolved],
    closed: [...columns.closed],
  }
}
