import type { AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Clock } from '../infra/index.js'
import type { Db, Prisma } from '../storage/index.js'
import { newStatusToken, type TicketActor, type TicketKernel, type Tx } from './ticket-kernel.js'
import type { TicketRow } from './ticket-views.js'
import { splitTicketInput, type SplitTicketInput, type TicketDetail } from './tickets-dto.js'
import { parseInput } from '../validation/parse-input.js'

type Committed = (
  kind: 'created' | 'updated' | 'merged' | 'split',
  ticket: TicketRow,
  before: TicketRow | null,
  actor: TicketActor,
  topic: string,
  extra?: Record<string, unknown>,
) => Promise<void>

/**
 * Merging two tickets about the same problem, and splitting one that turned out to hold two.
 * Conversations and notes (with their files) move; the history of both tickets says what moved
 * where, and the moved notes appear in the receiving ticket's history at their original time.
 */
export function createTicketRestructure(deps: {
  db: Db
  clock: Clock
  kernel: TicketKernel
  audit: AuditLog
  detail: (id: number, origin?: string) => Promise<TicketDetail>
  committed: Committed
}) {
  const { db, clock, kernel, audit } = deps

  /** Moves conversation links from one ticket to another (keeping when they were linked). */
  async function moveLinks(tx: Tx, fromId: number, toId: number, conversationIds?: string[]): Promise<string[]> {
    const links = await tx.ticketConversation.findMany({
      where: { ticketId: fromId, ...(conversationIds ? { conversationId: { in: conversationIds } } : {}) },
    })
    const present = new Set(
      (await tx.ticketConversation.findMany({ where: { ticketId: toId }, select: { conversationId: true } })).map(
        (l) => l.conversationId,
      ),
    )
    for (const link of links) {
      await tx.ticketConversation.delete({
        where: { ticketId_conversationId: { ticketId: fromId, conversationId: link.conversationId } },
      })
      if (!present.has(link.conversationId))
        await tx.ticketConversation.create({
          data: { ticketId: toId, conversationId: link.conversationId, linkedAt: link.linkedAt },
        })
    }
    return links.map((l) => l.conversationId)
  }

  /** Moves notes (and their files) and repeats their history entries in the receiving ticket. */
  async function moveNotes(tx: Tx, fromId: number, toId: number, noteIds?: string[]): Promise<number> {
    const notes = await tx.ticketNote.findMany({
      where: { ticketId: fromId, ...(noteIds ? { id: { in: noteIds } } : {}) },
      select: { id: true },
    })
    const ids = notes.map((n) => n.id)
    if (ids.length === 0) return 0
    await tx.ticketNote.updateMany({ where: { id: { in: ids } }, data: { ticketId: toId } })
    await tx.ticketAttachment.updateMany({ where: { noteId: { in: ids } }, data: { ticketId: toId } })
    const events = await tx.ticketEvent.findMany({ where: { ticketId: fromId, kind: 'note' } })
    for (const event of events) {
      const { seq: _seq, ...data } = event.data as { seq?: number; noteId?: string } & Record<string, unknown>
      if (!data.noteId || !ids.includes(data.noteId)) continue
      await kernel.writeEvent(
        tx,
        toId,
        {
          kind: 'note',
          actorId: event.actorId,
          actorName: event.actorName,
          data: { ...data, movedFrom: fromId },
        },
        event.createdAt,
      )
    }
    return ids.length
  }

  return {
    /**
     * Merges `sourceId` into `intoId`: the source's conversations, notes and files move to the
     * target, the source is closed with `mergedIntoId` set (its status link then shows the
     * target). Returns the target.
     */
    async merge(actor: TicketActor, sourceId: number, intoId: number): Promise<TicketDetail> {
      if (sourceId === intoId)
        throw userError(ErrorCode.VALIDATION, 'intoId: a ticket cannot be merged into itself', {
          details: [{ in: 'payload', path: 'intoId', message: 'the same ticket' }],
        })
      const source = await kernel.load(sourceId)
      kernel.notMerged(source)
      const into = await kernel.load(intoId)
      kernel.notMerged(into)
      if (into.status === 'closed')
        throw userError(ErrorCode.CONFLICT, `Ticket #${intoId} is closed; reopen it before merging into it`, {
          status: 409,
        })
      const actorName = await kernel.actorName(actor)
      const now = clock.now()
      const { sourceAfter, intoAfter } = await db.$transaction(async (tx) => {
        const conversations = await moveLinks(tx, sourceId, intoId)
        const notes = await moveNotes(tx, sourceId, intoId)
        await tx.ticketAttachment.updateMany({ where: { ticketId: sourceId }, data: { ticketId: intoId } })
        const sourceAfter = await kernel.bump(tx, source, {
          status: 'closed',
          closedAt: now,
          resolvedAt: source.resolvedAt ?? now,
          mergedIntoId: intoId,
        })
        const intoAfter = await kernel.bump(tx, into, {
          ...(into.contactId ? {} : { contactId: source.contactId }),
          ...(into.conversationId ? {} : { conversationId: source.conversationId }),
        })
        await kernel.writeEvent(tx, sourceId, {
          kind: 'merged',
          actorId: actor.userId,
          actorName,
          data: { intoId, intoSubject: into.subject, conversations, notes },
        })
        await kernel.writeEvent(tx, intoId, {
          kind: 'merged',
          actorId: actor.userId,
          actorName,
          data: { fromId: sourceId, fromSubject: source.subject, conversations, notes },
        })
        await audit.record(
          actor,
          { action: 'ticket.merged', targetType: 'ticket', targetId: String(sourceId), details: { intoId } },
          tx as never,
        )
        return { sourceAfter, intoAfter }
      })
      await deps.committed('merged', sourceAfter, source, actor, 'ticket.merged', { intoId })
      await deps.committed('merged', intoAfter, into, actor, 'ticket.updated', {
        changes: ['merged'],
        mergedFromId: sourceId,
      })
      return deps.detail(intoId, actor.origin)
    },

    /**
     * Splits part of a ticket into a new one (same contact, team, assignee, tier and priority):
     * the given conversations and notes move to it. Returns the new ticket.
     */
    async split(actor: TicketActor, id: number, input: SplitTicketInput): Promise<TicketDetail> {
      const data = parseInput(splitTicketInput, input, 'payload')
      const original = await kernel.load(id)
      kernel.notMerged(original)
      const conversationIds = [...new Set(data.conversationIds ?? [])]
      const noteIds = [...new Set(data.noteIds ?? [])]
      const [links, notes] = await Promise.all([
        db.ticketConversation.findMany({ where: { ticketId: id }, select: { conversationId: true } }),
        db.ticketNote.findMany({ where: { ticketId: id }, select: { id: true } }),
      ])
      const badLinks = conversationIds.filter((c) => !links.some((l) => l.conversationId === c))
      const badNotes = noteIds.filter((n) => !notes.some((x) => x.id === n))
      const problems = [
        ...(badLinks.length
          ? [{ in: 'payload', path: 'conversationIds', message: `not linked to #${id}: ${badLinks.join(', ')}` }]
          : []),
        ...(badNotes.length
          ? [{ in: 'payload', path: 'noteIds', message: `not notes of #${id}: ${badNotes.join(', ')}` }]
          : []),
      ]
      if (problems.length)
        throw userError(ErrorCode.VALIDATION, problems.map((p) => `${p.path}: ${p.message}`).join('; '), {
          details: problems,
        })
      const actorName = await kernel.actorName(actor)
      const now = clock.now()
      const { created, originalAfter } = await db.$transaction(async (tx) => {
        const created = await tx.ticket.create({
          data: {
            subject: data.subject,
            priority: original.priority,
            category: original.category,
            tier: original.tier,
            source: 'split',
            teamId: original.teamId,
            assigneeId: original.assigneeId,
            contactId: original.contactId,
            conversationId: conversationIds[0] ?? null,
            statusToken: newStatusToken(),
            createdAt: now,
            updatedAt: now,
          },
        })
        await kernel.writeEvent(tx, created.id, {
          kind: 'created',
          actorId: actor.userId,
          actorName,
          data: { source: 'split', splitFrom: id, subject: created.subject },
        })
        const moved = conversationIds.length ? await moveLinks(tx, id, created.id, conversationIds) : []
        const movedNotes = noteIds.length ? await moveNotes(tx, id, created.id, noteIds) : 0
        const change: Prisma.TicketUncheckedUpdateManyInput = {}
        if (original.conversationId && moved.includes(original.conversationId)) {
          const left = await tx.ticketConversation.findFirst({ where: { ticketId: id }, orderBy: { linkedAt: 'asc' } })
          change.conversationId = left?.conversationId ?? null
        }
        const originalAfter = await kernel.bump(tx, original, change)
        await kernel.writeEvent(tx, id, {
          kind: 'split',
          actorId: actor.userId,
          actorName,
          data: { newTicketId: created.id, subject: created.subject, conversations: moved, notes: movedNotes },
        })
        await audit.record(
          actor,
          { action: 'ticket.split', targetType: 'ticket', targetId: String(id), details: { newTicketId: created.id } },
          tx as never,
        )
        return { created, originalAfter }
      })
      await deps.committed('split', originalAfter, original, actor, 'ticket.updated', {
        changes: ['split'],
        newTicketId: created.id,
      })
      await deps.committed('created', created, null, actor, 'ticket.created', { source: 'split', splitFrom: id })
      return deps.detail(created.id, actor.origin)
    },
  }
}
