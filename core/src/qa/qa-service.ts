import { IANAZone } from 'luxon'
import type { z } from 'zod'
import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import { notify } from '../notifications/index.js'
import type { Db, Prisma } from '../storage/index.js'
import { parseInput } from '../validation/parse-input.js'
import { inspectConversation } from './inspect-conversation.js'
import {
  listResultsQuery,
  reevaluateInput,
  reviewInput,
  scorecardQuery,
  testRuleInput,
  type ListResultsQuery,
  type QaHit,
  type ResultView,
  type ReviewInput,
  type ScorecardQuery,
  type Scorecards,
  type TestRuleInput,
} from './qa-dto.js'
import type { QaRuleDef } from './qa-hits.js'
import {
  agentFilter,
  categoryScoresOf,
  hitsOf,
  resultScopeWhere,
  resultView,
  reviewFacts,
  reviewView,
  surveyScopeWhere,
  userNames,
  type ResultRow,
  type Viewer,
} from './qa-results.js'
import { createQaRules } from './qa-rules.js'
import { appliedCategories, applyReviews, overrideMatches, scoresOf } from './qa-scoring.js'
import type { QaLlm } from './resolution-rules.js'
import { buildScorecards } from './scorecards.js'
import { readInspection, type Inspection } from './transcript.js'

/** Inspects one resolved conversation (keyed per conversation and resolution: once, on one instance). */
export const QA_EVALUATE_JOB = 'qa.evaluate'

export const evaluateJobKey = (conversationId: string, resolvedAt: Date) =>
  `qa:${conversationId}:${resolvedAt.getTime()}`

/** After an instance starts: inspects what was resolved while no instance listened (see catchUp). */
export const QA_CATCH_UP_JOB = 'qa.catch-up'
const CATCH_UP_OVERLAP_MS = 3_600_000
const CATCH_UP_FIRST_MS = 24 * 3_600_000

/** The most conversations one re-evaluation request puts on the queue. */
export const MAX_REEVALUATE = 2000
/** The most inspected conversations one scorecard request reads. */
export const MAX_SCORECARD_RESULTS = 50_000
const SCAN_LIMIT = 2000
/** Inspections one instance runs at the same time; the rest wait their turn. */
const MAX_PARALLEL_INSPECTIONS = 4
const CHUNK = 500

interface EvaluateJob {
  conversationId: string
  /** the resolution it is for (ms); a later resolution has its own job */
  resolvedAt: number
  /** an admin asked for it: inspect again even when this resolution was inspected */
  force?: boolean
}

export type QaService = ReturnType<typeof createQaService>

const chunks = <T>(items: T[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK))

/**
 * Automatic quality inspection. Every resolved conversation with an agent is inspected by the
 * enabled rules in a durable job (so live work never waits for it); the result (hits with their
 * places, score, per-category scores) is kept per conversation. Supervisors review results
 * (agree, or override hits and score, with coaching notes for the agent); the reviews are
 * applied again whenever the conversation is inspected again. Scorecards sum it up per agent or
 * team over time, beside CSAT and handle time.
 */
export function createQaService(deps: { db: Db; infra: Infra; audit: AuditLog; logger: Logger; llm?: QaLlm }) {
  const { db, infra, audit, logger, llm } = deps
  const { clock, scheduler, bus } = infra
  const rules = createQaRules({ db, audit, bus, logger, now: () => clock.now() })

  // ── inspection ──

  /** Puts the conversation's current resolution on the inspection queue. */
  async function scheduleEvaluation(conversationId: string, force = false): Promise<boolean> {
    const conversation = await db.conversation.findUnique({
      where: { id: conversationId },
      select: { status: true, resolvedAt: true },
    })
    if (conversation?.status !== 'resolved' || !conversation.resolvedAt) return false
    const payload: EvaluateJob = { conversationId, resolvedAt: conversation.resolvedAt.getTime(), force }
    try {
      await scheduler.schedule({
        type: QA_EVALUATE_JOB,
        key: evaluateJobKey(conversationId, conversation.resolvedAt),
        runAt: 0,
        payload,
      })
      return true
    } catch (error) {
      // its inspection is running right now
      if ((error as { code?: string }).code === ErrorCode.CONFLICT) return false
      throw error
    }
  }

  /**
   * The agent a conversation's result counts for: the agent it was (last) assigned to, else
   * whoever of the staff wrote last in it; null when no agent took part (the bot handled it
   * alone — a returning customer's conversation carries their previous agent, which is not this one's).
   */
  async function agentOf(
    conversation: Inspection['conversation'] & { lastAgentId: string | null; assigneeId: string | null },
  ): Promise<string | null> {
    const assigned = conversation.assignedAt ? (conversation.assigneeId ?? conversation.lastAgentId) : null
    if (assigned) return assigned
    const last = await db.message.findFirst({
      where: { conversationId: conversation.id, direction: 'outbound', authorUserId: { not: null } },
      orderBy: { seq: 'desc' },
      select: { authorUserId: true },
    })
    return last?.authorUserId ?? null
  }

  /** The team a result counts for: the queue's team, else the agent's first team. */
  async function teamOf(queueId: string | null, agentId: string | null): Promise<string | null> {
    if (queueId) {
      const queue = await db.queue.findUnique({ where: { id: queueId }, select: { teamId: true } })
      if (queue?.teamId) return queue.teamId
    }
    if (!agentId) return null
    const member = await db.teamMember.findFirst({ where: { userId: agentId }, orderBy: { joinedAt: 'asc' } })
    return member?.teamId ?? null
  }

  /** One writer at a time per result: an inspection and a review of the same conversation do not overwrite each other. */
  const resultLock = <T>(conversationId: string, fn: () => Promise<T>) =>
    infra.locks.withLock(`qa-result:${conversationId}`, { ttlMs: 60_000, waitMs: 15_000 }, fn)

  // the scheduler starts every due job at once: a burst of resolutions (or a re-evaluation) would
  // otherwise run thousands of inspections together and starve live requests of the event loop and
  // the database (measured in test/bench/qa-throughput.bench.js)
  let inspecting = 0
  const waiting: Array<() => void> = []
  async function evaluate(job: EvaluateJob): Promise<void> {
    if (inspecting >= MAX_PARALLEL_INSPECTIONS) await new Promise<void>((resolve) => waiting.push(resolve))
    inspecting++
    try {
      // on SQLite every query runs on the main thread: let requests waiting for the event loop go first
      await new Promise<void>((resolve) => setImmediate(resolve))
      await resultLock(job.conversationId, () => inspect(job))
    } finally {
      inspecting--
      waiting.shift()?.()
    }
  }

  async function inspect(job: EvaluateJob): Promise<void> {
    const inspection = await readInspection(db, job.conversationId)
    if (!inspection) return
    const conversation = inspection.conversation as Inspection['conversation'] & {
      status: string
      lastAgentId: string | null
      assigneeId: string | null
    }
    const resolvedAt = conversation.resolvedAt
    // reopened since, or resolved again (that resolution has its own job)
    if (conversation.status !== 'resolved' || !resolvedAt || resolvedAt.getTime() !== job.resolvedAt) return
    const existing = await db.qaResult.findUnique({
      where: { conversationId: conversation.id },
      include: { reviews: { orderBy: { createdAt: 'asc' } } },
    })
    if (!job.force && existing?.evaluatedFor?.getTime() === resolvedAt.getTime()) return
    const agentId = await agentOf(conversation)
    // the bot handled it alone: nobody to score
    if (!agentId) return
    const definitions = await rules.enabledDefinitions()
    // no rules yet: nothing to score (a re-evaluation later inspects it)
    if (definitions.length === 0) return
    const outcome = await inspectConversation(definitions, inspection, llm)
    for (const skipped of outcome.rules.filter((r) => r.error))
      logger.warn(
        { ruleId: skipped.ruleId, conversationId: conversation.id, err: skipped.error },
        'a QA rule condition failed',
      )
    const reviews = existing?.reviews ?? []
    const { hits, explicitScore } = applyReviews(outcome.hits, reviews.map(reviewFacts))
    const { score, categoryScores } = scoresOf(hits, outcome.applied)
    const now = clock.now()
    const data = {
      agentId,
      teamId: await teamOf(conversation.queueId, agentId),
      queueId: conversation.queueId,
      channel: conversation.channel,
      score: explicitScore ?? score,
      categoryScores,
      hits: hits as unknown as Prisma.InputJsonArray,
      status: reviews.length > 0 ? 'reviewed' : 'auto',
      evaluatedFor: resolvedAt,
      evaluatedAt: now,
    }
    const saved = await db.qaResult.upsert({
      where: { conversationId: conversation.id },
      create: { conversationId: conversation.id, ...data, createdAt: now },
      update: data,
    })
    const overridesReapplied = reviews.some((r) => r.verdict === 'override')
    if (existing && reviews.length > 0)
      logger.info(
        { resultId: saved.id, conversationId: conversation.id, reviews: reviews.length },
        'QA result inspected again; the supervisors’ overrides were applied again',
      )
    await bus.publish(existing ? 'qa.result.updated' : 'qa.result.created', {
      resultId: saved.id,
      conversationId: conversation.id,
      agentId,
      teamId: saved.teamId,
      score: saved.score,
      hits: hits.filter((h) => h.accepted).length,
      reevaluated: existing !== null,
      overridesReapplied,
    })
  }

  scheduler.define(QA_EVALUATE_JOB, async (job) => evaluate(job.payload as EvaluateJob))

  /**
   * The bus delivers at most once: a resolution published while this instance was stopping (or
   * while every instance was down) would never be inspected. When an instance starts, the
   * conversations resolved since shortly before the newest inspection (the last day's when there
   * is none) that were assigned to an agent and have no result for their resolution are put on the queue.
   */
  async function catchUp(): Promise<number> {
    if ((await db.qaRule.count({ where: { enabled: true } })) === 0) return 0
    const newest = await db.qaResult.findFirst({ orderBy: { evaluatedFor: 'desc' }, select: { evaluatedFor: true } })
    const latestResolution = await db.conversation.findFirst({
      where: { status: 'resolved', resolvedAt: { not: null } },
      orderBy: { resolvedAt: 'desc' },
      select: { resolvedAt: true },
    })
    const anchor = newest?.evaluatedFor ?? latestResolution?.resolvedAt
    if (!anchor) return 0
    const since = new Date(anchor.getTime() - (newest?.evaluatedFor ? CATCH_UP_OVERLAP_MS : CATCH_UP_FIRST_MS))
    const resolved = await db.conversation.findMany({
      where: {
        status: 'resolved',
        resolvedAt: { gte: since },
        assignedAt: { not: null },
      },
      orderBy: { resolvedAt: 'desc' },
      select: { id: true, resolvedAt: true },
      take: MAX_REEVALUATE,
    })
    const kept = new Map<string, number | undefined>()
    for (const ids of chunks(resolved.map((c) => c.id))) {
      const rows = await db.qaResult.findMany({
        where: { conversationId: { in: ids } },
        select: { conversationId: true, evaluatedFor: true },
      })
      for (const row of rows) kept.set(row.conversationId, row.evaluatedFor?.getTime())
    }
    let scheduled = 0
    for (const c of resolved) {
      if (kept.get(c.id) === c.resolvedAt!.getTime()) continue
      if (await scheduleEvaluation(c.id)) scheduled++
      // SQLite queries run on the main thread: let live requests in between
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    if (scheduled > 0) logger.info({ scheduled }, 'QA caught up with conversations resolved while no instance listened')
    return scheduled
  }
  scheduler.define(QA_CATCH_UP_JOB, async () => {
    await catchUp()
  })

  const subscription = bus
    .subscribe('conversation.resolved', async (event) => {
      const conversationId = (event as { conversationId?: unknown } | null)?.conversationId
      if (typeof conversationId !== 'string') return
      try {
        await scheduleEvaluation(conversationId)
      } catch (error) {
        logger.error({ err: error, conversationId }, 'QA could not schedule the inspection of a resolved conversation')
      }
    })
    .then(async (unsubscribe) => {
      // listening now: what was resolved before is caught up by a job (once, whichever instance runs it)
      await scheduler.schedule({ type: QA_CATCH_UP_JOB, key: 'qa:catch-up', runAt: 0 }).catch((error: unknown) => {
        if ((error as { code?: string }).code !== ErrorCode.CONFLICT)
          logger.warn({ err: error }, 'QA could not schedule its catch-up')
      })
      return unsubscribe
    })

  // ── results ──

  async function latestReviews(resultIds: string[]) {
    const latest = new Map<string, Awaited<ReturnType<typeof db.qaReview.findFirstOrThrow>>>()
    for (const ids of chunks(resultIds)) {
      const reviews = await db.qaReview.findMany({ where: { resultId: { in: ids } }, orderBy: { createdAt: 'asc' } })
      for (const review of reviews) latest.set(review.resultId, review)
    }
    return latest
  }

  async function views(rows: ResultRow[], viewer: Viewer): Promise<ResultView[]> {
    const latest = await latestReviews(rows.map((r) => r.id))
    const names = await userNames(db, [...rows.map((r) => r.agentId), ...[...latest.values()].map((r) => r.reviewerId)])
    const forAgent = viewer.role === 'agent'
    return rows.map((row) => resultView(row, latest.get(row.id) ?? null, names, forAgent))
  }

  /** The result, if the viewer may see it: 404 for an agent's colleague's (its existence is not theirs to know). */
  async function visibleResult(viewer: Viewer, id: string): Promise<ResultRow> {
    const row = await db.qaResult.findFirst({ where: { AND: [{ id }, await resultScopeWhere(db, viewer)] } })
    if (row) return row
    if (viewer.role !== 'agent' && (await db.qaResult.count({ where: { id } })) > 0)
      throw userError(ErrorCode.FORBIDDEN, `QA result ${id} is of an agent outside your teams`, { status: 403 })
    throw userError(ErrorCode.NOT_FOUND, `No QA result ${id}`, { status: 404 })
  }

  async function listResults(viewer: Viewer, query: ListResultsQuery): Promise<ResultView[]> {
    const q = parseInput(listResultsQuery, query, 'query')
    const agentId = agentFilter(viewer, q.agentId)
    const where: Prisma.QaResultWhereInput = {
      AND: [
        await resultScopeWhere(db, viewer),
        {
          ...(agentId ? { agentId } : {}),
          ...(q.teamId ? { teamId: q.teamId } : {}),
          ...(q.queueId ? { queueId: q.queueId } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.minScore !== undefined || q.maxScore !== undefined
            ? {
                score: {
                  ...(q.minScore !== undefined ? { gte: q.minScore } : {}),
                  ...(q.maxScore !== undefined ? { lte: q.maxScore } : {}),
                },
              }
            : {}),
          ...(q.from || q.to
            ? { evaluatedFor: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } }
            : {}),
        },
      ],
    }
    const rows = await db.qaResult.findMany({
      where,
      orderBy: [{ evaluatedFor: 'desc' }, { id: 'asc' }],
      take: q.ruleId ? SCAN_LIMIT : q.limit,
    })
    const matching = q.ruleId
      ? rows.filter((row) => hitsOf(row).some((h) => h.ruleId === q.ruleId && h.accepted)).slice(0, q.limit)
      : rows
    return views(matching, viewer)
  }

  async function resultDetail(viewer: Viewer, id: string) {
    const row = await visibleResult(viewer, id)
    const reviews = await db.qaReview.findMany({ where: { resultId: id }, orderBy: { createdAt: 'asc' } })
    const names = await userNames(db, [row.agentId, ...reviews.map((r) => r.reviewerId)])
    const inspection = await readInspection(db, row.conversationId)
    return {
      ...resultView(row, reviews.at(-1) ?? null, names, viewer.role === 'agent'),
      reviews: reviews.map((r) => reviewView(r, names, viewer.role === 'agent')),
      transcript: (inspection?.lines ?? []).map(({ id: lineId, seq, speaker, body, at }) => ({
        id: lineId,
        seq,
        speaker,
        body,
        at,
      })),
    }
  }

  /** Checks a review against the result as it is now and writes it: the review row, the hits and score, the audit entry. */
  async function saveReview(actor: Actor, reviewerId: string, id: string, data: z.output<typeof reviewInput>) {
    const row = await db.qaResult.findUniqueOrThrow({ where: { id } })
    const hits = hitsOf(row)
    const problems = data.overrides.flatMap((override, i) =>
      hits.some((hit) => overrideMatches(override, hit))
        ? []
        : [
            {
              in: 'payload',
              path: `overrides.${i}`,
              message: `no hit of rule ${override.ruleId}${override.messageId !== undefined ? ` at message ${override.messageId}` : ''} in this result`,
            },
          ],
    )
    if (problems.length > 0)
      throw userError(ErrorCode.VALIDATION, `Invalid payload: ${problems.map((p) => p.message).join('; ')}`, {
        status: 400,
        details: problems,
      })
    const now = clock.now()
    const earlier = await db.qaReview.findMany({ where: { resultId: id }, orderBy: { createdAt: 'asc' } })
    const overrides = data.overrides.map((o) => ({
      ruleId: o.ruleId,
      ...(o.messageId !== undefined ? { messageId: o.messageId } : {}),
      accepted: o.accepted,
    }))
    const facts = { verdict: data.verdict, overrides, score: data.score ?? null }
    const applied = applyReviews(hits, [...earlier.map(reviewFacts), facts])
    const categories = new Set([...appliedCategories(row.categoryScores), ...hits.map((h) => h.category)])
    const scores = scoresOf(applied.hits, categories)
    await db.$transaction(async (tx) => {
      await tx.qaReview.create({
        data: {
          resultId: id,
          reviewerId,
          verdict: data.verdict,
          overrides,
          score: data.score ?? null,
          note: data.note,
          coachingNote: data.coachingNote,
          createdAt: now,
        },
      })
      await tx.qaResult.update({
        where: { id },
        data: {
          hits: applied.hits as unknown as Prisma.InputJsonArray,
          score: applied.explicitScore ?? scores.score,
          categoryScores: scores.categoryScores,
          status: 'reviewed',
        },
      })
      await audit.record(
        actor,
        {
          action: 'qa-result.reviewed',
          targetType: 'qa-result',
          targetId: id,
          details: { verdict: data.verdict, overrides: overrides.length, score: data.score ?? null },
        },
        tx as never,
      )
    })
    return now
  }

  /** A supervisor's review: kept in the history, applied to the hits and the score, told to the agent. */
  async function review(viewer: Viewer, actor: Actor, id: string, input: ReviewInput) {
    const data = parseInput(reviewInput, input, 'payload')
    const row = await visibleResult(viewer, id)
    const at = await resultLock(row.conversationId, () => saveReview(actor, viewer.id, id, data))
    const detail = await resultDetail(viewer, id)
    await bus.publish('qa.result.reviewed', {
      resultId: id,
      conversationId: row.conversationId,
      agentId: row.agentId,
      verdict: data.verdict,
      score: detail.score,
    })
    if (row.agentId && row.agentId !== viewer.id)
      await notify(bus, {
        kind: 'qa.reviewed',
        title: {
          en: `Your QA result was reviewed: ${detail.score}/100`,
          'zh-CN': `您的质检结果已复核：${detail.score} 分`,
        },
        ...(data.coachingNote ? { body: { en: data.coachingNote, 'zh-CN': data.coachingNote } } : {}),
        link: `/qa/results/${id}`,
        userIds: [row.agentId],
        data: { resultId: id, conversationId: row.conversationId, score: detail.score },
        at: at.toISOString(),
      })
    return detail
  }

  // ── scorecards ──

  async function scorecards(viewer: Viewer, query: ScorecardQuery): Promise<Scorecards> {
    const q = parseInput(scorecardQuery, query, 'query')
    const timeZone = q.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC'
    if (!IANAZone.isValidZone(timeZone))
      throw userError(ErrorCode.VALIDATION, `Invalid query: timeZone: "${timeZone}" is not an IANA time zone`, {
        status: 400,
        details: [{ in: 'query', path: 'timeZone', message: 'not an IANA time zone, e.g. Asia/Shanghai' }],
      })
    if (q.to.getTime() <= q.from.getTime())
      throw userError(ErrorCode.VALIDATION, 'Invalid query: to: must be after from', {
        status: 400,
        details: [{ in: 'query', path: 'to', message: 'must be after from' }],
      })
    const agentId = agentFilter(viewer, q.agentId)
    const range = { gte: q.from, lt: q.to }
    const rows = await db.qaResult.findMany({
      where: {
        AND: [
          await resultScopeWhere(db, viewer),
          { evaluatedFor: range, ...(agentId ? { agentId } : {}), ...(q.teamId ? { teamId: q.teamId } : {}) },
        ],
      },
      select: {
        conversationId: true,
        agentId: true,
        teamId: true,
        score: true,
        categoryScores: true,
        hits: true,
        evaluatedFor: true,
        evaluatedAt: true,
      },
      orderBy: { evaluatedFor: 'asc' },
      take: MAX_SCORECARD_RESULTS,
    })
    const handle = new Map<string, number | null>()
    for (const ids of chunks(rows.map((r) => r.conversationId))) {
      const conversations = await db.conversation.findMany({
        where: { id: { in: ids } },
        select: { id: true, assignedAt: true, resolvedAt: true },
      })
      for (const c of conversations)
        handle.set(c.id, c.assignedAt && c.resolvedAt ? c.resolvedAt.getTime() - c.assignedAt.getTime() : null)
    }
    const surveys = await db.survey.findMany({
      where: {
        AND: [
          await surveyScopeWhere(db, viewer),
          {
            kind: 'csat',
            status: 'answered',
            score: { not: null },
            answeredAt: range,
            ...(agentId ? { agentId } : {}),
            ...(q.teamId ? { teamId: q.teamId } : {}),
          },
        ],
      },
      select: { agentId: true, teamId: true, score: true, answeredAt: true },
      take: MAX_SCORECARD_RESULTS,
    })
    const conversations = rows.map((r) => ({
      agentId: r.agentId,
      teamId: r.teamId,
      score: r.score,
      categoryScores: categoryScoresOf(r.categoryScores),
      hits: hitsOf(r) as QaHit[],
      at: r.evaluatedFor ?? r.evaluatedAt,
      handleMs: handle.get(r.conversationId) ?? null,
    }))
    const csat = surveys.map((s) => ({ agentId: s.agentId, teamId: s.teamId, score: s.score!, at: s.answeredAt! }))
    const keys = [...conversations, ...csat].map((r) => (q.groupBy === 'agent' ? r.agentId : r.teamId))
    const names =
      q.groupBy === 'agent'
        ? await userNames(db, keys)
        : new Map(
            (
              await db.team.findMany({
                where: { id: { in: [...new Set(keys.filter((k): k is string => !!k))] } },
                select: { id: true, name: true },
              })
            ).map((t) => [t.id, t.name]),
          )
    return {
      from: q.from,
      to: q.to,
      groupBy: q.groupBy,
      interval: q.interval,
      timeZone,
      scorecards: buildScorecards({ conversations, csat, groupBy: q.groupBy, interval: q.interval, timeZone, names }),
    }
  }

  // ── admin tools ──

  /** Inspects the conversations resolved in [from, to) again, with today's rules (reviews are applied again). */
  async function reevaluate(actor: Actor, input: { from: Date | string; to: Date | string }) {
    const data = parseInput(reevaluateInput, input, 'payload')
    const rows = await db.conversation.findMany({
      where: { status: 'resolved', resolvedAt: { gte: data.from, lt: data.to } },
      orderBy: [{ resolvedAt: 'asc' }, { id: 'asc' }],
      select: { id: true, resolvedAt: true },
      take: MAX_REEVALUATE + 1,
    })
    const truncated = rows.length > MAX_REEVALUATE
    let scheduled = 0
    for (const row of rows.slice(0, MAX_REEVALUATE)) {
      if (await scheduleEvaluation(row.id, true)) scheduled++
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    await audit.record(actor, {
      action: 'qa.reevaluate',
      targetType: 'qa-result',
      details: { from: data.from.toISOString(), to: data.to.toISOString(), scheduled, truncated },
    })
    return { scheduled, truncated, continueFrom: truncated ? rows[MAX_REEVALUATE]!.resolvedAt : null }
  }

  /** Tries a rule without saving it: on one message, or on a stored conversation. */
  async function testRule(input: TestRuleInput) {
    const data = parseInput(testRuleInput, input, 'payload')
    const rule: QaRuleDef = {
      id: 'test',
      ...data.rule,
      scope: data.rule.scope,
      config: data.rule.config as Record<string, unknown>,
    }
    let inspection: Inspection | null
    if (data.text !== undefined) {
      const at = clock.now()
      inspection = {
        conversation: {
          id: 'test',
          channel: 'test',
          queueId: null,
          intent: null,
          sentiment: null,
          priority: 0,
          tags: [],
          attributes: {},
          createdAt: at,
          queuedAt: null,
          assignedAt: null,
          resolvedAt: null,
        },
        contact: null,
        lines: [{ id: 'text', seq: 1, speaker: data.speaker, body: data.text, at, endAt: null }],
        isCall: false,
      }
      // a text has no conversation to scope by: the rule is tried as if it applied
      rule.scope = {}
    } else {
      inspection = await readInspection(db, data.conversationId!)
      if (!inspection) throw userError(ErrorCode.NOT_FOUND, `No conversation ${data.conversationId}`, { status: 404 })
    }
    const outcome = await inspectConversation([rule], inspection, llm)
    const result = outcome.rules[0]!
    return {
      applies: result.applied,
      reason: result.reason ?? null,
      error: result.error ?? null,
      hits: result.hits,
      found: result.found ?? [],
    }
  }

  return {
    rules,
    listResults,
    resultDetail,
    review,
    scorecards,
    reevaluate,
    testRule,
    /** Puts a resolved conversation's inspection on the queue (`force`: even when it was inspected). */
    scheduleEvaluation,

    /** Waits until the bus subscription is in place (tests, startup). */
    async ready(): Promise<void> {
      await subscription
    },
  }
}
