import { randomBytes } from 'node:crypto'
import type { Actor } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Clock } from '../infra/index.js'
import type { Db, Prisma } from '../storage/index.js'
import type { TicketRow } from './ticket-views.js'

export type Tx = Prisma.TransactionClient

/** Who changes a ticket; `origin` (where the request came from) makes links when no public URL is set. */
export type TicketActor = Actor & { origin?: string }

export interface TicketEventInput {
  kind: string
  actorId?: string | null
  actorName: string
  data?: Record<string, unknown>
}

export const CLOSED_STATUSES = ['resolved', 'closed']
export const newStatusToken = () => randomBytes(24).toString('hex')

/** The small pieces every ticket operation shares: loading, checks, history rows. */
export function createTicketKernel(db: Db, clock: Clock) {
  async function load(id: number, tx: Tx = db): Promise<TicketRow> {
    const row = await tx.ticket.findUnique({ where: { id } })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No ticket #${id}`, { status: 404 })
    return row
  }

  return {
    load,

    /** A merged ticket is kept read-only: its work continues in the ticket it was merged into. */
    notMerged(row: TicketRow): void {
      if (row.mergedIntoId !== null)
        throw userError(
          ErrorCode.CONFLICT,
          `Ticket #${row.id} was merged into #${row.mergedIntoId}; work on #${row.mergedIntoId}`,
          { status: 409 },
        )
    },

    /** How the actor is shown in a ticket's history: a user's name, or the system's label ("flow: …", "SLA"). */
    async actorName(actor: Actor): Promise<string> {
      if (actor.userId) {
        const user = await db.user.findUnique({ where: { id: actor.userId }, select: { name: true } })
        if (user) return user.name
      }
      return actor.email ?? 'system'
    },

    /**
     * Appends to a ticket's history at the clock's time. `seq` orders events of the same
     * millisecond (a manual clock gives many), so the history reads in the order things happened.
     * It is the count of the ticket's events plus one, counted holding the ticket's row lock (a
     * no-op write: raw, so neither version nor updatedAt change), so two events written at once
     * (two instances, addEvent and addNote) wait for each other instead of taking the same number.
     */
    async writeEvent(tx: Tx, ticketId: number, event: TicketEventInput, at: Date = clock.now()) {
      await tx.$executeRaw`UPDATE "Ticket" SET "version" = "version" WHERE "id" = ${ticketId}`
      const seq = (await tx.ticketEvent.count({ where: { ticketId } })) + 1
      return tx.ticketEvent.create({
        data: {
          ticketId,
          kind: event.kind,
          actorId: event.actorId ?? null,
          actorName: event.actorName,
          data: { ...(event.data ?? {}), seq } as Prisma.InputJsonObject,
          createdAt: at,
        },
      })
    },

    /** 400 naming the field when a referenced user, team, contact or conversation does not exist. */
    async checkRefs(refs: {
      teamId?: string | null
      assigneeId?: string | null
      contactId?: string | null
      conversationId?: string | null
    }): Promise<void> {
      const missing = (path: string, message: string) =>
        userError(ErrorCode.VALIDATION, `${path}: ${message}`, { details: [{ in: 'payload', path, message }] })
      if (refs.teamId && !(await db.team.findUnique({ where: { id: refs.teamId }, select: { id: true } })))
        throw missing('teamId', `no team ${refs.teamId}`)
      if (refs.assigneeId) {
        const user = await db.user.findUnique({ where: { id: refs.assigneeId }, select: { active: true } })
        if (!user?.active) throw missing('assigneeId', `no active user ${refs.assigneeId}`)
      }
      if (refs.contactId && !(await db.contact.findUnique({ where: { id: refs.contactId }, select: { id: true } })))
        throw missing('contactId', `no contact ${refs.contactId}`)
      if (
        refs.conversationId &&
        !(await db.conversation.findUnique({ where: { id: refs.conversationId }, select: { id: true } }))
      )
        throw userError(ErrorCode.NOT_FOUND, `No conversation ${refs.conversationId}`, {
          status: 404,
          details: [{ in: 'payload', path: 'conversationId', message: 'unknown conversation' }],
        })
    },

    /**
     * Bumps the version of the ticket as it was read; 409 when someone changed it in between
     * (nothing is written then).
     */
    async bump(tx: Tx, row: TicketRow, data: Prisma.TicketUncheckedUpdateManyInput): Promise<TicketRow> {
      const { count } = await tx.ticket.updateMany({
        where: { id: row.id, version: row.version },
        data: { ...data, version: { increment: 1 }, updatedAt: clock.now() },
      })
      if (count === 0) throw staleError(row.id)
      return tx.ticket.findUniqueOrThrow({ where: { id: row.id } })
    },
  }
}
export type TicketKernel = ReturnType<typeof createTicketKernel>

export function staleError(id: number) {
  return userError(
    ErrorCode.CONFLICT,
    `Ticket #${id} was changed by someone else since you read it; reload it and apply your change again`,
    { status: 409, details: [{ in: 'payload', path: 'version', message: 'stale version' }] },
  )
}
