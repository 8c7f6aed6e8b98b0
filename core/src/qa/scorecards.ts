import { DateTime } from 'luxon'
import { QA_CATEGORIES, type CategoryScores, type QaHit, type Scorecard } from './qa-dto.js'

/** One inspected conversation, as a scorecard counts it. */
export interface ScoredConversation {
  agentId: string | null
  teamId: string | null
  score: number
  categoryScores: unknown
  hits: QaHit[]
  /** when it was resolved: the interval it falls in */
  at: Date
  handleMs: number | null
}

/** One answered CSAT survey. */
export interface CsatAnswer {
  agentId: string | null
  teamId: string | null
  score: number
  at: Date
}

const round1 = (n: number) => Math.round(n * 10) / 10
const average = (values: number[]) => (values.length ? round1(values.reduce((a, b) => a + b, 0) / values.length) : null)

export function intervalStart(at: Date, interval: 'day' | 'week', timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).startOf(interval).toISO({ suppressMilliseconds: true })!
}

function figures(conversations: ScoredConversation[], csat: CsatAnswer[]) {
  const categories = Object.fromEntries(
    QA_CATEGORIES.map((c) => [
      c,
      average(
        conversations
          .map((r) => (r.categoryScores as Record<string, unknown> | null)?.[c])
          .filter((v): v is number => typeof v === 'number'),
      ),
    ]),
  ) as CategoryScores
  const handle = conversations.map((r) => r.handleMs).filter((v): v is number => v !== null && v >= 0)
  const handleAverage = average(handle)
  return {
    conversations: conversations.length,
    averageScore: average(conversations.map((r) => r.score)),
    categories,
    csat: { responses: csat.length, average: average(csat.map((s) => s.score)) },
    averageHandleSeconds: handleAverage === null ? null : Math.round(handleAverage / 1000),
  }
}

function hitsByRule(conversations: ScoredConversation[]): Scorecard['hitsByRule'] {
  const counts = new Map<string, Scorecard['hitsByRule'][number]>()
  for (const hit of conversations.flatMap((r) => r.hits)) {
    if (!hit.accepted) continue
    const entry = counts.get(hit.ruleId) ?? {
      ruleId: hit.ruleId,
      ruleName: hit.ruleName,
      category: hit.category,
      hits: 0,
    }
    entry.hits++
    counts.set(hit.ruleId, entry)
  }
  return [...counts.values()].sort((a, b) => b.hits - a.hits || a.ruleName.localeCompare(b.ruleName))
}

/**
 * Scorecards per agent or per team: the conversations inspected, average score and per-category
 * averages, the hits per rule (overridden ones left out), CSAT and handle time; and the same per
 * day or week for the trend.
 */
export function buildScorecards(input: {
  conversations: ScoredConversation[]
  csat: CsatAnswer[]
  groupBy: 'agent' | 'team'
  interval: 'day' | 'week'
  timeZone: string
  names: Map<string, string>
}): Scorecard[] {
  const keyOf = (row: { agentId: string | null; teamId: string | null }) =>
    input.groupBy === 'agent' ? row.agentId : row.teamId
  const keys = new Set<string | null>([...input.conversations.map(keyOf), ...input.csat.map(keyOf)])
  const cards: Scorecard[] = []
  for (const key of keys) {
    const mine = input.conversations.filter((r) => keyOf(r) === key)
    const answers = input.csat.filter((s) => keyOf(s) === key)
    const starts = [
      ...new Set([...mine, ...answers].map((r) => intervalStart(r.at, input.interval, input.timeZone))),
    ].sort()
    cards.push({
      ...(input.groupBy === 'agent' ? { agentId: key } : { teamId: key }),
      name: key ? (input.names.get(key) ?? null) : null,
      ...figures(mine, answers),
      hitsByRule: hitsByRule(mine),
      intervals: starts.map((start) => ({
        start,
        ...figures(
          mine.filter((r) => intervalStart(r.at, input.interval, input.timeZone) === start),
          answers.filter((s) => intervalStart(s.at, input.interval, input.timeZone) === start),
        ),
      })),
    })
  }
  return cards.sort(
    (a, b) => (a.averageScore ?? 101) - (b.averageScore ?? 101) || (a.name ?? '').localeCompare(b.name ?? ''),
  )
}
