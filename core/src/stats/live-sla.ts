import type { Db, Prisma } from '../storage/index.js'
import { queueInScope, type TeamScope } from '../teams/index.js'

/** SLA clocks still counting (SlaClock.status): running, paused, or breached and not met yet. */
const UNFINISHED = ['running', 'paused', 'breached']
/** Ticket statuses whose SLA still counts. */
const OPEN_TICKETS = ['open', 'pending']
/** How many tickets the live board lists. */
export const URGENT_TICKETS = 10

export type RiskState = 'warning' | 'breached'

/** A conversation with an SLA clock that warned or breached and is not met yet. */
export interface ConversationAtRisk {
  conversationId: string
  queueId: string | null
  /** the queue's team; null when it has none or no queue */
  teamId: string | null
  state: RiskState
}

export interface TicketAtRisk {
  id: number
  subject: string
  slaState: string
  slaDueAt: Date | null
  teamId: string | null
}

/** The live board's SLA part: how many tickets and conversations are at risk or breached, and the most urgent tickets. */
export interface LiveSla {
  /** warned and not breached (tickets and conversations) */
  atRisk: number
  /** breached and not met yet (tickets and conversations) */
  breached: number
  tickets: TicketAtRisk[]
}

/**
 * Conversations whose unmet SLA clocks warned or breached (breached wins). Reads the clocks by their
 * state (a small set: most clocks are met or running unwarned), then their conversations' queues.
 */
export async function readConversationsAtRisk(db: Db): Promise<ConversationAtRisk[]> {
  const clocks = await db.slaClock.findMany({
    where: {
      conversationId: { not: null },
      status: { in: UNFINISHED },
      metAt: null,
      OR: [{ warnedAt: { not: null } }, { breachedAt: { not: null } }],
    },
    select: { conversationId: true, breachedAt: true },
  })
  if (clocks.length === 0) return []
  const state = new Map<string, RiskState>()
  for (const c of clocks)
    if (c.breachedAt || !state.has(c.conversationId!))
      state.set(c.conversationId!, c.breachedAt ? 'breached' : 'warning')
  const conversations = await db.conversation.findMany({
    where: { id: { in: [...state.keys()] }, status: { not: 'resolved' } },
    select: { id: true, queueId: true, queue: { select: { teamId: true } } },
  })
  return conversations.map((c) => ({
    conversationId: c.id,
    queueId: c.queueId,
    teamId: c.queue?.teamId ?? null,
    state: state.get(c.id)!,
  }))
}

/** Tickets of the viewer's teams or of no team (all for a scope of everything). */
function ticketScope(scope: TeamScope): Prisma.TicketWhereInput {
  return scope.kind === 'all' ? {} : { OR: [{ teamId: null }, { teamId: { in: [...scope.teamIds] } }] }
}

/** Open tickets whose SLA is at risk (warning) or breached, by state. */
export async function countTicketsAtRisk(db: Db, scope: TeamScope = { kind: 'all' }) {
  const groups = await db.ticket.groupBy({
    by: ['slaState'],
    where: { status: { in: OPEN_TICKETS }, slaState: { in: ['warning', 'breached'] }, ...ticketScope(scope) },
    _count: { _all: true },
  })
  const count = (s: RiskState) => groups.find((g) => g.slaState === s)?._count._all ?? 0
  return { atRisk: count('warning'), breached: count('breached') }
}

/**
 * The most urgent open tickets: breached ones whose clock runs, then warned ones about to breach
 * (each earliest due first), then those paused while waiting on the customer (no due time).
 */
async function urgentTickets(db: Db, scope: TeamScope): Promise<TicketAtRisk[]> {
  const tiers: Prisma.TicketWhereInput[] = [
    { slaState: 'breached', slaDueAt: { not: null } },
    { slaState: 'warning', slaDueAt: { not: null } },
    { slaState: 'breached', slaDueAt: null },
    { slaState: 'warning', slaDueAt: null },
  ]
  const found: TicketAtRisk[] = []
  for (const tier of tiers) {
    if (found.length >= URGENT_TICKETS) break
    found.push(
      ...(await db.ticket.findMany({
        where: { status: { in: OPEN_TICKETS }, ...tier, ...ticketScope(scope) },
        select: { id: true, subject: true, slaState: true, slaDueAt: true, teamId: true },
        orderBy: [{ slaDueAt: 'asc' }, { id: 'asc' }],
        take: URGENT_TICKETS - found.length,
      })),
    )
  }
  return found
}

/** The SLA part of the live board, scoped like the rest of it: tickets of the viewer's teams or none, conversations of their queues. */
export async function readLiveSla(db: Db, scope: TeamScope): Promise<LiveSla> {
  const [tickets, conversations, urgent] = await Promise.all([
    countTicketsAtRisk(db, scope),
    readConversationsAtRisk(db),
    urgentTickets(db, scope),
  ])
  const visible = conversations.filter((c) => queueInScope(scope, c.teamId))
  return {
    atRisk: tickets.atRisk + visible.filter((c) => c.state === 'warning').length,
    breached: tickets.breached + visible.filter((c) => c.state === 'breached').length,
    tickets: urgent,
  }
}
