import { describe, expect, it } from 'vitest'
import type { StatusCounts, TicketRow, TicketStatus } from '../../features/tickets/ticket-types'
import { emptyColumns, moveCard, placeCard } from './board'

const card = (id: number, status: TicketStatus, version = 1): TicketRow => ({
  id,
  subject: `Ticket ${id}`,
  status,
  priority: 'normal',
  category: null,
  tier: 'L1',
  assignee: null,
  team: null,
  contact: null,
  source: 'agent',
  conversationId: null,
  mergedIntoId: null,
  slaState: 'none',
  slaDueAt: null,
  createdAt: '2026-11-20T08:00:00Z',
  updatedAt: '2026-11-20T08:00:00Z',
  version,
})

function board() {
  const columns = emptyColumns()
  columns.open.push(card(1, 'open'), card(2, 'open'))
  columns.pending.push(card(3, 'pending'))
  const counts: StatusCounts = { open: 2, pending: 1, resolved: 0, closed: 7 }
  return { columns, counts }
}

describe('ticket board', () => {
  it('moves a card to the top of its new column with its new status, and the counts follow', () => {
    const { columns, counts } = board()
    const before = moveCard(columns, counts, 2, 'pending')
    expect(columns.open.map((c) => c.id)).toEqual([1])
    expect(columns.pending.map((c) => [c.id, c.status])).toEqual([
      [2, 'pending'],
      [3, 'pending'],
    ])
    expect(counts).toEqual({ open: 1, pending: 2, resolved: 0, closed: 7 })
    // what to put back when the server refuses
    expect(before!.open.map((c) => c.id)).toEqual([1, 2])
    expect(before!.pending.map((c) => c.id)).toEqual([3])
  })

  it('does nothing for a drop on the same column or an unknown card', () => {
    const { columns, counts } = board()
    expect(moveCard(columns, counts, 1, 'open')).toBeNull()
    expect(moveCard(columns, counts, 99, 'closed')).toBeNull()
    expect(counts.open).toBe(2)
  })

  it('places the server’s answer: in place when the status holds, moved when it changed', () => {
    const { columns } = board()
    placeCard(columns, card(1, 'open', 5))
    expect(columns.open[0]).toMatchObject({ id: 1, version: 5 })
    placeCard(columns, card(3, 'resolved', 2))
    expect(columns.pending).toEqual([])
    expect(columns.resolved.map((c) => c.id)).toEqual([3])
    placeCard(columns, card(8, 'closed'))
    expect(columns.closed.map((c) => c.id)).toEqual([8])
  })
})
