import { createHash } from 'node:crypto'
import { systemActor, type Actor, type AuditLog } from '../audit/index.js'
import type { AuthUser } from '../auth/index.js'
import { ErrorCode } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import { notify } from '../notifications/index.js'
import type { Db } from '../storage/index.js'
import { readTeamScope } from '../teams/index.js'
import { parseInput } from '../validation/parse-input.js'
import { parseSurveyAnswer, quickReplies, type SurveyAnswer } from './survey-answer.js'
import type { FollowUpTickets, SurveyConversations, TicketSnapshot } from './survey-ports.js'
import {
  channelAllowed,
  checkedSurveySettings,
  lowScoreThreshold,
  readSurveySettings,
  SURVEY_KINDS,
  updateSurveySettingsInput,
  writeSurveySettings,
  type SurveyKind,
  type SurveySettings,
  type UpdateSurveySettingsInput,
} from './survey-settings.js'
import { figuresBy, surveyFigures } from './survey-summary.js'
import type { ListSurveysQuery, SurveySummary, SurveySummaryQuery, SurveyView } from './surveys-dto.js'

/** Sends a survey when it is due (keyed per conversation: one pending survey per conversation). */
export const SURVEY_SEND_JOB = 'surveys.send'
/** Marks a sent survey expired when nobody answered in time. */
export const SURVEY_EXPIRE_JOB = 'surveys.expire'
/** After an answer: the ticket's history, the low-score action, the supervisors told. */
export const SURVEY_FOLLOW_UP_JOB = 'surveys.follow-up'
/** After an instance starts: the surveys of resolutions nobody heard of (see catchUp). */
export const SURVEY_CATCH_UP_JOB = 'surveys.catch-up'
/** how far back the catch-up looks, and how many resolutions it takes at most */
const CATCH_UP_WINDOW_MS = 7 * 24 * 3_600_000
const CATCH_UP_LIMIT = 2000
/** The job older versions' send-survey nodes scheduled; still taken, through this service. */
export const LEGACY_SURVEY_DUE_JOB = 'flows.survey-due'

const HOUR_MS = 3_600_000
const OPEN_TICKET = ['open', 'pending']
const SURVEY_ACTOR = systemActor('survey')

type SurveyRow = Awaited<ReturnType<Db['survey']['findFirstOrThrow']>>
type ConversationRow = Awaited<ReturnType<Db['conversation']['findFirstOrThrow']>>
type Language = 'zh-CN' | 'en'

export type SurveysService = ReturnType<typeof createSurveysService>

/** Why a survey is being scheduled: a resolution, a ticket's resolution, or a send-survey flow node. */
export type SurveySource = 'resolution' | 'ticket' | 'flow'

/**
 * One survey per resolution: its id is derived from the conversation and the moment it was
 * resolved, so the automatic survey, a survey flow and the ticket's resolution all land on the
 * same row, however many instances see the events.
 */
export function surveyIdFor(conversationId: string, resolvedAt: Date | null): string {
  const hex = createHash('sha256')
    .update(`survey\u0000${conversationId}\u0000${resolvedAt?.toISOString() ?? 'open'}`)
    .digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

export const sendJobKey = (conversationId: string) => `survey:conversation:${conversationId}`

function languageOf(tag: string | null | undefined): Language {
  return !tag || tag.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

/**
 * Follow-up surveys (CSAT 1–5 or NPS 0–10): scheduled when a conversation is resolved (or by a
 * send-survey flow node), sent on the customer's channel when due, answered by the customer's
 * next message (taken before the bot or an agent sees it), and a low score reopens or creates a
 * ticket. Every step is a durable job keyed by its survey, so a restart neither loses nor doubles one.
 */
export function createSurveysService(deps: {
  db: Db
  infra: Infra
  audit: AuditLog
  logger: Logger
  conversations: SurveyConversations
  tickets: FollowUpTickets
}) {
  const { db, infra, audit, logger, conversations, tickets } = deps
  const { clock, scheduler, bus } = infra

  /** The ticket a conversation belongs to: the newest created from it or linked to it. */
  async function ticketOf(conversationId: string) {
    return db.ticket.findFirst({
      where: { OR: [{ conversationId }, { conversations: { some: { conversationId } } }] },
      orderBy: { createdAt: 'desc' },
      select: { id: true, status: true, mergedIntoId: true },
    })
  }

  /** The team a survey counts for: the queue's team, else the agent's first team. */
  async function teamOf(conversation: ConversationRow, agentId: string | null): Promise<string | null> {
    if (conversation.queueId) {
      const queue = await db.queue.findUnique({ where: { id: conversation.queueId }, select: { teamId: true } })
      if (queue?.teamId) return queue.teamId
    }
    if (!agentId) return null
    const member = await db.teamMember.findFirst({ where: { userId: agentId }, orderBy: { joinedAt: 'asc' } })
    return member?.teamId ?? null
  }

  /**
   * Creates the survey of the conversation's current resolution (once) and puts its send job on
   * the scheduler. Returns null when no survey goes out: switched off, a channel without surveys,
   * the conversation reopened, or its ticket still open (the ticket's resolution schedules it).
   */
  async function schedule(input: {
    conversationId: string
    source: SurveySource
    kind?: SurveyKind
    at?: Date
  }): Promise<SurveyRow | null> {
    const settings = await readSurveySettings(db)
    if (input.source !== 'flow' && !settings.enabled) return null
    const conversation = await db.conversation.findUnique({ where: { id: input.conversationId } })
    if (!conversation || !channelAllowed(settings, conversation.channel)) return null
    if (input.source !== 'flow' && conversation.status !== 'resolved') return null
    const ticket = await ticketOf(conversation.id)
    if (input.source === 'resolution' && ticket && OPEN_TICKET.includes(ticket.status)) return null
    const id = surveyIdFor(conversation.id, conversation.resolvedAt)
    let row = await db.survey.findUnique({ where: { id } })
    if (!row) {
      const agentId = conversation.lastAgentId ?? conversation.assigneeId
      const now = clock.now()
      try {
        row = await db.survey.create({
          data: {
            id,
            kind: input.kind ?? settings.kind,
            conversationId: conversation.id,
            ticketId: ticket?.mergedIntoId ?? ticket?.id ?? null,
            contactId: conversation.contactId,
            agentId,
            teamId: await teamOf(conversation, agentId),
            status: 'scheduled',
            sendAt: input.at ?? new Date(now.getTime() + settings.delayHours * HOUR_MS),
            createdAt: now,
          },
        })
      } catch (error) {
        // another instance (or the other of flow and automatic) created it first
        if ((error as { code?: string }).code !== 'P2002') throw error
        row = await db.survey.findUniqueOrThrow({ where: { id } })
      }
    }
    if (row.status !== 'scheduled') return row
    // an older survey of this conversation still waiting (a reopening nobody saw) gives way
    await db.survey.updateMany({
      where: { conversationId: conversation.id, status: 'scheduled', NOT: { id: row.id } },
      data: { status: 'cancelled', updatedAt: clock.now() },
    })
    await scheduler
      .schedule({
        type: SURVEY_SEND_JOB,
        key: sendJobKey(conversation.id),
        runAt: row.sendAt,
        payload: { surveyId: row.id },
      })
      .catch((error: unknown) => {
        // its send job is running right now: nothing to schedule
        if ((error as { code?: string }).code !== ErrorCode.CONFLICT) throw error
      })
    return row
  }

  /** A conversation (or its ticket) reopened before the survey went out: it is not sent. */
  async function cancelScheduled(where: { conversationId: string } | { ticketId: number }): Promise<void> {
    const rows = await db.survey.findMany({ where: { ...where, status: 'scheduled' } })
    for (const row of rows) {
      const { count } = await db.survey.updateMany({
        where: { id: row.id, status: 'scheduled' },
        data: { status: 'cancelled', updatedAt: clock.now() },
      })
      if (count && row.conversationId) await scheduler.cancel(sendJobKey(row.conversationId))
    }
  }

  async function send(surveyId: string): Promise<void> {
    const row = await db.survey.findUnique({ where: { id: surveyId } })
    if (!row || row.status !== 'scheduled' || !row.conversationId) return
    const conversation = await db.conversation.findUnique({ where: { id: row.conversationId } })
    // reopened (and maybe resolved again) since: this resolution's survey is void; a flow's
    // survey of a conversation that was still open stands
    const stands = (c: ConversationRow) => [surveyIdFor(c.id, c.resolvedAt), surveyIdFor(c.id, null)].includes(row.id)
    if (!conversation || !stands(conversation)) {
      await db.survey.updateMany({
        where: { id: row.id, status: 'scheduled' },
        data: { status: 'cancelled', updatedAt: clock.now() },
      })
      return
    }
    const settings = await readSurveySettings(db)
    const contact = await db.contact.findUnique({ where: { id: conversation.contactId }, select: { language: true } })
    const language = languageOf(contact?.language)
    const kind = row.kind as SurveyKind
    const sentAt = clock.now()
    // claimed before sending: a retry after a crash asks nobody twice
    const { count } = await db.survey.updateMany({
      where: { id: row.id, status: 'scheduled' },
      data: { status: 'sent', sentAt, updatedAt: sentAt },
    })
    if (count === 0) return
    await scheduler.schedule({
      type: SURVEY_EXPIRE_JOB,
      key: `survey-expire:${row.id}`,
      runAt: new Date(sentAt.getTime() + settings.expiresAfterHours * HOUR_MS),
      payload: { surveyId: row.id },
    })
    await conversations.deliverFlowOutputs(conversation.id, [
      { kind: 'message', text: settings.questions[kind][language], quickReplies: quickReplies(kind, language) },
    ])
    await bus.publish('survey.sent', { surveyId: row.id, conversationId: conversation.id, kind, sentAt })
  }

  /** The survey a customer's message answers: the newest sent on that channel, still open. */
  async function answerable(contactId: string, channel: string) {
    // every inbound text message asks: one indexed query when the contact has no survey out
    const sent = await db.survey.findMany({
      where: { contactId, status: 'sent' },
      orderBy: { sentAt: 'desc' },
      take: 10,
    })
    if (sent.length === 0) return null
    const settings = await readSurveySettings(db)
    const now = clock.now().getTime()
    for (const row of sent) {
      if (!row.conversationId || !row.sentAt) continue
      if (row.sentAt.getTime() + settings.expiresAfterHours * HOUR_MS < now) continue
      const conversation = await db.conversation.findUnique({
        where: { id: row.conversationId },
        select: { channel: true },
      })
      if (conversation?.channel === channel) return row
    }
    return null
  }

  /** Stores the answer (once), thanks the customer and leaves the rest to the follow-up job. */
  async function recordAnswer(row: SurveyRow, answer: SurveyAnswer, language: Language): Promise<void> {
    const answeredAt = clock.now()
    const { count } = await db.survey.updateMany({
      where: { id: row.id, status: 'sent' },
      data: { status: 'answered', score: answer.score, comment: answer.comment, answeredAt, updatedAt: answeredAt },
    })
    if (count === 0) return
    const settings = await readSurveySettings(db)
    const low = answer.score <= lowScoreThreshold(settings, row.kind as SurveyKind)
    await scheduler.schedule({
      type: SURVEY_FOLLOW_UP_JOB,
      key: `survey-follow-up:${row.id}`,
      runAt: 0,
      payload: { surveyId: row.id },
    })
    await bus.publish('survey.answered', {
      surveyId: row.id,
      conversationId: row.conversationId,
      kind: row.kind,
      score: answer.score,
      low,
      agentId: row.agentId,
      teamId: row.teamId,
      answeredAt,
    })
    const reply = low && settings.lowScoreAction !== 'none' ? settings.lowScoreReply : settings.thanks
    await conversations.deliverFlowOutputs(row.conversationId!, [{ kind: 'message', text: reply[language] }])
  }

  /** The answer's consequences: the ticket's history, then for a low score the ticket reopened or created. */
  async function followUp(surveyId: string): Promise<void> {
    const row = await db.survey.findUnique({ where: { id: surveyId } })
    if (row?.status !== 'answered' || row.score === null) return
    const settings = await readSurveySettings(db)
    const kind = row.kind as SurveyKind
    const low = row.score <= lowScoreThreshold(settings, kind)
    const scale = `${kind === 'nps' ? 'NPS' : 'CSAT'} ${row.score}/${kind === 'nps' ? 10 : 5}`
    const reason = row.comment ? `${scale}: ${row.comment}` : scale
    const linked = row.ticketId ?? (row.conversationId ? (await ticketOf(row.conversationId))?.id : undefined) ?? null
    const ticket = linked ? await followMerges(linked) : null
    if (ticket) await historyOnce(ticket.id, row, low)
    let followUpTicketId = row.followUpTicketId
    if (low && followUpTicketId === null && settings.lowScoreAction !== 'none') {
      if (settings.lowScoreAction === 'reopen' && ticket && (await reopened(ticket, reason))) {
        followUpTicketId = ticket.id
      } else {
        // a retry after a failure between the ticket's commit and the survey's update finds the ticket it made
        const made =
          (await followUpTicketOf(row)) ??
          (await tickets.create(
            SURVEY_ACTOR,
            {
              subject: `${scale} — ${row.comment ?? 'low survey score'}`.slice(0, 300),
              description: reason,
              priority: 'high',
              conversationId: row.conversationId,
              contactId: row.contactId,
              teamId: row.teamId,
              source: 'survey',
            },
            { history: { surveyId: row.id } },
          ))
        followUpTicketId = made.id
        await historyOnce(made.id, row, low)
      }
      await db.survey.update({ where: { id: row.id }, data: { followUpTicketId, updatedAt: clock.now() } })
    }
    if (low) await tellSupervisors(row, scale, followUpTicketId)
  }

  /** The ticket this survey's follow-up created (its `created` history entry names the survey), if any. */
  async function followUpTicketOf(row: SurveyRow): Promise<{ id: number } | null> {
    const candidates = await db.ticket.findMany({
      where: {
        source: 'survey',
        contactId: row.contactId,
        conversationId: row.conversationId,
        ...(row.answeredAt ? { createdAt: { gte: row.answeredAt } } : {}),
      },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: 20,
    })
    if (candidates.length === 0) return null
    const created = await db.ticketEvent.findMany({
      where: { ticketId: { in: candidates.map((c) => c.id) }, kind: 'created' },
      select: { ticketId: true, data: true },
    })
    const mine = created.find((e) => (e.data as { surveyId?: unknown } | null)?.surveyId === row.id)
    return mine ? { id: mine.ticketId } : null
  }

  /** Reopens the ticket (an open one stays as it is); false when the ticket refuses (then a new one is made). */
  async function reopened(ticket: { id: number; status: string }, reason: string): Promise<boolean> {
    if (OPEN_TICKET.includes(ticket.status)) return true
    try {
      await tickets.reopen(SURVEY_ACTOR, ticket.id, reason)
      return true
    } catch (error) {
      if ((error as { kind?: string }).kind !== 'user') throw error
      logger.warn(
        { err: error, ticketId: ticket.id },
        'a low survey score could not reopen the ticket; a new one is created',
      )
      return false
    }
  }

  /** A merged ticket's work goes on in the one it was merged into. */
  async function followMerges(id: number) {
    let ticket = await db.ticket.findUnique({ where: { id }, select: { id: true, status: true, mergedIntoId: true } })
    for (let hops = 0; ticket?.mergedIntoId && hops < 10; hops++)
      ticket = await db.ticket.findUnique({
        where: { id: ticket.mergedIntoId },
        select: { id: true, status: true, mergedIntoId: true },
      })
    return ticket
  }

  /** The answer in the ticket's history, once even when the follow-up job runs again. */
  async function historyOnce(ticketId: number, row: SurveyRow, low: boolean): Promise<void> {
    const events = await db.ticketEvent.findMany({ where: { ticketId, kind: 'survey' }, select: { data: true } })
    if (events.some((e) => (e.data as { surveyId?: unknown } | null)?.surveyId === row.id)) return
    await tickets.addEvent(ticketId, {
      kind: 'survey',
      actorName: 'survey',
      data: { surveyId: row.id, kind: row.kind, score: row.score, comment: row.comment, low },
    })
  }

  async function tellSupervisors(row: SurveyRow, scale: string, ticketId: number | null): Promise<void> {
    const comment = row.comment ? ` — ${row.comment}` : ''
    await notify(bus, {
      kind: 'survey.low-score',
      title: { en: `Low survey score: ${scale}`, 'zh-CN': `满意度差评：${scale}` },
      body: {
        en: `${scale}${comment}${ticketId ? ` (ticket #${ticketId})` : ''}`,
        'zh-CN': `${scale}${comment}${ticketId ? `（工单 #${ticketId}）` : ''}`,
      },
      link: ticketId ? `/tickets/${ticketId}` : `/conversations/${row.conversationId}`,
      supervisors: true,
      teamId: row.teamId,
      data: { surveyId: row.id, conversationId: row.conversationId, score: row.score, ticketId },
      at: clock.now().toISOString(),
    })
  }

  function toView(row: SurveyRow, settings: SurveySettings): SurveyView {
    const kind = row.kind as SurveyKind
    return {
      id: row.id,
      kind,
      status: row.status as SurveyView['status'],
      conversationId: row.conversationId,
      ticketId: row.ticketId,
      contactId: row.contactId,
      agentId: row.agentId,
      teamId: row.teamId,
      sendAt: row.sendAt,
      sentAt: row.sentAt,
      answeredAt: row.answeredAt,
      score: row.score,
      comment: row.comment,
      low: row.score === null ? null : row.score <= lowScoreThreshold(settings, kind),
      followUpTicketId: row.followUpTicketId,
      createdAt: row.createdAt,
    }
  }

  /** The surveys a supervisor oversees: in one of their teams, or in none (admins and team-less: all). */
  async function scopeWhere(user: Pick<AuthUser, 'id' | 'role'>) {
    const scope = await readTeamScope(db, user)
    return scope.kind === 'all' ? {} : { OR: [{ teamId: null }, { teamId: { in: [...scope.teamIds] } }] }
  }

  function filterWhere(query: SurveySummaryQuery & { status?: string; conversationId?: string }) {
    return {
      ...(query.from || query.to
        ? { sendAt: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } }
        : {}),
      ...(query.agentId ? { agentId: query.agentId } : {}),
      ...(query.teamId ? { teamId: query.teamId } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.conversationId ? { conversationId: query.conversationId } : {}),
    }
  }

  // ── jobs and listeners ──
  scheduler.define(SURVEY_SEND_JOB, async (job) => send((job.payload as { surveyId: string }).surveyId))
  scheduler.define(SURVEY_EXPIRE_JOB, async (job) => {
    const { surveyId } = job.payload as { surveyId: string }
    await db.survey.updateMany({
      where: { id: surveyId, status: 'sent' },
      data: { status: 'expired', updatedAt: clock.now() },
    })
  })
  scheduler.define(SURVEY_FOLLOW_UP_JOB, async (job) => followUp((job.payload as { surveyId: string }).surveyId))
  scheduler.define(LEGACY_SURVEY_DUE_JOB, async (job) => {
    const { conversationId, survey } = job.payload as { conversationId?: string | null; survey?: string }
    if (conversationId) await schedule({ conversationId, source: 'flow', kind: kindOf(survey), at: clock.now() })
  })

  conversations.interceptInbound(async ({ contactId, channel, text }) => {
    const row = await answerable(contactId, channel)
    if (!row) return null
    // the customer is in another conversation there (a "5" may answer the agent): not the survey's
    const busy = await db.conversation.findFirst({
      where: { contactId, channel, status: { in: ['bot', 'queued', 'assigned'] }, NOT: { id: row.conversationId! } },
      select: { id: true },
    })
    if (busy) return null
    const answer = parseSurveyAnswer(text, row.kind as SurveyKind)
    if (!answer) return null
    const contact = await db.contact.findUnique({ where: { id: contactId }, select: { language: true } })
    return {
      conversationId: row.conversationId!,
      handle: (messageId: string) =>
        recordAnswer(row, answer, languageOf(contact?.language)).catch((error: unknown) =>
          logger.error({ err: error, surveyId: row.id, messageId }, 'a survey answer could not be recorded'),
        ),
    }
  })

  tickets.onChange(async ({ ticket, before }) => {
    try {
      await onTicketChange(ticket, before)
    } catch (error) {
      logger.error({ err: error, ticketId: ticket.id }, 'surveys could not follow a ticket change')
    }
  })

  /** A ticket resolved: its conversation's survey (when that is resolved too); reopened: not sent. */
  async function onTicketChange(ticket: TicketSnapshot, before: TicketSnapshot | null): Promise<void> {
    const wasOpen = before === null || OPEN_TICKET.includes(before.status)
    if (OPEN_TICKET.includes(ticket.status)) {
      if (!wasOpen) await cancelScheduled({ ticketId: ticket.id })
      return
    }
    if (ticket.status === 'resolved' && wasOpen && ticket.conversationId)
      await schedule({ conversationId: ticket.conversationId, source: 'ticket' })
  }

  /** A conversation event from the bus: at-most-once, so the work is idempotent and its failure only logged. */
  async function onConversationEvent(event: unknown, work: (conversationId: string) => Promise<unknown>) {
    const conversationId = (event as { conversationId?: unknown } | null)?.conversationId
    if (typeof conversationId !== 'string') return
    try {
      await work(conversationId)
    } catch (error) {
      logger.error({ err: error, conversationId }, 'surveys could not follow a conversation event')
    }
  }
  /**
   * The bus delivers `conversation.resolved` at most once: a resolution published while no
   * instance listened would get no survey. When an instance starts (and automatic surveys are
   * on), the conversations resolved in the last 7 days (at most 2000) without a survey for their
   * resolution are scheduled; schedule() decides as it would have (channel, open ticket…).
   */
  async function catchUp(): Promise<number> {
    if (!(await readSurveySettings(db)).enabled) return 0
    const since = new Date(clock.now().getTime() - CATCH_UP_WINDOW_MS)
    const resolved = await db.conversation.findMany({
      where: { status: 'resolved', resolvedAt: { gte: since } },
      orderBy: { resolvedAt: 'desc' },
      select: { id: true, resolvedAt: true },
      take: CATCH_UP_LIMIT,
    })
    const expected = new Map(resolved.map((c) => [surveyIdFor(c.id, c.resolvedAt), c.id]))
    const existing = new Set<string>()
    const ids = [...expected.keys()]
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db.survey.findMany({ where: { id: { in: ids.slice(i, i + 500) } }, select: { id: true } })
      for (const row of rows) existing.add(row.id)
    }
    let scheduled = 0
    for (const [surveyId, conversationId] of expected) {
      if (existing.has(surveyId)) continue
      try {
        if (await schedule({ conversationId, source: 'resolution' })) scheduled++
      } catch (error) {
        logger.warn({ err: error, conversationId }, 'surveys: a missed resolution could not be caught up')
      }
    }
    if (scheduled) logger.info({ scheduled }, 'surveys caught up with resolutions made while nobody listened')
    return scheduled
  }
  scheduler.define(SURVEY_CATCH_UP_JOB, async () => {
    await catchUp()
  })

  const subscriptions = Promise.all([
    bus.subscribe('conversation.resolved', (event) =>
      onConversationEvent(event, (conversationId) => schedule({ conversationId, source: 'resolution' })),
    ),
    bus.subscribe('conversation.reopened', (event) =>
      onConversationEvent(event, (conversationId) => cancelScheduled({ conversationId })),
    ),
  ]).then(async (stops) => {
    // listening now: what was resolved before is caught up by a job (once, whichever instance runs it)
    await scheduler
      .schedule({ type: SURVEY_CATCH_UP_JOB, key: 'surveys:catch-up', runAt: 0 })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code !== ErrorCode.CONFLICT)
          logger.warn({ err: error }, 'surveys could not schedule their catch-up')
      })
    return stops
  })

  return {
    schedule,

    /** The catch-up itself (what the start-up job runs), for tests. */
    catchUp,

    /** What a send-survey flow node does: the survey of the conversation's resolution, at `at`. */
    async scheduleFromFlow(input: {
      conversationId: string | null
      at: Date
      survey: string
    }): Promise<{ id: string }> {
      if (!input.conversationId) throw new Error('send-survey needs a conversation to ask on')
      const row = await schedule({
        conversationId: input.conversationId,
        source: 'flow',
        kind: kindOf(input.survey),
        at: input.at,
      })
      return { id: row?.id ?? '' }
    },

    /** Waits until the bus subscriptions are in place (tests, startup). */
    async ready(): Promise<void> {
      await subscriptions
    },

    async settings(): Promise<SurveySettings> {
      return readSurveySettings(db)
    },

    async updateSettings(actor: Actor, change: UpdateSurveySettingsInput): Promise<SurveySettings> {
      const data = parseInput(updateSurveySettingsInput, change, 'payload')
      const next = parseInput(checkedSurveySettings, { ...(await readSurveySettings(db)), ...data }, 'payload')
      await writeSurveySettings(db, next)
      await audit.record(actor, {
        action: 'surveys.settings-update',
        targetType: 'setting',
        details: { changed: Object.keys(data) },
      })
      return next
    },

    async list(user: Pick<AuthUser, 'id' | 'role'>, query: ListSurveysQuery): Promise<SurveyView[]> {
      const settings = await readSurveySettings(db)
      const rows = await db.survey.findMany({
        where: { AND: [await scopeWhere(user), filterWhere(query)] },
        orderBy: { sendAt: 'desc' },
        take: query.limit,
      })
      return rows.map((row) => toView(row, settings))
    },

    async summary(user: Pick<AuthUser, 'id' | 'role'>, query: SurveySummaryQuery): Promise<SurveySummary> {
      // counted in the database: one row per kind, status, score, agent and team, however many surveys
      const groups = await db.survey.groupBy({
        by: ['kind', 'status', 'score', 'agentId', 'teamId'],
        where: { AND: [await scopeWhere(user), filterWhere(query)] },
        _count: { _all: true },
      })
      const facts = groups.map(({ _count, ...fact }) => ({ ...fact, count: _count._all }))
      const byAgent = figuresBy(facts, 'agentId')
      const byTeam = figuresBy(facts, 'teamId')
      const [users, teams] = await Promise.all([
        db.user.findMany({ where: { id: { in: byAgent.map((a) => a.id) } }, select: { id: true, name: true } }),
        db.team.findMany({ where: { id: { in: byTeam.map((t) => t.id) } }, select: { id: true, name: true } }),
      ])
      const nameOf = (list: Array<{ id: string; name: string }>, id: string) =>
        list.find((x) => x.id === id)?.name ?? null
      return {
        from: query.from ?? null,
        to: query.to ?? null,
        overall: surveyFigures(facts),
        byAgent: byAgent.map(({ id, figures }) => ({ agentId: id, name: nameOf(users, id), ...figures })),
        byTeam: byTeam.map(({ id, figures }) => ({ teamId: id, name: nameOf(teams, id), ...figures })),
      }
    },
  }
}

/** "csat" or "nps" from a flow node; anything else (an old free-form name) means the admin's kind. */
function kindOf(survey: string | undefined): SurveyKind | undefined {
  return SURVEY_KINDS.find((k) => k === survey)
}
