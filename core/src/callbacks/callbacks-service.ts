import type { Actor, AuditLog } from '../audit/index.js'
import { systemActor } from '../audit/index.js'
import { roleIncludes, type AuthUser } from '../auth/index.js'
import { storedBusinessHours } from '../calendar/index.js'
import type { ConversationsService } from '../conversations/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import { notify } from '../notifications/index.js'
import { normalizePhone, type PiiCipher } from '../pii/index.js'
import type { Db, Prisma } from '../storage/index.js'
import { readTeamScope } from '../teams/index.js'
import { parseInput } from '../validation/parse-input.js'
import { channelFits, hasMessagingChannel, placeInQueue, type ConversationRow } from './callback-conversation.js'
import {
  ACTIVE_STATUSES,
  callbackOfferInput,
  createCallbackInput,
  MISSED_OUTCOME,
  outcomeInput,
  RETRYABLE_OUTCOMES,
  updateCallbackInput,
  type CallbackMode,
  type CallbackOfferInput,
  type CallbackSource,
  type CallbackView,
  type CreateCallbackInput,
  type HistoryEntry,
  type ListCallbacksQuery,
  type OutcomeInput,
  type UpdateCallbackInput,
} from './callback-dto.js'
import { customerMessage, dueNotification, failedNotification, languageOf } from './callback-texts.js'
import { maskPhone, openAtOrAfter, retryDelayMs, withinWindow } from './callback-timing.js'

/** A callback becomes due: it joins its queue as a conversation. Keyed `callback:<id>`. */
export const CALLBACK_DUE_JOB = 'callbacks.due'
/** Its window ends: still not completed → missed. Keyed `callback:<id>:window-end`. */
export const CALLBACK_WINDOW_END_JOB = 'callbacks.window-end'
/** jobs the flow runtime scheduled before callbacks had their own module */
const LEGACY_FLOW_JOB = 'flows.callback-due'

type CallbackRow = NonNullable<Awaited<ReturnType<Db['callback']['findUnique']>>>
type QueueRow = NonNullable<Awaited<ReturnType<Db['queue']['findUnique']>>>

/** Who is asking: agents see and change their own callbacks, supervisors and admins all of them. */
export type CallbackUser = Pick<AuthUser, 'id' | 'role'>

/** What a schedule-callback node asks for (its run's conversation gives the contact and the queue). */
export interface FlowCallbackRequest {
  conversationId: string | null
  runId: string
  /** not before this time; as soon as the queue is open when not given */
  at?: Date
  /** how long after it is first due the promise holds */
  windowMs?: number
  /** queue name or id; the conversation's queue when not given */
  queue?: string
  mode?: CallbackMode
  phone?: string
  note: string
}

export interface CallbacksDeps {
  db: Db
  infra: Infra
  audit: AuditLog
  logger: Logger
  pii: PiiCipher
  /** for phone numbers written without a country code */
  phoneRegion: string
  conversations: ConversationsService
  /** writes an entry in a ticket's history (the tickets module's addEvent), for callbacks linked to a ticket */
  ticketEvent?: (
    ticketId: number,
    event: { kind: string; actorId?: string | null; actorName: string; data?: Record<string, unknown> },
  ) => Promise<unknown>
}

interface ScheduleSpec {
  source: CallbackSource
  createdById: string | null
  contactId?: string
  conversation: ConversationRow | null
  queue?: string
  mode: CallbackMode
  phone?: string
  note: string
  windowStart?: Date
  windowEnd?: Date
  /** the window's length from the first due time, when no end is given */
  windowMs?: number
  priority: number
  maxAttempts: number
  retryMinutes: number
  /** a queue offer: the place in line it keeps, and the conversation it takes out of the line */
  queuedAt?: Date
  takeOutOfLine?: boolean
}

const bad = (path: string, message: string, status = 400) =>
  userError(status === 404 ? ErrorCode.NOT_FOUND : ErrorCode.VALIDATION, message, {
    status,
    details: [{ path, message }],
  })
const conflict = (message: string) => userError(ErrorCode.CONFLICT, message, { status: 409 })
const isSupervisor = (user: CallbackUser) => roleIncludes(user.role, 'supervisor')
const historyOf = (row: CallbackRow): HistoryEntry[] =>
  Array.isArray(row.history) ? (row.history as HistoryEntry[]) : []

export type CallbacksService = ReturnType<typeof createCallbacksService>

/**
 * Callbacks: promises to get back to a customer — from a flow node (after hours), a queue offer
 * (keep my place and call me back), a chat or an agent. A callback is a row and two durable jobs
 * (due, window end); when due it joins its queue as a conversation, so the ACD gives it to an
 * agent by presence, capacity, skills and priority — at the caller's original place in line for a
 * queue offer. The agent records the outcome; a missed attempt is retried with backoff inside the
 * window and the queue's business hours. Phone numbers are encrypted at rest. See docs/callbacks.md.
 */
export function createCallbacksService(deps: CallbacksDeps) {
  const { db, infra, audit, logger, pii } = deps
  const { bus, scheduler, clock } = infra
  let listening: Promise<void> | null = null
  let unsubscribe: (() => Promise<void>) | null = null

  // ── reading ──────────────────────────────────────────────────────────────

  async function find(id: string): Promise<CallbackRow> {
    const row = await db.callback.findUnique({ where: { id } })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No callback ${id}`, { status: 404 })
    return row
  }

  const decryptPhone = (stored: string | null) => (stored === null ? null : pii.decrypt('contact.phone', stored))

  async function views(rows: CallbackRow[], user: CallbackUser | null): Promise<CallbackView[]> {
    const ids = [...new Set(rows.map((r) => r.contactId).filter((id): id is string => id !== null))]
    const contacts = ids.length
      ? await db.contact.findMany({ where: { id: { in: ids } }, select: { id: true, nameEnc: true, language: true } })
      : []
    const byId = new Map(contacts.map((c) => [c.id, c]))
    return rows.map((row) => {
      const contact = row.contactId ? byId.get(row.contactId) : undefined
      const phone = decryptPhone(row.phoneEnc)
      const plain = user === null || isSupervisor(user) || row.assigneeId === user.id || row.createdById === user.id
      return {
        id: row.id,
        contactId: row.contactId,
        contact: contact
          ? {
              name: contact.nameEnc === null ? null : pii.decrypt('contact.name', contact.nameEnc),
              language: contact.language,
            }
          : null,
        conversationId: row.conversationId,
        ticketId: row.ticketId,
        queueId: row.queueId,
        mode: row.mode,
        phone: phone === null || plain ? phone : maskPhone(phone),
        phoneMasked: phone !== null && !plain,
        note: row.note,
        source: row.source,
        status: row.status,
        priority: row.priority,
        queuedAt: row.queuedAt,
        windowStart: row.windowStart,
        windowEnd: row.windowEnd,
        dueAt: row.dueAt,
        attempts: row.attempts,
        maxAttempts: row.maxAttempts,
        retryMinutes: row.retryMinutes,
        assigneeId: row.assigneeId,
        outcome: row.outcome,
        history: historyOf(row),
        createdById: row.createdById,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        completedAt: row.completedAt,
      }
    })
  }
  const view = async (row: CallbackRow, user: CallbackUser | null) => (await views([row], user))[0]!

  async function queuesOf(userId: string): Promise<string[]> {
    const rows = await db.queueMember.findMany({ where: { userId }, select: { queueId: true } })
    return rows.map((r) => r.queueId)
  }

  /**
   * Agents: theirs (assigned or made by them) and the unassigned due ones of their queues.
   * Supervisors in teams: those of the queues of their teams or of no team, those their teammates
   * have, and their own; admins and supervisors in no team: all.
   */
  async function scopeOf(user: CallbackUser): Promise<Prisma.CallbackWhereInput> {
    if (isSupervisor(user)) {
      const scope = await readTeamScope(db, user)
      if (scope.kind === 'all') return {}
      const queues = await db.queue.findMany({
        where: { OR: [{ teamId: null }, { teamId: { in: [...scope.teamIds] } }] },
        select: { id: true },
      })
      return {
        OR: [
          { queueId: null },
          { queueId: { in: queues.map((q) => q.id) } },
          { assigneeId: { in: [...scope.teammateIds] } },
          { createdById: user.id },
        ],
      }
    }
    return {
      OR: [
        { assigneeId: user.id },
        { createdById: user.id },
        { status: 'due', assigneeId: null, queueId: { in: await queuesOf(user.id) } },
      ],
    }
  }

  async function visible(user: CallbackUser, id: string): Promise<CallbackRow> {
    const row = await db.callback.findFirst({ where: { AND: [{ id }, await scopeOf(user)] } })
    if (row) return row
    await find(id)
    throw userError(ErrorCode.FORBIDDEN, `Callback ${id} is neither yours nor waiting in one of your queues`, {
      status: 403,
    })
  }

  function mayChange(user: CallbackUser, row: CallbackRow): void {
    if (isSupervisor(user) || row.assigneeId === user.id || row.createdById === user.id) return
    throw userError(ErrorCode.FORBIDDEN, `Callback ${row.id} is not yours to change; ask a supervisor`, {
      status: 403,
    })
  }

  // ── timing ───────────────────────────────────────────────────────────────

  async function queueBy(ref: string): Promise<QueueRow | null> {
    return (await db.queue.findUnique({ where: { id: ref } })) ?? (await db.queue.findUnique({ where: { name: ref } }))
  }

  /** `at`, or the queue's next opening when it is closed then; null when it never opens. */
  function openingFor(queue: QueueRow, at: Date): Date | null {
    return openAtOrAfter(storedBusinessHours(queue.businessHours), at)
  }

  // ── jobs ─────────────────────────────────────────────────────────────────

  const dueKey = (id: string) => `callback:${id}`
  const windowKey = (id: string) => `callback:${id}:window-end`

  async function scheduleDue(id: string, at: Date, key = dueKey(id)) {
    await scheduler.schedule({ type: CALLBACK_DUE_JOB, key, runAt: at, payload: { callbackId: id } })
  }
  /**
   * A new due time for a callback whose due job may be running right now (it then misses its
   * claim, the due time having changed): the new time goes on the second key instead of being lost.
   */
  async function rescheduleDue(id: string, at: Date) {
    try {
      await scheduleDue(id, at)
    } catch (error) {
      if ((error as { code?: string }).code !== ErrorCode.CONFLICT) throw error
      await scheduleDue(id, at, `${dueKey(id)}:hours`)
    }
  }
  async function scheduleWindowEnd(id: string, windowEnd: Date | null) {
    if (windowEnd === null) await scheduler.cancel(windowKey(id))
    else
      await scheduler.schedule({
        type: CALLBACK_WINDOW_END_JOB,
        key: windowKey(id),
        runAt: windowEnd,
        payload: { callbackId: id },
      })
  }
  async function cancelJobs(id: string) {
    await scheduler.cancel(dueKey(id))
    await scheduler.cancel(`${dueKey(id)}:hours`)
    await scheduler.cancel(windowKey(id))
  }

  scheduler.define(CALLBACK_DUE_JOB, async (job) => becomeDue((job.payload as { callbackId: string }).callbackId))
  scheduler.define(CALLBACK_WINDOW_END_JOB, async (job) =>
    windowEnded((job.payload as { callbackId: string }).callbackId),
  )
  // a job of the flows' first callbacks (before this module): made into a callback now, if it can be
  scheduler.define(LEGACY_FLOW_JOB, async (job) => {
    const { conversationId, note, phone, runId } = job.payload as {
      conversationId: string | null
      note?: string
      phone?: string | null
      runId?: string
    }
    await scheduleFromFlow({ conversationId, note: note ?? '', phone: phone ?? undefined, runId: runId ?? '' }).catch(
      (error: unknown) => logger.warn({ err: error, jobId: job.id }, 'an old flow callback could not be scheduled'),
    )
  })

  // ── events ───────────────────────────────────────────────────────────────

  async function publish(topic: string, row: CallbackRow, extra: Record<string, unknown> = {}) {
    // no phone number here: bus events reach webhooks and flows
    await bus.publish(topic, {
      callbackId: row.id,
      status: row.status,
      conversationId: row.conversationId,
      contactId: row.contactId,
      queueId: row.queueId,
      ticketId: row.ticketId,
      mode: row.mode,
      source: row.source,
      dueAt: row.dueAt.toISOString(),
      attempts: row.attempts,
      assigneeId: row.assigneeId,
      ...extra,
    })
  }

  async function publishConversation(
    topic: string,
    conversation: ConversationRow,
    extra: Record<string, unknown> = {},
  ) {
    await bus.publish(topic, {
      conversationId: conversation.id,
      version: conversation.version,
      status: conversation.status,
      queueId: conversation.queueId,
      assigneeId: conversation.assigneeId,
      contactId: conversation.contactId,
      channel: conversation.channel,
      ...extra,
    })
  }

  async function contactName(contactId: string | null): Promise<{ name: string | null; language: string | null }> {
    if (!contactId) return { name: null, language: null }
    const c = await db.contact.findUnique({ where: { id: contactId }, select: { nameEnc: true, language: true } })
    return { name: c?.nameEnc ? pii.decrypt('contact.name', c.nameEnc) : null, language: c?.language ?? null }
  }

  async function toTicket(row: CallbackRow, kind: string, actorName: string, data: Record<string, unknown>) {
    if (row.ticketId === null || !deps.ticketEvent) return
    await deps
      .ticketEvent(row.ticketId, { kind, actorName, data: { callbackId: row.id, ...data } })
      .catch((error: unknown) =>
        logger.warn({ err: error, callbackId: row.id }, 'the ticket history did not get the callback'),
      )
  }

  async function teamOf(queueId: string | null): Promise<string | null> {
    if (!queueId) return null
    return (await db.queue.findUnique({ where: { id: queueId }, select: { teamId: true } }))?.teamId ?? null
  }

  async function failed(row: CallbackRow, reason: string) {
    await publish('callback.failed', row, { outcome: row.outcome, reason })
    const who = await contactName(row.contactId)
    await notify(bus, {
      kind: 'callback.failed',
      ...failedNotification(who.name, reason),
      link: `/callbacks/${row.id}`,
      userIds: row.assigneeId ? [row.assigneeId] : [],
      supervisors: true,
      teamId: await teamOf(row.queueId),
      data: { callbackId: row.id, conversationId: row.conversationId },
      at: clock.now().toISOString(),
    })
  }

  /** Takes the callback's conversation out of the line when it still waits there for this callback. */
  async function leaveQueue(row: CallbackRow, actor: Actor) {
    if (!row.conversationId) return
    const conversation = await db.conversation.findUnique({ where: { id: row.conversationId } })
    if (!conversation || conversation.status !== 'queued') return
    if ((conversation.attributes as Record<string, unknown> | null)?.callbackId !== row.id) return
    await deps.conversations.update(actor, conversation.id, { status: 'resolved' })
  }

  // ── due → in the queue → assigned ────────────────────────────────────────

  async function becomeDue(id: string): Promise<void> {
    await listen()
    const row = await db.callback.findUnique({ where: { id } })
    const now = clock.now()
    if (!row || row.status !== 'scheduled' || row.dueAt.getTime() > now.getTime()) return
    const queue = row.queueId ? await db.queue.findUnique({ where: { id: row.queueId } }) : null
    if (!queue) return fail(row, 'its queue no longer exists', systemActor('callbacks'))
    // the queue's hours may have changed since it was scheduled
    const opens = openingFor(queue, now)
    if (!opens || !withinWindow(opens, row.windowEnd))
      return fail(row, 'its queue does not open again within its window', systemActor('callbacks'))
    if (opens.getTime() > now.getTime()) {
      await db.callback.updateMany({ where: { id, status: 'scheduled' }, data: { dueAt: opens } })
      // this job's own key is running: the move gets a key of its own
      await scheduleDue(id, opens, `${dueKey(id)}:hours`)
      return
    }
    const placed = await db.$transaction(async (tx) => {
      const claimed = await tx.callback.updateMany({
        where: { id, status: 'scheduled', dueAt: row.dueAt },
        data: { status: 'due' },
      })
      if (claimed.count !== 1) return null
      const placement = await placeInQueue(tx, row, queue.id, row.queuedAt ?? row.dueAt)
      if ('unplaceable' in placement) return placement
      const held = placement.conversation.status === 'assigned'
      const saved = await tx.callback.update({
        where: { id },
        data: { conversationId: placement.conversation.id, ...(held ? {} : { assigneeId: null }) },
      })
      return { ...placement, row: saved }
    })
    if (placed === null) return
    if ('unplaceable' in placed) return fail({ ...row, status: 'due' }, placed.unplaceable, systemActor('callbacks'))
    const { conversation, row: due } = placed
    if (placed.created) await publishConversation('conversation.created', conversation)
    if (placed.reopened) await publishConversation('conversation.reopened', conversation, { callbackId: id })
    await publish('callback.due', due)
    if (conversation.status === 'queued') {
      await bus.publish('conversation.queued', {
        conversationId: conversation.id,
        queueId: queue.id,
        queue: queue.name,
        priority: conversation.priority,
        skills: [],
        callbackId: id,
      })
    } else if (conversation.assigneeId) {
      // still with the agent who had the conversation: theirs at once
      await assigned(due, conversation.assigneeId)
    }
  }

  /** The ACD (or a transfer) gave the callback's conversation to an agent: the callback is theirs. Idempotent. */
  async function assigned(row: CallbackRow, agentId: string): Promise<void> {
    if (row.assigneeId === agentId && row.status === 'assigned') return
    const first = row.status === 'due'
    const taken = await db.callback.updateMany({
      where: { id: row.id, status: row.status, assigneeId: row.assigneeId },
      data: { status: 'assigned', assigneeId: agentId },
    })
    if (taken.count !== 1) return
    const saved = await find(row.id)
    await publish('callback.assigned', saved)
    const who = await contactName(saved.contactId)
    await notify(bus, {
      kind: 'callback.due',
      ...dueNotification(who.name, saved.note),
      link: `/callbacks/${saved.id}`,
      userIds: [agentId],
      data: { callbackId: saved.id, conversationId: saved.conversationId, mode: saved.mode },
      at: clock.now().toISOString(),
    })
    if (first && saved.mode === 'message' && saved.conversationId)
      await deps.conversations
        .deliverFlowOutputs(saved.conversationId, [
          { kind: 'message', text: customerMessage[languageOf(who.language)] },
        ])
        .catch((error: unknown) =>
          logger.warn({ err: error, callbackId: saved.id }, 'the callback message was not sent to the customer'),
        )
  }

  async function onConversationAssigned(event: unknown): Promise<void> {
    const { conversationId, assigneeId } = (event ?? {}) as { conversationId?: string; assigneeId?: string | null }
    if (!conversationId || !assigneeId) return
    const row = await db.callback.findFirst({
      where: { conversationId, status: { in: ['due', 'assigned'] } },
      orderBy: { createdAt: 'desc' },
    })
    if (row) await assigned(row, assigneeId)
  }

  /** Due callbacks whose conversation was assigned while nobody listened (the bus delivers at most once). */
  async function reconcile(): Promise<void> {
    const due = await db.callback.findMany({
      where: { status: 'due', conversationId: { not: null } },
      take: 1000,
    })
    if (due.length === 0) return
    const taken = await db.conversation.findMany({
      where: { id: { in: due.map((r) => r.conversationId!) }, status: 'assigned', assigneeId: { not: null } },
      select: { id: true, assigneeId: true },
    })
    for (const c of taken) {
      const row = due.find((r) => r.conversationId === c.id)
      if (row) await assigned(row, c.assigneeId!)
    }
  }

  /** Follows assignments from the first moment callbacks can be in line (start, or the first due one). */
  function listen(): Promise<void> {
    listening ??= (async () => {
      unsubscribe = await bus.subscribe('conversation.assigned', (event) =>
        onConversationAssigned(event).catch((error: unknown) =>
          logger.error({ err: error }, 'a callback did not follow its conversation’s assignment'),
        ),
      )
      await reconcile()
    })().catch((error: unknown) => {
      listening = null
      throw error
    })
    return listening
  }

  // ── failing, missing the window ──────────────────────────────────────────

  async function fail(row: CallbackRow, reason: string, actor: Actor): Promise<void> {
    const done = await db.callback.updateMany({
      where: { id: row.id, status: row.status },
      data: { status: 'failed' },
    })
    if (done.count !== 1) return
    await cancelJobs(row.id)
    await leaveQueue(row, actor)
    const saved = await find(row.id)
    await audit.record(actor, {
      action: 'callback.failed',
      targetType: 'callback',
      targetId: row.id,
      details: { reason },
    })
    await toTicket(saved, 'callback', 'callback', { status: 'failed', reason })
    await failed(saved, reason)
  }

  async function windowEnded(id: string): Promise<void> {
    const row = await db.callback.findUnique({ where: { id } })
    const now = clock.now()
    if (!row || !ACTIVE_STATUSES.includes(row.status as never)) return
    if (!row.windowEnd || row.windowEnd.getTime() > now.getTime()) return
    const entry: HistoryEntry = {
      at: now.toISOString(),
      agentId: null,
      outcome: MISSED_OUTCOME,
      note: 'the window ended',
      attempt: row.attempts,
    }
    const done = await db.callback.updateMany({
      where: { id, status: row.status, attempts: row.attempts },
      data: {
        status: 'failed',
        outcome: MISSED_OUTCOME,
        history: [...historyOf(row), entry] as Prisma.InputJsonArray,
      },
    })
    if (done.count !== 1) return
    await scheduler.cancel(dueKey(id))
    await scheduler.cancel(`${dueKey(id)}:hours`)
    const actor = systemActor('callbacks')
    await leaveQueue(row, actor)
    const saved = await find(id)
    await audit.record(actor, { action: 'callback.missed', targetType: 'callback', targetId: id })
    await toTicket(saved, 'callback', 'callback', { status: 'failed', outcome: MISSED_OUTCOME })
    await failed(saved, 'the window ended before it was completed')
  }

  // ── making one ───────────────────────────────────────────────────────────

  async function schedule(actor: Actor, spec: ScheduleSpec): Promise<CallbackRow> {
    const conversation = spec.conversation
    const contactId = spec.contactId ?? conversation?.contactId
    if (!contactId) throw bad('contactId', 'give contactId or conversationId: whom to call back')
    if (spec.contactId && conversation && conversation.contactId !== spec.contactId)
      throw bad('contactId', `conversation ${conversation.id} belongs to another contact`)
    let contact = await db.contact.findUnique({ where: { id: contactId } })
    if (contact?.mergedIntoId) contact = await db.contact.findUnique({ where: { id: contact.mergedIntoId } })
    if (!contact) throw bad('contactId', `no contact ${contactId}`, 404)
    const queueRef = spec.queue ?? conversation?.queueId ?? null
    const queue = queueRef ? await queueBy(queueRef) : null
    if (!queue)
      throw bad(
        'queue',
        queueRef ? `no queue "${queueRef}"` : 'give the queue whose agents call back (the conversation is in none)',
      )
    const phone = spec.phone
      ? normalizePhone(spec.phone, deps.phoneRegion)
      : contact.phoneEnc
        ? pii.decrypt('contact.phone', contact.phoneEnc)
        : null
    if (spec.mode === 'voice' && !phone)
      throw bad('phone', 'the contact has no phone number: give the number to call, or use mode "message"')
    if (spec.mode === 'message' && !(await hasMessagingChannel(db, contact.id, conversation?.id ?? null)))
      throw bad('mode', 'the customer has no messaging channel to answer on: use mode "voice" with a phone number')

    const now = clock.now()
    const windowStart = spec.windowStart ?? now
    if (spec.windowEnd && spec.windowEnd.getTime() <= windowStart.getTime())
      throw bad('windowEnd', 'the window ends before it starts')
    if (spec.windowEnd && spec.windowEnd.getTime() <= now.getTime()) throw bad('windowEnd', 'the window is over')
    const earliest = windowStart.getTime() > now.getTime() ? windowStart : now
    const dueAt = openingFor(queue, earliest)
    if (!dueAt) throw bad('queue', `queue "${queue.name}" does not open in the next 400 days`)
    if (spec.windowEnd && !withinWindow(dueAt, spec.windowEnd))
      throw bad('windowEnd', `queue "${queue.name}" is closed for the whole window; it opens at ${dueAt.toISOString()}`)
    const windowEnd = spec.windowEnd ?? (spec.windowMs ? new Date(dueAt.getTime() + spec.windowMs) : null)
    const ticket = conversation
      ? await db.ticket.findFirst({
          where: {
            OR: [{ conversationId: conversation.id }, { conversations: { some: { conversationId: conversation.id } } }],
            status: { notIn: ['resolved', 'closed'] },
          },
          orderBy: { createdAt: 'desc' },
          select: { id: true },
        })
      : null

    // one promise per conversation at a time: checked and made under the conversation's lock, so two
    // requests at once (on any instances) cannot both pass the check
    const row = await withConversationLock(conversation?.id ?? null, () =>
      db.$transaction(async (tx) => {
        if (conversation) {
          const active = await tx.callback.findFirst({
            where: { conversationId: conversation.id, status: { in: ACTIVE_STATUSES } },
            select: { id: true },
          })
          if (active) throw conflict(`Conversation ${conversation.id} already has callback ${active.id} to be made`)
        }
        const created = await tx.callback.create({
          data: {
            contactId: contact.id,
            conversationId: conversation?.id ?? null,
            ticketId: ticket?.id ?? null,
            queueId: queue.id,
            mode: spec.mode,
            phoneEnc: phone ? pii.encrypt('contact.phone', phone) : null,
            note: spec.note,
            source: spec.source,
            priority: spec.priority,
            queuedAt: spec.queuedAt ?? null,
            windowStart,
            windowEnd,
            dueAt,
            maxAttempts: spec.maxAttempts,
            retryMinutes: spec.retryMinutes,
            createdById: spec.createdById,
            createdAt: now,
          },
        })
        if (spec.takeOutOfLine && conversation) {
          // the caller leaves the line; the callback keeps their place (queuedAt) and comes back to it when due
          const out = await tx.conversation.updateMany({
            where: { id: conversation.id, status: 'queued', assigneeId: null },
            data: {
              status: 'resolved',
              resolvedAt: now,
              attributes: { ...((conversation.attributes ?? {}) as object), callbackId: created.id },
              version: { increment: 1 },
            },
          })
          if (out.count !== 1) throw conflict(`Conversation ${conversation.id} is no longer waiting in its queue`)
        }
        await audit.record(
          actor,
          {
            action: 'callback.created',
            targetType: 'callback',
            targetId: created.id,
            details: { source: spec.source, mode: spec.mode, queueId: queue.id, dueAt: dueAt.toISOString() },
          },
          tx as never,
        )
        return created
      }),
    )
    await scheduleDue(row.id, dueAt)
    await scheduleWindowEnd(row.id, windowEnd)
    if (spec.takeOutOfLine && conversation) {
      const out = await db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })
      await publishConversation('conversation.resolved', out, { callbackId: row.id })
    }
    await publish('callback.scheduled', row)
    await toTicket(row, 'callback', actor.email ?? 'callback', { status: 'scheduled', dueAt: dueAt.toISOString() })
    return row
  }

  function withConversationLock<T>(conversationId: string | null, fn: () => Promise<T>): Promise<T> {
    if (!conversationId) return fn()
    return infra.locks.withLock(`callbacks:conversation:${conversationId}`, { ttlMs: 30_000, waitMs: 10_000 }, fn)
  }

  async function conversationOf(id: string | undefined): Promise<ConversationRow | null> {
    if (!id) return null
    const row = await db.conversation.findUnique({ where: { id } })
    if (!row) throw bad('conversationId', `no conversation ${id}`, 404)
    return row
  }

  /** For the schedule-callback flow node. */
  async function scheduleFromFlow(request: FlowCallbackRequest): Promise<{ id: string; dueAt: Date }> {
    if (!request.conversationId)
      throw new Error('schedule-callback needs the run’s conversation (whom to call back); this run has none')
    const conversation = await conversationOf(request.conversationId)
    const row = await schedule(systemActor(`flow run ${request.runId}`), {
      source: 'flow',
      createdById: null,
      conversation,
      queue: request.queue,
      mode: request.mode ?? 'voice',
      phone: request.phone,
      note: request.note,
      windowStart: request.at,
      windowMs: request.windowMs,
      priority: conversation?.priority ?? 0,
      maxAttempts: 2,
      retryMinutes: 30,
    })
    return { id: row.id, dueAt: row.dueAt }
  }

  // ── the outcome ──────────────────────────────────────────────────────────

  async function recordOutcome(
    user: CallbackUser,
    actor: Actor,
    id: string,
    input: OutcomeInput,
  ): Promise<CallbackView> {
    const data = parseInput(outcomeInput, input)
    let row = await find(id)
    if (row.status === 'due' && row.conversationId) {
      // an assignment the bus did not bring
      const c = await db.conversation.findUnique({ where: { id: row.conversationId } })
      if (c?.status === 'assigned' && c.assigneeId) {
        await assigned(row, c.assigneeId)
        row = await find(id)
      }
    }
    row = await visible(user, id)
    const missed = row.status === 'failed' && row.outcome === MISSED_OUTCOME
    if (row.status !== 'due' && row.status !== 'assigned' && !missed)
      throw conflict(`Callback ${id} is ${row.status}: there is no attempt to record`)
    if (!isSupervisor(user) && row.assigneeId !== user.id)
      throw userError(ErrorCode.FORBIDDEN, `Callback ${id} is assigned to someone else; ask a supervisor`, {
        status: 403,
      })

    const now = clock.now()
    const attempts = row.attempts + 1
    const entry: HistoryEntry = {
      at: now.toISOString(),
      agentId: user.id,
      outcome: data.outcome,
      note: data.note,
      attempt: attempts,
    }
    let next: { status: 'completed' | 'scheduled' | 'failed'; dueAt?: Date; reason?: string }
    if (data.outcome === 'completed') next = { status: 'completed' }
    else if (!RETRYABLE_OUTCOMES.includes(data.outcome)) next = { status: 'failed', reason: data.outcome }
    else if (attempts >= row.maxAttempts) next = { status: 'failed', reason: `${attempts} attempts, ${data.outcome}` }
    else {
      const queue = row.queueId ? await db.queue.findUnique({ where: { id: row.queueId } }) : null
      const retryAt = queue
        ? openingFor(queue, new Date(now.getTime() + retryDelayMs(row.retryMinutes, attempts)))
        : null
      next =
        retryAt && withinWindow(retryAt, row.windowEnd)
          ? { status: 'scheduled', dueAt: retryAt }
          : { status: 'failed', reason: `${data.outcome}, no time left in the window` }
    }
    const done = await db.$transaction(async (tx) => {
      const updated = await tx.callback.updateMany({
        where: { id, status: row.status, attempts: row.attempts },
        data: {
          status: next.status,
          attempts,
          outcome: data.outcome,
          history: [...historyOf(row), entry] as Prisma.InputJsonArray,
          ...(next.status === 'completed' ? { completedAt: now } : {}),
          ...(next.dueAt ? { dueAt: next.dueAt, assigneeId: null } : {}),
        },
      })
      if (updated.count !== 1) return false
      await audit.record(
        actor,
        {
          action: 'callback.outcome',
          targetType: 'callback',
          targetId: id,
          details: { outcome: data.outcome, attempt: attempts, status: next.status },
        },
        tx as never,
      )
      return true
    })
    if (!done) throw conflict(`Callback ${id} changed meanwhile; reload it`)
    // after the commit: a crash in between is caught up by start(), which re-asserts the jobs
    if (next.dueAt) await rescheduleDue(id, next.dueAt)
    else await cancelJobs(id)
    const saved = await find(id)
    // the attempt is over: its conversation too, except a chat the agent goes on with
    if (saved.conversationId && (saved.mode === 'voice' || next.status !== 'completed')) {
      const c = await db.conversation.findUnique({ where: { id: saved.conversationId } })
      if (c && c.status !== 'resolved' && c.status !== 'bot')
        await deps.conversations.update(actor, c.id, { status: 'resolved' })
    }
    await toTicket(saved, 'callback', actor.email ?? 'agent', {
      outcome: data.outcome,
      note: data.note,
      attempt: attempts,
      status: next.status,
    })
    if (next.status === 'completed') await publish('callback.completed', saved, { outcome: data.outcome })
    else if (next.status === 'scheduled')
      await publish('callback.scheduled', saved, { retry: true, outcome: data.outcome })
    else await failed(saved, next.reason ?? data.outcome)
    return view(saved, user)
  }

  // ── changing one ─────────────────────────────────────────────────────────

  async function update(
    user: CallbackUser,
    actor: Actor,
    id: string,
    change: UpdateCallbackInput,
  ): Promise<CallbackView> {
    const data = parseInput(updateCallbackInput, change)
    const row = await visible(user, id)
    mayChange(user, row)
    if (!ACTIVE_STATUSES.includes(row.status as never))
      throw conflict(`Callback ${id} is ${row.status}; it cannot change`)
    if (data.status === 'cancelled') return cancel(user, actor, row)
    const retimed = data.windowStart !== undefined || data.windowEnd !== undefined
    if (retimed && row.status !== 'scheduled')
      throw conflict(`Callback ${id} is ${row.status}: record an outcome (e.g. busy) to try again later, or cancel it`)
    const patch: Prisma.CallbackUpdateManyMutationInput = {}
    if (data.note !== undefined) patch.note = data.note
    if (data.maxAttempts !== undefined) patch.maxAttempts = data.maxAttempts
    if (data.retryMinutes !== undefined) patch.retryMinutes = data.retryMinutes
    if (data.phone !== undefined) {
      if (data.phone === null && row.mode === 'voice') throw bad('phone', 'a voice callback needs a number to call')
      patch.phoneEnc =
        data.phone === null ? null : pii.encrypt('contact.phone', normalizePhone(data.phone, deps.phoneRegion))
    }
    if (retimed) {
      const now = clock.now()
      const windowStart = data.windowStart ? new Date(data.windowStart) : row.windowStart
      const windowEnd =
        data.windowEnd === undefined ? row.windowEnd : data.windowEnd === null ? null : new Date(data.windowEnd)
      if (windowEnd && windowEnd.getTime() <= windowStart.getTime())
        throw bad('windowEnd', 'the window ends before it starts')
      if (windowEnd && windowEnd.getTime() <= now.getTime()) throw bad('windowEnd', 'the window is over')
      const queue = row.queueId ? await db.queue.findUnique({ where: { id: row.queueId } }) : null
      if (!queue) throw bad('queue', 'its queue no longer exists')
      const dueAt = openingFor(queue, windowStart.getTime() > now.getTime() ? windowStart : now)
      if (!dueAt || !withinWindow(dueAt, windowEnd))
        throw bad('windowEnd', `queue "${queue.name}" is closed for the whole window`)
      Object.assign(patch, { windowStart, windowEnd, dueAt })
    }
    const done = await db.$transaction(async (tx) => {
      const updated = await tx.callback.updateMany({
        where: { id, status: row.status, attempts: row.attempts },
        data: patch,
      })
      if (updated.count !== 1) return false
      await audit.record(
        actor,
        {
          action: 'callback.updated',
          targetType: 'callback',
          targetId: id,
          details: {
            fields: Object.keys(data),
            ...(patch.dueAt ? { dueAt: (patch.dueAt as Date).toISOString() } : {}),
          },
        },
        tx as never,
      )
      return true
    })
    if (!done) throw conflict(`Callback ${id} changed meanwhile; reload it`)
    const saved = await find(id)
    if (retimed) {
      await rescheduleDue(id, saved.dueAt)
      await scheduleWindowEnd(id, saved.windowEnd)
      await publish('callback.scheduled', saved, { rescheduled: true })
    }
    return view(saved, user)
  }

  async function cancel(user: CallbackUser, actor: Actor, row: CallbackRow): Promise<CallbackView> {
    const done = await db.$transaction(async (tx) => {
      const updated = await tx.callback.updateMany({
        where: { id: row.id, status: row.status },
        data: { status: 'cancelled' },
      })
      if (updated.count !== 1) return false
      await audit.record(actor, { action: 'callback.cancelled', targetType: 'callback', targetId: row.id }, tx as never)
      return true
    })
    if (!done) throw conflict(`Callback ${row.id} changed meanwhile; reload it`)
    await cancelJobs(row.id)
    await leaveQueue(row, actor)
    const saved = await find(row.id)
    await publish('callback.cancelled', saved)
    await toTicket(saved, 'callback', actor.email ?? 'agent', { status: 'cancelled' })
    return view(saved, user)
  }

  return {
    /** Follows assignments and re-asserts the jobs of waiting callbacks (their keys make it idempotent). */
    async start(): Promise<void> {
      await listen()
      const waiting = await db.callback.findMany({
        where: { status: { in: ACTIVE_STATUSES } },
        select: { id: true, status: true, dueAt: true, windowEnd: true },
        take: 5000,
      })
      for (const c of waiting) {
        try {
          if (c.status === 'scheduled') await scheduleDue(c.id, c.dueAt)
          if (c.windowEnd) await scheduleWindowEnd(c.id, c.windowEnd)
        } catch (error) {
          // a job running right now (another instance) is already doing it
          logger.debug({ err: error, callbackId: c.id }, 'a callback job was not re-asserted')
        }
      }
    },
    async stop(): Promise<void> {
      const u = unsubscribe
      unsubscribe = null
      listening = null
      if (u) await u()
    },

    scheduleFromFlow,

    /** `query` as listCallbacksQuery gives it (the route parses it). */
    async list(user: CallbackUser, q: ListCallbacksQuery): Promise<CallbackView[]> {
      const where: Prisma.CallbackWhereInput[] = [await scopeOf(user)]
      if (q.status) where.push({ status: { in: q.status } })
      if (q.assignee) where.push({ assigneeId: q.assignee === 'me' ? user.id : q.assignee })
      if (q.from || q.to)
        where.push({ dueAt: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lt: new Date(q.to) } : {}) } })
      if (q.queueId) where.push({ queueId: q.queueId })
      if (q.contactId) where.push({ contactId: q.contactId })
      const rows = await db.callback.findMany({ where: { AND: where }, orderBy: { dueAt: 'asc' }, take: q.limit })
      return views(rows, user)
    },

    async get(user: CallbackUser, id: string): Promise<CallbackView> {
      return view(await visible(user, id), user)
    },

    /** An agent or an API client promises a callback. */
    async create(
      user: CallbackUser & { via?: string },
      actor: Actor,
      input: CreateCallbackInput,
    ): Promise<CallbackView> {
      const data = parseInput(createCallbackInput, input)
      // when due, the callback moves its conversation into the callback's queue: only one the caller may see
      const conversation = await conversationOf(data.conversationId)
      if (conversation)
        await deps.conversations.visible({ userId: user.id, supervisor: isSupervisor(user) }, conversation.id)
      const row = await schedule(actor, {
        source: user.via === 'api-token' ? 'api' : 'agent',
        createdById: user.id,
        contactId: data.contactId,
        conversation,
        queue: data.queue,
        mode: data.mode,
        phone: data.phone,
        note: data.note,
        windowStart: data.windowStart ? new Date(data.windowStart) : undefined,
        windowEnd: data.windowEnd ? new Date(data.windowEnd) : undefined,
        priority: data.priority ?? conversation?.priority ?? 0,
        maxAttempts: data.maxAttempts,
        retryMinutes: data.retryMinutes,
      })
      return view(row, user)
    },

    /**
     * A customer takes the callback offer: a queued conversation leaves the line (resolved, marked
     * with the callback) and the callback keeps its place (queuedAt, priority); from a chat that is
     * not queued, a callback on the same conversation.
     */
    async offer(
      user: CallbackUser,
      actor: Actor,
      conversationId: string,
      input: CallbackOfferInput,
    ): Promise<CallbackView> {
      const data = parseInput(callbackOfferInput, input)
      const conversation = await deps.conversations.visible(
        { userId: user.id, supervisor: isSupervisor(user) },
        conversationId,
      )
      const queued = conversation.status === 'queued' && conversation.assigneeId === null
      const voice = channelFits('voice', conversation.channel)
      const row = await schedule(actor, {
        source: queued ? 'queue-offer' : voice ? 'agent' : 'chat',
        createdById: user.id,
        conversation,
        queue: data.queue,
        mode: data.mode ?? (voice || data.phone ? 'voice' : 'message'),
        phone: data.phone,
        note: data.note,
        windowStart: data.windowStart ? new Date(data.windowStart) : undefined,
        windowEnd: data.windowEnd ? new Date(data.windowEnd) : undefined,
        priority: data.priority ?? conversation.priority,
        maxAttempts: data.maxAttempts,
        retryMinutes: data.retryMinutes,
        ...(queued ? { queuedAt: conversation.queuedAt ?? clock.now(), takeOutOfLine: true } : {}),
      })
      return view(row, user)
    },

    update,
    recordOutcome,
  }
}
