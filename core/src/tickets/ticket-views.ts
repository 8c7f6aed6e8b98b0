import type { PiiCipher } from '../pii/index.js'
import type { Db } from '../storage/index.js'
import type {
  TicketAttachmentView,
  TicketDetail,
  TicketHistoryItem,
  TicketListItem,
  TicketNoteView,
  TicketStatus,
} from './tickets-dto.js'

export type TicketRow = Awaited<ReturnType<Db['ticket']['findUniqueOrThrow']>>
type AttachmentRow = Awaited<ReturnType<Db['ticketAttachment']['findUniqueOrThrow']>>

/** the fields a list row reads beside the ticket itself */
export const listInclude = {
  assignee: { select: { id: true, name: true } },
  team: { select: { id: true, name: true } },
  contact: { select: { id: true, nameEnc: true, language: true } },
} as const

type ListRow = TicketRow & {
  assignee: { id: string; name: string } | null
  team: { id: string; name: string } | null
  contact: { id: string; nameEnc: string | null; language: string | null } | null
}

/**
 * Turns ticket rows into what the API shows: names instead of bare ids, the contact's name
 * decrypted, attachments with their download address.
 */
export function createTicketViews(db: Db, pii: PiiCipher | undefined) {
  const contactName = (nameEnc: string | null) => (nameEnc && pii ? pii.decrypt('contact.name', nameEnc) : null)

  async function userNames(ids: Array<string | null>): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((v): v is string => !!v))]
    if (wanted.length === 0) return new Map()
    const users = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } })
    return new Map(users.map((u) => [u.id, u.name]))
  }

  function attachmentView(row: AttachmentRow, names: Map<string, string>): TicketAttachmentView {
    return {
      id: row.id,
      fileName: row.fileName,
      mimeType: row.mimeType,
      size: row.size,
      noteId: row.noteId,
      uploadedBy: row.uploadedById ? { id: row.uploadedById, name: names.get(row.uploadedById) ?? '' } : null,
      createdAt: row.createdAt,
      url: `/api/v1/tickets/${row.ticketId}/attachments/${row.id}`,
    }
  }

  function listItem(row: ListRow): TicketListItem {
    return {
      id: row.id,
      subject: row.subject,
      status: row.status as TicketStatus,
      priority: row.priority,
      category: row.category,
      tier: row.tier,
      source: row.source,
      assignee: row.assignee,
      team: row.team,
      contact: row.contact ? { id: row.contact.id, name: contactName(row.contact.nameEnc) } : null,
      conversationId: row.conversationId,
      mergedIntoId: row.mergedIntoId,
      slaState: row.slaState,
      slaDueAt: row.slaDueAt,
      version: row.version,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    }
  }

  async function attachments(rows: AttachmentRow[]): Promise<TicketAttachmentView[]> {
    const names = await userNames(rows.map((r) => r.uploadedById))
    return rows.map((r) => attachmentView(r, names))
  }

  return {
    listItem,
    attachments,

    async detail(id: number, statusUrl: (token: string) => string): Promise<TicketDetail | null> {
      const row = await db.ticket.findUnique({
        where: { id },
        include: {
          ...listInclude,
          conversations: {
            include: {
              conversation: { select: { id: true, channel: true, status: true, createdAt: true, lastMessageAt: true } },
            },
            orderBy: { linkedAt: 'asc' },
          },
          attachments: { orderBy: { createdAt: 'asc' } },
          _count: { select: { notes: true } },
        },
      })
      if (!row) return null
      return {
        ...listItem(row),
        description: row.description,
        contactId: row.contactId,
        assigneeId: row.assigneeId,
        teamId: row.teamId,
        slaPolicyId: row.slaPolicyId,
        resolvedAt: row.resolvedAt,
        closedAt: row.closedAt,
        contact: row.contact
          ? { id: row.contact.id, name: contactName(row.contact.nameEnc), language: row.contact.language }
          : null,
        conversations: row.conversations.map((link) => ({ ...link.conversation, linkedAt: link.linkedAt })),
        notesCount: row._count.notes,
        attachments: await attachments(row.attachments),
        statusUrl: statusUrl(row.statusToken),
      }
    },

    async notes(ids: string[]): Promise<Map<string, TicketNoteView>> {
      if (ids.length === 0) return new Map()
      const rows = await db.ticketNote.findMany({
        where: { id: { in: ids } },
        include: { attachments: { orderBy: { createdAt: 'asc' } } },
      })
      const names = await userNames(rows.flatMap((r) => [r.authorId, ...r.attachments.map((a) => a.uploadedById)]))
      return new Map(
        rows.map((r) => [
          r.id,
          {
            id: r.id,
            ticketId: r.ticketId,
            body: r.body,
            author: r.authorId ? { id: r.authorId, name: names.get(r.authorId) ?? '' } : null,
            attachments: r.attachments.map((a) => attachmentView(a, names)),
            createdAt: r.createdAt,
          },
        ]),
      )
    },

    /** The ticket's events in time order, each note event carrying its note (wherever it lives now). */
    async history(ticketId: number): Promise<TicketHistoryItem[]> {
      const events = await db.ticketEvent.findMany({ where: { ticketId }, orderBy: { createdAt: 'asc' } })
      const noteIds = events
        .map((e) => (e.kind === 'note' ? (e.data as { noteId?: unknown }).noteId : null))
        .filter((v): v is string => typeof v === 'string')
      const notes = await this.notes(noteIds)
      return events
        .map((e) => {
          const { seq, ...data } = (e.data ?? {}) as { seq?: number } & Record<string, unknown>
          const note = e.kind === 'note' && typeof data.noteId === 'string' ? notes.get(data.noteId) : undefined
          return {
            id: e.id,
            seq: typeof seq === 'number' ? seq : 0,
            at: e.createdAt,
            kind: e.kind,
            actorId: e.actorId,
            actorName: e.actorName,
            data,
            note: note ? { id: note.id, body: note.body, author: note.author, attachments: note.attachments } : null,
          }
        })
        .sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq)
    },
  }
}
export type TicketViews = ReturnType<typeof createTicketViews>
