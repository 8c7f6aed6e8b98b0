import type { AuditLog } from '../audit/index.js'
import type { ConversationsService } from '../conversations/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Clock, EventBus } from '../infra/index.js'
import type { Logger } from '../logger.js'
import { notify } from '../notifications/index.js'
import type { PiiCipher } from '../pii/index.js'
import type { Db, Prisma } from '../storage/index.js'
import { parseInput } from '../validation/parse-input.js'
import {
  customerMessage,
  langOf,
  PUBLIC_STATUS_TEXT,
  readTicketSettings,
  writeTicketSettings,
} from './customer-status.js'
import { requireTicketVisible, ticketScope, type TicketViewer } from './ticket-access.js'
import { createTicketFiles } from './ticket-files.js'
import {
  CLOSED_STATUSES,
  createTicketKernel,
  newStatusToken,
  type TicketActor,
  type TicketEventInput,
} from './ticket-kernel.js'
import { createTicketRestructure } from './ticket-restructure.js'
import { createTicketViews, listInclude, type TicketRow } from './ticket-views.js'
import {
  addNoteInput,
  createTicketInput,
  escalateTicketInput,
  listTicketsQuery,
  reopenTicketInput,
  ticketSettingsInput,
  updateTicketInput,
  type AddNoteInput,
  type CreateTicketInput,
  type EscalateTicketInput,
  type ListTicketsQuery,
  type PublicTicketStatus,
  type SplitTicketInput,
  type TicketDetail,
  type TicketHistoryItem,
  type TicketList,
  type TicketNoteView,
  type TicketSettings,
  type TicketStatus,
  type UpdateTicketInput,
} from './tickets-dto.js'

export type { TicketRow } from './ticket-views.js'

export type TicketChangeKind = 'created' | 'updated' | 'escalated' | 'merged' | 'split' | 'reopened' | 'linked'

/** A committed change, handed to every onChange listener (awaited) before the caller gets its answer. */
export interface TicketChange {
  kind: TicketChangeKind
  ticket: TicketRow
  before: TicketRow | null
  actor: TicketActor
}
export type TicketChangeListener = (change: TicketChange) => Promise<void>

export interface TicketsDeps {
  db: Db
  bus: EventBus
  audit: AuditLog
  clock: Clock
  /** where attachments are kept (`<dataDir>/tickets/…`) */
  dataDir: string
  /** decrypts contact names for lists and details */
  pii?: PiiCipher
  logger?: Logger
  /** conversation access for agents, and the customer's status messages in their conversation */
  conversations?: Pick<ConversationsService, 'visible' | 'deliverFlowOutputs'>
  /** SWITCHBOARD_PUBLIC_URL: the base of status links (else the address of the request) */
  publicUrl?: string
  /** PostgreSQL compares text case-sensitively unless asked */
  caseInsensitiveSearch?: boolean
}

const TIERS = ['L1', 'L2', 'L3']
const FIRST_LINE_CHARS = 120

/**
 * Tickets: work that outlives a conversation. Created by agents (often from a conversation), by
 * flows, by the API or by other modules (a survey's low score); assigned to a person and/or a
 * team at a tier (L1–L3); escalated by hand or by rules with the reason kept; merged and split;
 * followed by the customer through an unguessable status link. Every change is one committed
 * transaction with its history row, then the onChange listeners (SLA clocks) are awaited and
 * `ticket.*` is published on the bus.
 */
export function createTicketsService(deps: TicketsDeps) {
  const { db, bus, clock, audit } = deps
  const kernel = createTicketKernel(db, clock)
  const views = createTicketViews(db, deps.pii)
  const files = createTicketFiles(deps.dataDir)
  const listeners = new Set<TicketChangeListener>()

  const statusUrl = (token: string, origin?: string) =>
    `${(deps.publicUrl ?? origin ?? '').replace(/\/+$/, '')}/tickets/status/${token}`

  function busPayload(row: TicketRow, extra: Record<string, unknown> = {}) {
    return {
      ticketId: row.id,
      status: row.status,
      priority: row.priority,
      tier: row.tier,
      teamId: row.teamId,
      assigneeId: row.assigneeId,
      conversationId: row.conversationId,
      contactId: row.contactId,
      version: row.version,
      ...extra,
    }
  }

  /** After a commit: the listeners (awaited; a failure is logged, never the caller's), then the bus. */
  async function committed(
    kind: TicketChangeKind,
    ticket: TicketRow,
    before: TicketRow | null,
    actor: TicketActor,
    topic: string,
    extra: Record<string, unknown> = {},
  ) {
    for (const listener of listeners) {
      try {
        await listener({ kind, ticket, before, actor })
      } catch (error) {
        deps.logger?.error({ err: error, ticketId: ticket.id, change: kind }, 'a ticket change listener failed')
      }
    }
    // the change is committed: a bus that is down (Redis) costs its subscribers this event, not the caller its answer
    // where it was before too: a ticket escalated away leaves the lists of those who saw it
    const moved = before ? { previousTeamId: before.teamId, previousAssigneeId: before.assigneeId } : {}
    await bus.publish(topic, busPayload(ticket, { change: kind, ...moved, ...extra })).catch((error: unknown) => {
      deps.logger?.error({ err: error, ticketId: ticket.id, topic }, 'a ticket event could not be published')
    })
  }

  /**
   * Tells the customer in the conversation the ticket came from (when the setting is on): as an
   * automatic message from the bot, sent on the conversation's channel. Never fails the change.
   */
  async function tellCustomer(ticket: TicketRow, event: 'created' | 'pending' | 'resolved', actor: TicketActor) {
    if (!deps.conversations || !ticket.conversationId) return
    try {
      if (!(await readTicketSettings(db)).customerUpdates) return
      const contact = ticket.contactId
        ? await db.contact.findUnique({ where: { id: ticket.contactId }, select: { language: true } })
        : null
      const base = deps.publicUrl ?? actor.origin
      const text = customerMessage(
        event,
        ticket,
        langOf(contact?.language),
        base ? statusUrl(ticket.statusToken, base) : null,
      )
      await deps.conversations.deliverFlowOutputs(ticket.conversationId, [{ kind: 'message', text }])
    } catch (error) {
      deps.logger?.warn({ err: error, ticketId: ticket.id }, 'the customer could not be told about their ticket')
    }
  }

  async function notifyOwner(
    kind: string,
    ticket: TicketRow,
    actor: TicketActor,
    title: { en: string; 'zh-CN': string },
    body?: { en: string; 'zh-CN': string },
  ) {
    let userIds = ticket.assigneeId ? [ticket.assigneeId] : []
    if (!ticket.assigneeId && ticket.teamId) {
      const members = await db.teamMember.findMany({ where: { teamId: ticket.teamId }, select: { userId: true } })
      userIds = members.map((m) => m.userId)
    }
    await notify(bus, {
      kind,
      title,
      body,
      link: `/tickets/${ticket.id}`,
      userIds: userIds.filter((id) => id !== actor.userId),
      teamId: ticket.teamId,
      data: { ticketId: ticket.id, tier: ticket.tier, teamId: ticket.teamId, assigneeId: ticket.assigneeId },
      at: clock.now().toISOString(),
    })
  }

  async function detail(id: number, origin?: string): Promise<TicketDetail> {
    const found = await views.detail(id, (token) => statusUrl(token, origin))
    if (!found) throw userError(ErrorCode.NOT_FOUND, `No ticket #${id}`, { status: 404 })
    return found
  }

  /** The subject of a ticket opened from a conversation without one: the customer's first line. */
  async function subjectFromConversation(conversationId: string): Promise<string> {
    const first = await db.message.findFirst({
      where: { conversationId, direction: 'inbound', kind: 'text', body: { not: '' } },
      orderBy: { seq: 'asc' },
      select: { body: true },
    })
    const line = first?.body.replace(/\s+/g, ' ').trim() ?? ''
    if (line) return line.length > FIRST_LINE_CHARS ? `${line.slice(0, FIRST_LINE_CHARS - 1)}…` : line
    const conversation = await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })
    return `Conversation on ${conversation.channel}`
  }

  /** What a status change does to the resolution times, and whether it reopens the ticket. */
  function statusTimes(from: string, to: string): { data: Prisma.TicketUncheckedUpdateManyInput; reopens: boolean } {
    const now = clock.now()
    if (from === to) return { data: {}, reopens: false }
    if (!CLOSED_STATUSES.includes(to))
      return CLOSED_STATUSES.includes(from)
        ? { data: { resolvedAt: null, closedAt: null }, reopens: true }
        : { data: {}, reopens: false }
    if (to === 'resolved') return { data: { resolvedAt: now, closedAt: null }, reopens: false }
    // closed: a ticket closed without being resolved first counts as resolved now
    return { data: { closedAt: now, ...(from === 'resolved' ? {} : { resolvedAt: now }) }, reopens: false }
  }

  const restructure = createTicketRestructure({ db, clock, kernel, audit, detail, committed })

  const service = {
    /**
     * Opens a ticket; with a conversation it is linked and the conversation's contact taken.
     * `history` adds fields to its `created` history entry, written in the same transaction (a
     * module's marker to find the ticket it made again, e.g. `{ surveyId }`).
     */
    async create(
      actor: TicketActor,
      input: CreateTicketInput,
      options: { history?: Record<string, unknown> } = {},
    ): Promise<TicketDetail> {
      const data = parseInput(createTicketInput, input)
      await kernel.checkRefs(data)
      const conversation = data.conversationId
        ? await db.conversation.findUniqueOrThrow({ where: { id: data.conversationId } })
        : null
      const subject = data.subject ?? (conversation ? await subjectFromConversation(conversation.id) : undefined)
      if (!subject)
        throw userError(ErrorCode.VALIDATION, 'subject: give the ticket a subject', {
          details: [{ in: 'payload', path: 'subject', message: 'required without a conversation' }],
        })
      // a ticket a flow or a survey opens belongs to the team of its conversation's queue, not to everyone
      const teamId =
        data.teamId ??
        ((data.source === 'flow' || data.source === 'survey') && conversation?.queueId
          ? ((await db.queue.findUnique({ where: { id: conversation.queueId }, select: { teamId: true } }))?.teamId ??
            null)
          : null)
      const now = clock.now()
      const actorName = await kernel.actorName(actor)
      const row = await db.$transaction(async (tx) => {
        const created = await tx.ticket.create({
          data: {
            subject,
            description: data.description ?? '',
            priority: data.priority,
            category: data.category ?? null,
            tier: data.tier,
            source: data.source,
            teamId,
            assigneeId: data.assigneeId ?? null,
            contactId: data.contactId ?? conversation?.contactId ?? null,
            conversationId: conversation?.id ?? null,
            statusToken: newStatusToken(),
            createdAt: now,
            updatedAt: now,
          },
        })
        if (conversation)
          await tx.ticketConversation.create({
            data: { ticketId: created.id, conversationId: conversation.id, linkedAt: now },
          })
        await kernel.writeEvent(tx, created.id, {
          kind: 'created',
          actorId: actor.userId,
          actorName,
          data: {
            source: created.source,
            subject: created.subject,
            priority: created.priority,
            tier: created.tier,
            teamId: created.teamId,
            assigneeId: created.assigneeId,
            conversationId: created.conversationId,
            ...options.history,
          },
        })
        return created
      })
      await committed('created', row, null, actor, 'ticket.created', { source: row.source })
      await tellCustomer(row, 'created', actor)
      if (row.assigneeId)
        await notifyOwner('ticket.assigned', row, actor, {
          en: `Ticket #${row.id} is yours: ${row.subject}`,
          'zh-CN': `工单 #${row.id} 已分配给您：${row.subject}`,
        })
      return detail(row.id, actor.origin)
    },

    /** The ticket row (no access check: for other modules). */
    get: (id: number): Promise<TicketRow> => kernel.load(id),

    /** Everything the detail page shows. */
    detail,

    /** The ticket if the viewer may see it: 404 when there is none, 403 when it is out of their reach. */
    async visible(viewer: TicketViewer, id: number): Promise<TicketRow> {
      const row = await kernel.load(id)
      await requireTicketVisible(db, viewer, id)
      return row
    },

    /**
     * 404 / 403 unless the viewer may see the conversation (before opening a ticket from it or
     * linking it: a linked conversation's thread is readable by whoever sees the ticket).
     */
    async requireConversation(viewer: TicketViewer, conversationId: string): Promise<void> {
      if (deps.conversations)
        await deps.conversations.visible({ userId: viewer.userId, supervisor: viewer.role !== 'agent' }, conversationId)
      else await kernel.checkRefs({ conversationId })
    },

    /** A page of the tickets the viewer may see, with the counts per status for the same filters. */
    async list(viewer: TicketViewer, filter: Partial<ListTicketsQuery> = {}): Promise<TicketList> {
      const query = parseInput(listTicketsQuery, filter, 'query')
      const scope = await ticketScope(db, viewer)
      const and: Prisma.TicketWhereInput[] = [scope]
      if (query.assignee === 'me') and.push({ assigneeId: viewer.userId })
      else if (query.assignee === 'none') and.push({ assigneeId: null })
      else if (query.assignee) and.push({ assigneeId: query.assignee })
      if (query.teamId) and.push({ teamId: query.teamId === 'none' ? null : query.teamId })
      if (query.tier) and.push({ tier: { in: query.tier } })
      if (query.priority) and.push({ priority: { in: query.priority } })
      if (query.category) and.push({ category: query.category })
      if (query.contactId) and.push({ contactId: query.contactId })
      if (query.conversationId) and.push({ conversations: { some: { conversationId: query.conversationId } } })
      if (query.sla) and.push({ slaState: query.sla })
      const q = query.q?.trim()
      if (q) {
        const number = /^#?(\d{1,9})$/.exec(q)
        const contains = (deps.caseInsensitiveSearch ? { contains: q, mode: 'insensitive' } : { contains: q }) as {
          contains: string
        }
        and.push({ OR: [{ subject: contains }, ...(number ? [{ id: Number(number[1]) }] : [])] })
      }
      const offset = decodeCursor(query.cursor)
      const where: Prisma.TicketWhereInput = {
        AND: [...and, ...(query.status ? [{ status: { in: query.status } }] : [])],
      }
      const orderBy: Prisma.TicketOrderByWithRelationInput[] =
        query.sort === 'slaDueAt'
          ? [{ slaDueAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }]
          : [{ [query.sort.replace('-', '')]: query.sort.startsWith('-') ? 'desc' : 'asc' }, { id: 'desc' }]
      const [rows, ...counts] = await Promise.all([
        db.ticket.findMany({ where, include: listInclude, orderBy, skip: offset, take: query.limit + 1 }),
        ...(['open', 'pending', 'resolved', 'closed'] as const).map((status) =>
          db.ticket.count({ where: { AND: [...and, { status }] } }),
        ),
      ])
      const more = rows.length > query.limit
      return {
        items: rows.slice(0, query.limit).map(views.listItem),
        nextCursor: more ? encodeCursor(offset + query.limit) : null,
        counts: { open: counts[0]!, pending: counts[1]!, resolved: counts[2]!, closed: counts[3]! },
      }
    },

    /**
     * Changes fields; `version` (optional) must be the one read, else 409. A status back to
     * open/pending from resolved/closed reopens it (the resolution times are cleared).
     */
    async update(actor: TicketActor, id: number, patch: UpdateTicketInput): Promise<TicketDetail> {
      const change = parseInput(updateTicketInput, patch, 'payload')
      const before = await kernel.load(id)
      kernel.notMerged(before)
      if (change.version !== undefined && change.version !== before.version) throw staleVersion(before)
      await kernel.checkRefs(change)
      const changes: Record<string, { from: unknown; to: unknown }> = {}
      const data: Prisma.TicketUncheckedUpdateManyInput = {}
      for (const field of [
        'subject',
        'description',
        'status',
        'priority',
        'category',
        'tier',
        'teamId',
        'assigneeId',
        'contactId',
      ] as const) {
        const value = change[field]
        if (value === undefined || value === before[field]) continue
        changes[field] = { from: before[field], to: value }
        ;(data as Record<string, unknown>)[field] = value
      }
      if (Object.keys(changes).length === 0) return detail(id, actor.origin)
      const times = change.status ? statusTimes(before.status, change.status) : { data: {}, reopens: false }
      const onlyAssignment = Object.keys(changes).every((k) => k === 'assigneeId' || k === 'teamId')
      const kind = times.reopens ? 'reopened' : onlyAssignment ? 'assigned' : 'updated'
      const actorName = await kernel.actorName(actor)
      const after = await db.$transaction(async (tx) => {
        const saved = await kernel.bump(tx, before, { ...data, ...times.data })
        await kernel.writeEvent(tx, id, { kind, actorId: actor.userId, actorName, data: { changes } })
        return saved
      })
      await committed(times.reopens ? 'reopened' : 'updated', after, before, actor, 'ticket.updated', {
        changes: Object.keys(changes),
      })
      if (changes.status && (after.status === 'pending' || after.status === 'resolved'))
        await tellCustomer(after, after.status, actor)
      if (changes.assigneeId && after.assigneeId)
        await notifyOwner('ticket.assigned', after, actor, {
          en: `Ticket #${after.id} is yours: ${after.subject}`,
          'zh-CN': `工单 #${after.id} 已分配给您：${after.subject}`,
        })
      return detail(id, actor.origin)
    },

    /**
     * Hands the ticket to a higher tier, another team or person, with the reason in its history;
     * the new owner (the assignee, else the new team's members) is notified. Without a tier it
     * goes one tier up; moving to another team without an assignee leaves it unassigned there.
     */
    async escalate(
      actor: TicketActor,
      id: number,
      input: EscalateTicketInput,
      options: { ruleId?: string } = {},
    ): Promise<TicketDetail> {
      const data = parseInput(escalateTicketInput, input, 'payload')
      const before = await kernel.load(id)
      kernel.notMerged(before)
      if (CLOSED_STATUSES.includes(before.status))
        throw userError(ErrorCode.CONFLICT, `Ticket #${id} is ${before.status}; reopen it before escalating`, {
          status: 409,
        })
      await kernel.checkRefs(data)
      const next = TIERS[Math.min(TIERS.indexOf(before.tier) + 1, TIERS.length - 1)] ?? before.tier
      const to = {
        tier: data.tier ?? next,
        teamId: data.teamId !== undefined ? data.teamId : before.teamId,
        assigneeId: '' as string | null,
        priority: data.priority ?? before.priority,
      }
      to.assigneeId =
        data.assigneeId !== undefined ? data.assigneeId : to.teamId !== before.teamId ? null : before.assigneeId
      const from = {
        tier: before.tier,
        teamId: before.teamId,
        assigneeId: before.assigneeId,
        priority: before.priority,
      }
      if (
        from.tier === to.tier &&
        from.teamId === to.teamId &&
        from.assigneeId === to.assigneeId &&
        from.priority === to.priority
      )
        throw userError(
          ErrorCode.CONFLICT,
          `Ticket #${id} is already at ${before.tier} with this team and assignee; give a tier, team or assignee to hand it to`,
          { status: 409 },
        )
      const names = await namesOf([from.teamId, to.teamId], [from.assigneeId, to.assigneeId])
      const actorName = await kernel.actorName(actor)
      const after = await db.$transaction(async (tx) => {
        const saved = await kernel.bump(tx, before, to)
        await kernel.writeEvent(tx, id, {
          kind: 'escalated',
          actorId: actor.userId,
          actorName,
          data: {
            from: { ...from, teamName: names.get(from.teamId), assigneeName: names.get(from.assigneeId) },
            to: { ...to, teamName: names.get(to.teamId), assigneeName: names.get(to.assigneeId) },
            reason: data.reason,
            trigger: data.trigger,
            ...(options.ruleId ? { ruleId: options.ruleId } : {}),
          },
        })
        return saved
      })
      await committed('escalated', after, before, actor, 'ticket.escalated', {
        fromTier: from.tier,
        fromTeamId: from.teamId,
        fromAssigneeId: from.assigneeId,
        reason: data.reason,
        trigger: data.trigger,
      })
      await notifyOwner(
        'ticket.escalated',
        after,
        actor,
        {
          en: `Ticket #${after.id} escalated to ${after.tier}: ${after.subject}`,
          'zh-CN': `工单 #${after.id} 已升级至 ${after.tier}：${after.subject}`,
        },
        { en: `${actorName}: ${data.reason}`, 'zh-CN': `${actorName}：${data.reason}` },
      )
      return detail(id, actor.origin)
    },

    /** Opens a resolved or closed ticket again (a customer came back, a low survey score); 409 when it is open. */
    async reopen(actor: TicketActor, id: number, reason: string): Promise<TicketDetail> {
      const { reason: why } = parseInput(reopenTicketInput, { reason }, 'payload')
      const before = await kernel.load(id)
      kernel.notMerged(before)
      if (!CLOSED_STATUSES.includes(before.status))
        throw userError(ErrorCode.CONFLICT, `Ticket #${id} is ${before.status}, not resolved or closed`, {
          status: 409,
        })
      const actorName = await kernel.actorName(actor)
      const after = await db.$transaction(async (tx) => {
        const saved = await kernel.bump(tx, before, { status: 'open', resolvedAt: null, closedAt: null })
        await kernel.writeEvent(tx, id, {
          kind: 'reopened',
          actorId: actor.userId,
          actorName,
          data: { reason: why, from: before.status },
        })
        return saved
      })
      await committed('reopened', after, before, actor, 'ticket.updated', { changes: ['status'], reason: why })
      await notifyOwner('ticket.reopened', after, actor, {
        en: `Ticket #${after.id} was reopened: ${why}`,
        'zh-CN': `工单 #${after.id} 已重新打开：${why}`,
      })
      return detail(id, actor.origin)
    },

    /** An internal note (never shown to the customer), optionally carrying files uploaded to the ticket. */
    async addNote(actor: TicketActor, id: number, input: AddNoteInput): Promise<TicketNoteView> {
      const data = parseInput(addNoteInput, input, 'payload')
      const ticket = await kernel.load(id)
      kernel.notMerged(ticket)
      const attachmentIds = [...new Set(data.attachmentIds ?? [])]
      if (attachmentIds.length) {
        const found = await db.ticketAttachment.findMany({
          where: { id: { in: attachmentIds }, ticketId: id, noteId: null },
          select: { id: true },
        })
        const unknown = attachmentIds.filter((a) => !found.some((f) => f.id === a))
        if (unknown.length)
          throw userError(
            ErrorCode.VALIDATION,
            `attachmentIds: not a free attachment of #${id}: ${unknown.join(', ')}`,
            {
              details: [
                { in: 'payload', path: 'attachmentIds', message: `unknown or already used: ${unknown.join(', ')}` },
              ],
            },
          )
      }
      const actorName = await kernel.actorName(actor)
      const now = clock.now()
      const note = await db.$transaction(async (tx) => {
        const created = await tx.ticketNote.create({
          data: { ticketId: id, authorId: actor.userId, body: data.body, createdAt: now },
        })
        if (attachmentIds.length)
          await tx.ticketAttachment.updateMany({ where: { id: { in: attachmentIds } }, data: { noteId: created.id } })
        await tx.ticket.update({ where: { id }, data: { updatedAt: now } })
        await kernel.writeEvent(tx, id, {
          kind: 'note',
          actorId: actor.userId,
          actorName,
          data: { noteId: created.id, attachments: attachmentIds.length },
        })
        return created
      })
      await bus.publish('ticket.note', busPayload(ticket, { noteId: note.id })).catch((error: unknown) => {
        deps.logger?.error({ err: error, ticketId: id }, 'a ticket event could not be published')
      })
      return (await views.notes([note.id])).get(note.id)!
    },

    /** Stores a file on the ticket (not yet on a note: pass its id to addNote to attach it to one). */
    async attach(actor: TicketActor, id: number, file: { fileName: string; mimeType: string; data: Buffer }) {
      const ticket = await kernel.load(id)
      kernel.notMerged(ticket)
      const stored = await files.store(id, file.mimeType, file.data)
      const row = await db.ticketAttachment.create({
        data: {
          ticketId: id,
          fileName: file.fileName.slice(0, 200) || 'attachment',
          mimeType: file.mimeType,
          size: stored.size,
          storageKey: stored.storageKey,
          uploadedById: actor.userId,
          createdAt: clock.now(),
        },
      })
      return (await views.attachments([row]))[0]!
    },

    /** An attachment's row and bytes; 404 unless it belongs to this ticket. */
    async attachment(id: number, attachmentId: string) {
      const row = await db.ticketAttachment.findFirst({ where: { id: attachmentId, ticketId: id } })
      if (!row) throw userError(ErrorCode.NOT_FOUND, `No attachment ${attachmentId} on ticket #${id}`, { status: 404 })
      const data = await files.read(row.storageKey).catch(() => null)
      if (!data)
        throw userError(ErrorCode.NOT_FOUND, `The file of attachment ${attachmentId} is missing`, { status: 404 })
      return { row, data }
    },

    /** Writes into a ticket's history from another module (an SLA breach, a survey answer, a callback outcome). */
    async addEvent(ticketId: number, event: TicketEventInput): Promise<TicketHistoryItem> {
      await kernel.load(ticketId)
      const row = await db.$transaction((tx) => kernel.writeEvent(tx, ticketId, event))
      const { seq, ...data } = row.data as { seq: number } & Record<string, unknown>
      return {
        id: row.id,
        seq,
        at: row.createdAt,
        kind: row.kind,
        actorId: row.actorId,
        actorName: row.actorName,
        data,
        note: null,
      }
    },

    /** Links another conversation (the customer wrote again elsewhere); linking one already linked changes nothing. */
    async linkConversation(actor: TicketActor, id: number, conversationId: string): Promise<TicketDetail> {
      const before = await kernel.load(id)
      kernel.notMerged(before)
      await kernel.checkRefs({ conversationId })
      const linked = await db.ticketConversation.findUnique({
        where: { ticketId_conversationId: { ticketId: id, conversationId } },
      })
      if (linked) return detail(id, actor.origin)
      const conversation = await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })
      const actorName = await kernel.actorName(actor)
      const after = await db.$transaction(async (tx) => {
        await tx.ticketConversation.create({ data: { ticketId: id, conversationId, linkedAt: clock.now() } })
        const saved = await kernel.bump(tx, before, {
          ...(before.contactId ? {} : { contactId: conversation.contactId }),
          ...(before.conversationId ? {} : { conversationId }),
        })
        await kernel.writeEvent(tx, id, {
          kind: 'linked',
          actorId: actor.userId,
          actorName,
          data: { conversationId, channel: conversation.channel },
        })
        return saved
      })
      await committed('linked', after, before, actor, 'ticket.updated', {
        changes: ['conversations'],
        linkedConversationId: conversationId,
      })
      return detail(id, actor.origin)
    },

    merge: restructure.merge,
    split: (actor: TicketActor, id: number, input: SplitTicketInput) => restructure.split(actor, id, input),

    /** Events and notes in the order they happened. */
    async history(id: number): Promise<TicketHistoryItem[]> {
      await kernel.load(id)
      return views.history(id)
    },

    /** The newest ticket linked to the conversation that is neither resolved nor closed (nor merged), or null. */
    findOpenForConversation: (conversationId: string): Promise<TicketRow | null> =>
      db.ticket.findFirst({
        where: {
          status: { notIn: CLOSED_STATUSES },
          mergedIntoId: null,
          conversations: { some: { conversationId } },
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),

    /**
     * A linked conversation's thread, for whoever the ticket is for: its assignee and its team (an
     * escalation's new team included), supervisors in scope. An agent who sees the ticket only
     * because it has no team (or through another rule) must also see the conversation itself.
     */
    async conversationMessages(
      id: number,
      conversationId: string,
      options: { afterSeq?: number; limit: number },
      viewer?: TicketViewer,
    ) {
      const link = await db.ticketConversation.findUnique({
        where: { ticketId_conversationId: { ticketId: id, conversationId } },
      })
      if (!link)
        throw userError(ErrorCode.NOT_FOUND, `Conversation ${conversationId} is not linked to ticket #${id}`, {
          status: 404,
        })
      if (viewer?.role === 'agent' && deps.conversations) {
        const ticket = await kernel.load(id)
        const ours =
          ticket.assigneeId === viewer.userId ||
          (ticket.teamId !== null &&
            (await db.teamMember.count({ where: { teamId: ticket.teamId, userId: viewer.userId } })) > 0)
        if (!ours) await deps.conversations.visible({ userId: viewer.userId, supervisor: false }, conversationId)
      }
      return db.message.findMany({
        where: { conversationId, seq: { gt: options.afterSeq ?? 0 } },
        orderBy: { seq: 'asc' },
        take: options.limit,
      })
    },

    /**
     * What the customer's status link shows: the ticket's own number, subject and status. A merged
     * ticket shows its own number and subject with the status "merged into another request": the
     * ticket it went into may be another customer's (merging across contacts is allowed), so nothing
     * of that one is shown.
     */
    async statusByToken(token: string): Promise<PublicTicketStatus> {
      const row = await db.ticket.findUnique({ where: { statusToken: token } })
      if (!row) throw userError(ErrorCode.NOT_FOUND, 'No ticket has this status link', { status: 404 })
      const status: PublicTicketStatus['status'] = row.mergedIntoId !== null ? 'merged' : (row.status as TicketStatus)
      return {
        number: row.id,
        subject: row.subject,
        status,
        statusText: PUBLIC_STATUS_TEXT[status],
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        resolvedAt: row.resolvedAt,
      }
    },

    statusUrl,

    /** Whether the customer hears about their ticket in their conversation. */
    settings: (): Promise<TicketSettings> => readTicketSettings(db),
    async updateSettings(actor: TicketActor, input: TicketSettings): Promise<TicketSettings> {
      const settings = parseInput(ticketSettingsInput, input, 'payload')
      await writeTicketSettings(db, settings)
      await audit.record(actor, { action: 'tickets.settings.updated', targetType: 'setting', details: settings })
      return settings
    },

    /** Called after every committed change, awaited; returns a function that removes it. */
    onChange(listener: TicketChangeListener): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }

  async function namesOf(teamIds: Array<string | null>, userIds: Array<string | null>) {
    const [teams, users] = await Promise.all([
      db.team.findMany({
        where: { id: { in: teamIds.filter((v): v is string => !!v) } },
        select: { id: true, name: true },
      }),
      db.user.findMany({
        where: { id: { in: userIds.filter((v): v is string => !!v) } },
        select: { id: true, name: true },
      }),
    ])
    const names = new Map<string | null, string | undefined>()
    for (const r of [...teams, ...users]) names.set(r.id, r.name)
    return names
  }

  return service
}
export type TicketsService = ReturnType<typeof createTicketsService>

function staleVersion(row: TicketRow) {
  return userError(
    ErrorCode.CONFLICT,
    `Ticket #${row.id} is at version ${row.version}: someone changed it since you read it; reload it and apply your change again`,
    { status: 409, details: [{ in: 'payload', path: 'version', message: `stale; the ticket is at ${row.version}` }] },
  )
}

const encodeCursor = (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString('base64url')

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown }
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o
  } catch {
    // falls through to the error
  }
  throw userError(ErrorCode.VALIDATION, 'cursor: not a cursor this list gave', {
    details: [{ in: 'query', path: 'cursor', message: 'use nextCursor from the previous page' }],
  })
}
