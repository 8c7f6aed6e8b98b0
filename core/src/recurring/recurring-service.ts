import type { Actor, AuditLog } from '../audit/index.js'
import type { AuthUser } from '../auth/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import { notify } from '../notifications/index.js'
import type { Db, Prisma } from '../storage/index.js'
import { queueInScope, readTeamScope } from '../teams/index.js'
import type { TicketChangeListener } from '../tickets/index.js'
import { parseInput } from '../validation/parse-input.js'
import { issueTokens, jaccard, textIssueKey } from './issue-signature.js'
import { mergeOccurrence, readOccurrences, withinWindow, writeOccurrences, type Occurrence } from './occurrence-log.js'
import { buildProposal, customerWording, type ProposalKb } from './proposal.js'
import {
  applyProposalInput,
  type ApplyProposalInput,
  type ListRecurringQuery,
  type RecurringIssueDetail,
  type RecurringIssueListItem,
  type RecurringIssueView,
} from './recurring-dto.js'
import {
  readRecurringSettings,
  updateRecurringSettingsInput,
  writeRecurringSettings,
  type RecurringSettings,
  type UpdateRecurringSettingsInput,
} from './recurring-settings.js'

/** Looks at one contact after a resolution or a new ticket (keyed per conversation or ticket). */
export const RECURRING_CHECK_JOB = 'recurring-issues.check'
/** After an instance starts: the resolutions no check saw (see catchUp). */
export const RECURRING_CATCH_UP_JOB = 'recurring-issues.catch-up'
const CATCH_UP_WINDOW_MS = 7 * 24 * 3_600_000
const CATCH_UP_LIMIT = 2000

type IssueRow = Awaited<ReturnType<Db['recurringIssue']['findFirstOrThrow']>>
const UNRESOLVED = ['open', 'acknowledged']
/** Who is asking: supervisors see the issues of their teams' queues (and of none); admins all. */
export type RecurringViewer = Pick<AuthUser, 'id' | 'role'>
/** how many of the newest issues a list scans for those in a supervisor's scope */
const SCOPED_SCAN = 1000

export type RecurringIssuesService = ReturnType<typeof createRecurringIssuesService>

/** A way the same problem shows: an intent, a ticket category, or similar wording. */
interface Candidate {
  key: string
  kind: 'intent' | 'category' | 'text'
  /** the occurrences in the window that share it (the one just seen included) */
  matching: Occurrence[]
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
const numbers = (value: unknown): number[] =>
  Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : []

/**
 * Recurring issues: the same contact getting in touch about the same problem (the same intent,
 * ticket category, or similar wording) N times within a window raises one alert for supervisors,
 * with the conversations and a proposed knowledge-base entry. Checks are durable jobs keyed by
 * the conversation or ticket, run under a per-contact lock, so a restart or a second instance
 * neither loses nor doubles one.
 */
export function createRecurringIssuesService(deps: {
  db: Db
  infra: Infra
  audit: AuditLog
  logger: Logger
  kb: ProposalKb & {
    create(
      actor: Actor,
      input: { question: string; answer: string; tags?: string[] },
    ): Promise<{ id: string; question: string; answer: string }>
    update(
      actor: Actor,
      id: string,
      input: { answer?: string; variants?: string[] },
    ): Promise<{ id: string; question: string; answer: string }>
    get(id: string): Promise<{ id: string; question: string; answer: string; variants: string[] }>
  }
  contacts: {
    get(id: string): Promise<{ id: string; name?: string | null }>
    names(ids: string[]): Promise<Map<string, string | null>>
  }
  /** the tickets module's change listeners (TicketsService.onChange) */
  tickets: { onChange(listener: TicketChangeListener): unknown }
}) {
  const { db, infra, audit, logger, kb } = deps
  const { clock, scheduler, bus, locks } = infra

  // ── what was seen ──

  /** The intent a conversation was about: the column, or an `intent` attribute a flow set. */
  function intentOf(conversation: { intent: string | null; attributes: unknown }): string | null {
    const attribute = (conversation.attributes as { intent?: unknown } | null)?.intent
    return conversation.intent ?? (typeof attribute === 'string' && attribute ? attribute : null)
  }

  async function conversationOccurrence(
    conversationId: string,
    at: string,
  ): Promise<{ contactId: string; seen: Occurrence } | null> {
    const conversation = await db.conversation.findUnique({ where: { id: conversationId } })
    if (!conversation) return null
    const tickets = await db.ticket.findMany({
      where: { OR: [{ conversationId }, { conversations: { some: { conversationId } } }] },
      select: { id: true, category: true },
    })
    const intent = intentOf(conversation)
    const keys = [
      ...(intent ? [`intent:${intent}`] : []),
      ...tickets.flatMap((t) => (t.category ? [`category:${t.category}`] : [])),
    ]
    const wording = await customerWording(db, conversationId)
    return {
      contactId: conversation.contactId,
      seen: {
        conversationId,
        ticketIds: tickets.map((t) => t.id),
        at,
        keys,
        tokens: wording ? issueTokens(wording) : [],
      },
    }
  }

  async function ticketOccurrence(
    ticketId: number,
    at: string,
  ): Promise<{ contactId: string; seen: Occurrence } | null> {
    const ticket = await db.ticket.findUnique({ where: { id: ticketId } })
    if (!ticket?.contactId) return null
    const conversation = ticket.conversationId
      ? await db.conversation.findUnique({ where: { id: ticket.conversationId } })
      : null
    const intent = conversation ? intentOf(conversation) : null
    const wording = conversation ? await customerWording(db, conversation.id) : null
    return {
      contactId: ticket.contactId,
      seen: {
        conversationId: ticket.conversationId,
        ticketIds: [ticket.id],
        at,
        keys: [...(intent ? [`intent:${intent}`] : []), ...(ticket.category ? [`category:${ticket.category}`] : [])],
        tokens: issueTokens(wording ?? `${ticket.subject}\n${ticket.description}`),
      },
    }
  }

  // ── the check ──

  function candidatesFor(seen: Occurrence, recent: Occurrence[], settings: RecurringSettings): Candidate[] {
    const candidates: Candidate[] = []
    for (const key of seen.keys) {
      const kind = key.startsWith('intent:') ? 'intent' : 'category'
      if (kind === 'intent' ? !settings.matchIntent : !settings.matchCategory) continue
      candidates.push({ key, kind, matching: recent.filter((o) => o.keys.includes(key)) })
    }
    candidates.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'intent' ? -1 : 1))
    if (settings.matchText && seen.tokens.length >= 2)
      candidates.push({
        key: textIssueKey(seen.tokens),
        kind: 'text',
        matching: recent.filter((o) => o === seen || jaccard(o.tokens, seen.tokens) >= settings.textSimilarity),
      })
    return candidates
  }

  const covers = (issue: IssueRow, o: Occurrence) =>
    (o.conversationId !== null && strings(issue.conversationIds).includes(o.conversationId)) ||
    o.ticketIds.some((id) => numbers(issue.ticketIds).includes(id))

  /** The contact's issues of the same problem: the same key, or (similar wording) one sharing a contact. */
  const sameProblem = (issue: IssueRow, candidate: Candidate) =>
    candidate.kind === 'text'
      ? issue.issueKey.startsWith('text:') && candidate.matching.some((o) => covers(issue, o))
      : issue.issueKey === candidate.key

  async function check(contactId: string, seen: Occurrence): Promise<void> {
    const settings = await readRecurringSettings(db)
    const now = clock.now()
    const log = withinWindow(await readOccurrences(db, contactId), now, settings.windowDays)
    const entry = mergeOccurrence(log, seen)
    await writeOccurrences(db, contactId, log)
    if (!settings.enabled) return
    const issues = await db.recurringIssue.findMany({ where: { contactId } })
    for (const candidate of candidatesFor(entry, log, settings)) {
      const same = issues.filter((issue) => sameProblem(issue, candidate))
      const unresolved = same.find((issue) => UNRESOLVED.includes(issue.status))
      if (unresolved) {
        // already raised: it grows, nobody is told twice
        await absorb(unresolved, entry)
        return
      }
      // contacts that an earlier, resolved alert already counted do not count again
      const fresh = candidate.matching.filter((o) => !same.some((issue) => covers(issue, o)))
      if (fresh.length >= settings.threshold && fresh.includes(entry)) {
        await raise(contactId, candidate, fresh, settings)
        return
      }
    }
  }

  async function absorb(issue: IssueRow, entry: Occurrence): Promise<void> {
    if (covers(issue, entry)) return
    const conversationIds = [
      ...new Set([...strings(issue.conversationIds), ...(entry.conversationId ? [entry.conversationId] : [])]),
    ]
    const ticketIds = [...new Set([...numbers(issue.ticketIds), ...entry.ticketIds])]
    await db.recurringIssue.update({
      where: { id: issue.id },
      data: { conversationIds, ticketIds, occurrences: issue.occurrences + 1, updatedAt: clock.now() },
    })
  }

  async function labelOf(candidate: Candidate, question: string): Promise<string> {
    const value = candidate.key.slice(candidate.key.indexOf(':') + 1)
    if (candidate.kind === 'intent') {
      const intent = await db.nluIntent.findUnique({ where: { name: value }, select: { description: true } })
      return intent?.description ? `${value} — ${intent.description}` : value
    }
    if (candidate.kind === 'category') return value
    return question.length > 80 ? `${question.slice(0, 79)}…` : question || value
  }

  /** The team whose supervisors hear of it: the queue of the contact's latest conversation here. */
  async function teamOf(conversationIds: string[]): Promise<string | null> {
    const latest = await db.conversation.findFirst({
      where: { id: { in: conversationIds }, queueId: { not: null } },
      orderBy: { createdAt: 'desc' },
      select: { queue: { select: { teamId: true } } },
    })
    return latest?.queue?.teamId ?? null
  }

  async function raise(contactId: string, candidate: Candidate, matching: Occurrence[], settings: RecurringSettings) {
    const conversationIds = [...new Set(matching.flatMap((o) => (o.conversationId ? [o.conversationId] : [])))]
    const ticketIds = [...new Set(matching.flatMap((o) => o.ticketIds))]
    const proposal = await buildProposal(db, kb, conversationIds, ticketIds)
    const label = await labelOf(candidate, proposal.question)
    const raisedAt = clock.now()
    const issue = await db.recurringIssue.create({
      data: {
        contactId,
        issueKey: candidate.key,
        label,
        occurrences: matching.length,
        conversationIds,
        ticketIds,
        status: 'open',
        proposal: proposal as unknown as Prisma.InputJsonObject,
        raisedAt,
        createdAt: raisedAt,
        updatedAt: raisedAt,
      },
    })
    const teamId = await teamOf(conversationIds)
    const link = `/recurring-issues/${issue.id}`
    const event = {
      id: issue.id,
      contactId,
      issueKey: issue.issueKey,
      label,
      occurrences: issue.occurrences,
      conversationIds,
      ticketIds,
      teamId,
      raisedAt: raisedAt.toISOString(),
    }
    await bus.publish('recurring-issue.raised', event)
    // the dashboard's /alerts path relays alert.*: its page keeps only alert.raised / alert.cleared of its rules
    await bus.publish('alert.recurring-issue', { ...event, kind: 'recurring-issue', link })
    const days = settings.windowDays
    await notify(bus, {
      kind: 'recurring-issue.raised',
      title: {
        en: `Recurring issue: ${label} (${issue.occurrences}× in ${days} days)`,
        'zh-CN': `重复问题：${label}（${days} 天内 ${issue.occurrences} 次）`,
      },
      body: {
        en: `The same customer got in touch ${issue.occurrences} times about this. A knowledge-base update is proposed.`,
        'zh-CN': `同一位客户就此问题已联系 ${issue.occurrences} 次，系统已给出知识库更新建议。`,
      },
      link,
      supervisors: true,
      teamId,
      data: { recurringIssueId: issue.id, contactId, conversationIds },
      at: raisedAt.toISOString(),
    })
    logger.info({ recurringIssueId: issue.id, contactId, issueKey: issue.issueKey }, 'recurring issue raised')
  }

  // ── jobs and listeners ──

  scheduler.define(RECURRING_CHECK_JOB, async (job) => {
    const { conversationId, ticketId, at } = job.payload as { conversationId?: string; ticketId?: number; at: string }
    const found = conversationId
      ? await conversationOccurrence(conversationId, at)
      : ticketId !== undefined
        ? await ticketOccurrence(ticketId, at)
        : null
    if (!found) return
    await locks.withLock(`recurring-issues:${found.contactId}`, { ttlMs: 30_000, waitMs: 10_000 }, () =>
      check(found.contactId, found.seen),
    )
  })

  async function checkLater(key: string, payload: { conversationId?: string; ticketId?: number }, at = clock.now()) {
    await scheduler
      .schedule({ type: RECURRING_CHECK_JOB, key, runAt: 0, payload: { ...payload, at: at.toISOString() } })
      .catch((error: unknown) => {
        // that check is running now and sees the same rows
        if ((error as { code?: string }).code !== ErrorCode.CONFLICT) throw error
      })
  }

  /**
   * The bus delivers `conversation.resolved` at most once: a resolution nobody heard of would never
   * count. When an instance starts, the conversations resolved in the last 7 days (at most 2000)
   * that their contact's log has not seen are checked, at the time they were resolved.
   */
  async function catchUp(): Promise<number> {
    const now = clock.now()
    const settings = await readRecurringSettings(db)
    const windowMs = Math.min(CATCH_UP_WINDOW_MS, settings.windowDays * 24 * 3_600_000)
    const resolved = await db.conversation.findMany({
      where: { status: 'resolved', resolvedAt: { gte: new Date(now.getTime() - windowMs) } },
      orderBy: { resolvedAt: 'asc' },
      select: { id: true, contactId: true, resolvedAt: true },
      take: CATCH_UP_LIMIT,
    })
    const seen = new Map<string, Set<string>>()
    let scheduled = 0
    for (const c of resolved) {
      let ids = seen.get(c.contactId)
      if (!ids) {
        ids = new Set(
          (await readOccurrences(db, c.contactId)).flatMap((o) => (o.conversationId ? [o.conversationId] : [])),
        )
        seen.set(c.contactId, ids)
      }
      if (ids.has(c.id)) continue
      await checkLater(`recurring-issues:conversation:${c.id}`, { conversationId: c.id }, c.resolvedAt ?? now).catch(
        (error: unknown) =>
          logger.warn({ err: error, conversationId: c.id }, 'could not catch up a recurring-issue check'),
      )
      scheduled++
    }
    if (scheduled) logger.info({ scheduled }, 'recurring issues caught up with resolutions nobody checked')
    return scheduled
  }
  scheduler.define(RECURRING_CATCH_UP_JOB, async () => {
    await catchUp()
  })

  const subscription = bus
    .subscribe('conversation.resolved', async (event) => {
      const conversationId = (event as { conversationId?: unknown } | null)?.conversationId
      if (typeof conversationId !== 'string') return
      await checkLater(`recurring-issues:conversation:${conversationId}`, { conversationId }).catch((error: unknown) =>
        logger.error({ err: error, conversationId }, 'could not schedule the recurring-issue check'),
      )
    })
    .then(async (stop) => {
      // listening now: what was resolved before is caught up by a job (once, whichever instance runs it)
      await scheduler
        .schedule({ type: RECURRING_CATCH_UP_JOB, key: 'recurring-issues:catch-up', runAt: 0 })
        .catch((error: unknown) => {
          if ((error as { code?: string }).code !== ErrorCode.CONFLICT)
            logger.warn({ err: error }, 'recurring issues could not schedule their catch-up')
        })
      return stop
    })

  deps.tickets.onChange(async ({ kind, ticket, before }) => {
    // a new ticket, or a category given later: the contact is looked at again
    if (kind !== 'created' && (!ticket.category || ticket.category === before?.category)) return
    await checkLater(`recurring-issues:ticket:${ticket.id}`, { ticketId: ticket.id }).catch((error: unknown) =>
      logger.error({ err: error, ticketId: ticket.id }, 'could not schedule the recurring-issue check'),
    )
  })

  // ── the API ──

  function toView(row: IssueRow): RecurringIssueView {
    const p = (row.proposal ?? {}) as Record<string, unknown>
    return {
      id: row.id,
      contactId: row.contactId,
      issueKey: row.issueKey,
      label: row.label,
      occurrences: row.occurrences,
      conversationIds: strings(row.conversationIds),
      ticketIds: numbers(row.ticketIds),
      status: row.status as RecurringIssueView['status'],
      proposal: {
        question: typeof p.question === 'string' ? p.question : '',
        answer: typeof p.answer === 'string' ? p.answer : '',
        kbEntryId: typeof p.kbEntryId === 'string' ? p.kbEntryId : null,
        appliedKbEntryId: typeof p.appliedKbEntryId === 'string' ? p.appliedKbEntryId : null,
        appliedAt: typeof p.appliedAt === 'string' ? new Date(p.appliedAt) : null,
      },
      raisedAt: row.raisedAt,
      acknowledgedById: row.acknowledgedById,
      acknowledgedAt: row.acknowledgedAt,
      updatedAt: row.updatedAt,
    }
  }

  async function find(id: string): Promise<IssueRow> {
    const row = await db.recurringIssue.findUnique({ where: { id } })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No recurring issue ${id}`, { status: 404 })
    return row
  }

  /**
   * The issues of `rows` the viewer oversees: an issue belongs to the team of the queue of its
   * latest conversation in a queue (whose supervisors were told), none without one.
   */
  async function inScope(viewer: RecurringViewer, rows: IssueRow[]): Promise<IssueRow[]> {
    const scope = await readTeamScope(db, viewer)
    if (scope.kind === 'all' || rows.length === 0) return rows
    const ids = [...new Set(rows.flatMap((r) => strings(r.conversationIds)))]
    const conversations = ids.length
      ? await db.conversation.findMany({
          where: { id: { in: ids }, queueId: { not: null } },
          select: { id: true, createdAt: true, queue: { select: { teamId: true } } },
        })
      : []
    const byId = new Map(conversations.map((c) => [c.id, c]))
    return rows.filter((row) => {
      const latest = strings(row.conversationIds)
        .flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]
      return queueInScope(scope, latest?.queue?.teamId ?? null)
    })
  }

  /** 404 when there is none, 403 when it is of a team the viewer does not oversee. */
  async function visible(viewer: RecurringViewer, id: string): Promise<IssueRow> {
    const row = await find(id)
    if ((await inScope(viewer, [row])).length === 0)
      throw userError(ErrorCode.FORBIDDEN, `Recurring issue ${id} is of a team you do not supervise`, { status: 403 })
    return row
  }

  async function changed(actor: Actor, action: string, row: IssueRow, details: Record<string, unknown> = {}) {
    await audit.record(actor, {
      action,
      targetType: 'recurring-issue',
      targetId: row.id,
      details: { issueKey: row.issueKey, ...details },
    })
    await bus.publish('recurring-issue.updated', { id: row.id, status: row.status })
  }

  return {
    /** Waits until the bus subscription is in place (tests, startup). */
    async ready(): Promise<void> {
      await subscription
    },

    /** The catch-up itself (what the start-up job runs), for tests. */
    catchUp,

    settings: () => readRecurringSettings(db),

    async updateSettings(actor: Actor, change: UpdateRecurringSettingsInput): Promise<RecurringSettings> {
      const data = parseInput(updateRecurringSettingsInput, change, 'payload')
      const next = { ...(await readRecurringSettings(db)), ...data }
      await writeRecurringSettings(db, next)
      await audit.record(actor, {
        action: 'recurring-issues.settings-update',
        targetType: 'setting',
        details: { changed: Object.keys(data) },
      })
      return next
    },

    async list(viewer: RecurringViewer, query: ListRecurringQuery): Promise<RecurringIssueListItem[]> {
      const scope = await readTeamScope(db, viewer)
      const rows = await db.recurringIssue.findMany({
        where: {
          ...(query.status ? { status: query.status } : {}),
          ...(query.contactId ? { contactId: query.contactId } : {}),
        },
        orderBy: { raisedAt: 'desc' },
        take: scope.kind === 'all' ? query.limit : SCOPED_SCAN,
      })
      const views = (await inScope(viewer, rows)).slice(0, query.limit).map(toView)
      const names = await deps.contacts.names(views.map((v) => v.contactId))
      return views.map((v) => ({ ...v, contactName: names.get(v.contactId) ?? null }))
    },

    async get(viewer: RecurringViewer, id: string): Promise<RecurringIssueDetail> {
      const view = toView(await visible(viewer, id))
      const contact = await deps.contacts.get(view.contactId).catch(() => null)
      const conversations = await db.conversation.findMany({
        where: { id: { in: view.conversationIds } },
        orderBy: { createdAt: 'asc' },
        include: { assignee: { select: { id: true, name: true } } },
      })
      const ids = conversations.map((c) => c.id)
      // a few queries for all the conversations, not two per conversation
      const [agents, firsts, replies] = await Promise.all([
        db.user.findMany({
          where: { id: { in: conversations.flatMap((c) => (c.lastAgentId ? [c.lastAgentId] : [])) } },
          select: { id: true, name: true },
        }),
        ids.length
          ? db.message.findMany({
              where: { conversationId: { in: ids }, direction: 'inbound', kind: 'text' },
              orderBy: [{ conversationId: 'asc' }, { seq: 'asc' }],
              distinct: ['conversationId'],
              select: { conversationId: true, body: true },
            })
          : [],
        ids.length
          ? db.message.findMany({
              where: { conversationId: { in: ids }, direction: 'outbound', authorUserId: { not: null } },
              orderBy: [{ conversationId: 'asc' }, { seq: 'desc' }],
              distinct: ['conversationId'],
              select: { conversationId: true, body: true },
            })
          : [],
      ])
      const firstOf = new Map(firsts.map((m) => [m.conversationId, m.body]))
      const replyOf = new Map(replies.map((m) => [m.conversationId, m.body]))
      const summaries = conversations.map((c) => {
        const agentId = c.assigneeId ?? c.lastAgentId
        return {
          id: c.id,
          channel: c.channel,
          status: c.status,
          intent: intentOf(c),
          createdAt: c.createdAt,
          resolvedAt: c.resolvedAt,
          agent: c.assignee ?? agents.find((a) => a.id === agentId) ?? null,
          firstMessage: firstOf.get(c.id) ?? null,
          lastAgentReply: replyOf.get(c.id) ?? null,
        }
      })
      const tickets = await db.ticket.findMany({
        where: { id: { in: view.ticketIds } },
        orderBy: { id: 'asc' },
        select: { id: true, subject: true, status: true, category: true },
      })
      return {
        ...view,
        contact: { id: view.contactId, name: contact?.name ?? null },
        conversations: summaries,
        tickets,
      }
    },

    async acknowledge(viewer: RecurringViewer, actor: Actor, id: string): Promise<RecurringIssueView> {
      const row = await visible(viewer, id)
      if (row.status === 'resolved')
        throw userError(ErrorCode.CONFLICT, `Recurring issue ${id} is resolved already`, { status: 409 })
      if (row.status === 'acknowledged') return toView(row)
      const now = clock.now()
      const saved = await db.recurringIssue.update({
        where: { id },
        data: { status: 'acknowledged', acknowledgedById: actor.userId, acknowledgedAt: now, updatedAt: now },
      })
      await changed(actor, 'recurring-issue.acknowledged', saved)
      return toView(saved)
    },

    async resolve(viewer: RecurringViewer, actor: Actor, id: string): Promise<RecurringIssueView> {
      const row = await visible(viewer, id)
      if (row.status === 'resolved') return toView(row)
      const now = clock.now()
      const saved = await db.recurringIssue.update({
        where: { id },
        data: {
          status: 'resolved',
          updatedAt: now,
          ...(row.acknowledgedAt ? {} : { acknowledgedById: actor.userId, acknowledgedAt: now }),
        },
      })
      await changed(actor, 'recurring-issue.resolved', saved)
      return toView(saved)
    },

    /**
     * Creates the proposed knowledge-base entry, or updates the closest one, with the admin's edits.
     * Applied again (a second click, a retry) it updates the entry it made or updated the first
     * time, unless `kbEntryId` names another (or is null: a new entry on purpose).
     */
    async applyProposal(actor: Actor, id: string, input: ApplyProposalInput) {
      const edits = parseInput(applyProposalInput, input, 'payload')
      await find(id)
      return infra.locks.withLock(`recurring-issues:apply:${id}`, { ttlMs: 30_000, waitMs: 15_000 }, () =>
        applyOnce(actor, id, edits),
      )
    },
  }

  async function applyOnce(actor: Actor, id: string, edits: ApplyProposalInput) {
    const row = await find(id)
    const proposal = toView(row).proposal
    const question = edits.question ?? proposal.question
    const answer = edits.answer ?? proposal.answer
    let targetId = edits.kbEntryId === undefined ? (proposal.appliedKbEntryId ?? proposal.kbEntryId) : edits.kbEntryId
    // the entry applied before was deleted since: a new one
    if (edits.kbEntryId === undefined && targetId && targetId === proposal.appliedKbEntryId)
      targetId = await kb.get(targetId).then(
        () => targetId,
        () => proposal.kbEntryId,
      )
    const missing = [
      ...(question ? [] : [{ in: 'payload', path: 'question', message: 'the proposal has no question: give one' }]),
      ...(answer ? [] : [{ in: 'payload', path: 'answer', message: 'the proposal has no answer: give one' }]),
    ]
    if (missing.length)
      throw userError(
        ErrorCode.VALIDATION,
        `Invalid payload: ${missing.map((m) => `${m.path}: ${m.message}`).join('; ')}`,
        {
          details: missing,
        },
      )
    let entry: { id: string; question: string; answer: string }
    let created = false
    if (targetId) {
      const existing = await kb.get(targetId)
      const variants =
        existing.question === question || existing.variants.includes(question)
          ? undefined
          : [...existing.variants, question].slice(-100)
      entry = await kb.update(actor, targetId, { answer, ...(variants ? { variants } : {}) })
    } else {
      entry = await kb.create(actor, { question, answer, tags: ['recurring-issue'] })
      created = true
    }
    const now = clock.now()
    const saved = await db.recurringIssue.update({
      where: { id },
      data: {
        proposal: {
          ...((row.proposal ?? {}) as object),
          question,
          answer,
          appliedKbEntryId: entry.id,
          appliedAt: now.toISOString(),
        } as Prisma.InputJsonObject,
        ...(row.status === 'open'
          ? { status: 'acknowledged', acknowledgedById: actor.userId, acknowledgedAt: now }
          : {}),
        updatedAt: now,
      },
    })
    await changed(actor, 'recurring-issue.proposal-applied', saved, { kbEntryId: entry.id, created })
    return {
      issue: toView(saved),
      kbEntry: { id: entry.id, question: entry.question, answer: entry.answer, created },
    }
  }
}
