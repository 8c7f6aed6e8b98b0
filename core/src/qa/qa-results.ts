import type { AuthUser } from '../auth/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Db, Prisma } from '../storage/index.js'
import { readTeamScope } from '../teams/index.js'
import { QA_CATEGORIES, type CategoryScores, type QaHit, type ResultView, type ReviewView } from './qa-dto.js'
import type { Override, ReviewFacts } from './qa-scoring.js'

export type ResultRow = Awaited<ReturnType<Db['qaResult']['findFirstOrThrow']>>
export type ReviewRow = Awaited<ReturnType<Db['qaReview']['findFirstOrThrow']>>
export type Viewer = Pick<AuthUser, 'id' | 'role'>

export const hitsOf = (row: { hits: unknown }): QaHit[] => (Array.isArray(row.hits) ? (row.hits as QaHit[]) : [])

export function categoryScoresOf(value: unknown): CategoryScores {
  const stored = (value ?? {}) as Record<string, unknown>
  return Object.fromEntries(
    QA_CATEGORIES.map((c) => [c, typeof stored[c] === 'number' ? (stored[c] as number) : null]),
  ) as CategoryScores
}

export function reviewFacts(row: ReviewRow): ReviewFacts {
  return {
    verdict: row.verdict,
    overrides: (Array.isArray(row.overrides) ? row.overrides : []) as unknown as Override[],
    score: row.score,
  }
}

/**
 * A review as the viewer reads it: the agent reviewed gets the verdict, the score and the coaching
 * note, never the supervisors' own `note` (for the reviewers, about the case).
 */
export function reviewView(row: ReviewRow, names: Map<string, string>, forAgent = false): ReviewView {
  const view: ReviewView = {
    id: row.id,
    reviewerId: row.reviewerId,
    reviewerName: row.reviewerId ? (names.get(row.reviewerId) ?? null) : null,
    verdict: row.verdict as ReviewView['verdict'],
    overrides: reviewFacts(row).overrides,
    score: row.score,
    note: row.note,
    coachingNote: row.coachingNote,
    createdAt: row.createdAt,
  }
  if (forAgent) delete view.note
  return view
}

export function resultView(
  row: ResultRow,
  latest: ReviewRow | null,
  names: Map<string, string>,
  forAgent = false,
): ResultView {
  const hits = hitsOf(row)
  return {
    id: row.id,
    conversationId: row.conversationId,
    agentId: row.agentId,
    agentName: row.agentId ? (names.get(row.agentId) ?? null) : null,
    teamId: row.teamId,
    queueId: row.queueId,
    channel: row.channel,
    score: row.score,
    autoScore: Math.max(0, 100 - hits.reduce((sum, h) => sum + h.weight, 0)),
    categoryScores: categoryScoresOf(row.categoryScores),
    hits,
    status: row.status as ResultView['status'],
    evaluatedFor: row.evaluatedFor,
    evaluatedAt: row.evaluatedAt,
    reevaluatedAfterReview: latest !== null && row.evaluatedAt.getTime() > latest.createdAt.getTime(),
    review: latest ? reviewView(latest, names, forAgent) : null,
  }
}

/** The names of the users in these results and reviews. */
export async function userNames(db: Db, ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))]
  if (wanted.length === 0) return new Map()
  const users = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } })
  return new Map(users.map((u) => [u.id, u.name]))
}

/**
 * Which results a viewer may read: an agent their own; a supervisor in teams those of their
 * teams, of no team, and of the agents who share a team with them; admins and team-less
 * supervisors all.
 */
export async function resultScopeWhere(db: Db, viewer: Viewer): Promise<Prisma.QaResultWhereInput> {
  if (viewer.role === 'agent') return { agentId: viewer.id }
  const scope = await readTeamScope(db, viewer)
  if (scope.kind === 'all') return {}
  return {
    OR: [{ teamId: null }, { teamId: { in: [...scope.teamIds] } }, { agentId: { in: [...scope.teammateIds] } }],
  }
}

/** The same scope for survey answers (CSAT in scorecards). */
export async function surveyScopeWhere(db: Db, viewer: Viewer): Promise<Prisma.SurveyWhereInput> {
  if (viewer.role === 'agent') return { agentId: viewer.id }
  const scope = await readTeamScope(db, viewer)
  if (scope.kind === 'all') return {}
  return {
    OR: [{ teamId: null }, { teamId: { in: [...scope.teamIds] } }, { agentId: { in: [...scope.teammateIds] } }],
  }
}

/** The agent a list or scorecard is about: "me" is the caller; agents may only ask for themselves. */
export function agentFilter(viewer: Viewer, agentId: string | undefined): string | undefined {
  const wanted = agentId === 'me' ? viewer.id : agentId
  if (viewer.role === 'agent') {
    if (wanted !== undefined && wanted !== viewer.id)
      throw userError(ErrorCode.FORBIDDEN, "Agents see their own QA results only; ask a supervisor for a colleague's", {
        status: 403,
      })
    return viewer.id
  }
  return wanted
}
