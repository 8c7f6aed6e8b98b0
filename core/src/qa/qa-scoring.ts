import { QA_CATEGORIES, type CategoryScores, type QaCategory, type QaHit } from './qa-dto.js'

export interface Override {
  ruleId: string
  messageId?: string | null
  accepted: boolean
}

export interface ReviewFacts {
  verdict: string
  overrides: Override[]
  score: number | null
}

const clamp = (n: number) => Math.max(0, Math.min(100, n))

/**
 * 100 minus the weights of the hits that count (a supervisor can take one back), at least 0;
 * per category the same over its hits, null for a category where no rule applied.
 */
export function scoresOf(
  hits: QaHit[],
  applied: Iterable<QaCategory>,
): { score: number; categoryScores: CategoryScores } {
  const counted = hits.filter((h) => h.accepted)
  const appliedSet = new Set(applied)
  const categoryScores = Object.fromEntries(
    QA_CATEGORIES.map((category) => [
      category,
      appliedSet.has(category)
        ? clamp(100 - counted.filter((h) => h.category === category).reduce((sum, h) => sum + h.weight, 0))
        : null,
    ]),
  ) as CategoryScores
  return { score: clamp(100 - counted.reduce((sum, h) => sum + h.weight, 0)), categoryScores }
}

/** The categories a stored result's rules covered: those with a score. */
export function appliedCategories(categoryScores: unknown): QaCategory[] {
  const stored = (categoryScores ?? {}) as Record<string, unknown>
  return QA_CATEGORIES.filter((c) => typeof stored[c] === 'number')
}

/** Whether an override is about this hit: the same rule, and the same message when it names one. */
export function overrideMatches(override: Override, hit: Pick<QaHit, 'ruleId' | 'messageId'>): boolean {
  if (override.ruleId !== hit.ruleId) return false
  return override.messageId === undefined || override.messageId === hit.messageId
}

/**
 * The hits as the reviews left them, applied oldest first: an override changes which hits count
 * and sets the score (its own, or none: then the hits decide); an agreement changes nothing.
 * The same function re-applies the reviews after a conversation is inspected again, so a
 * supervisor's decisions survive a re-evaluation wherever the same rule hits the same message.
 */
export function applyReviews(hits: QaHit[], reviews: ReviewFacts[]): { hits: QaHit[]; explicitScore: number | null } {
  let out = hits.map((h) => ({ ...h, accepted: true }))
  let explicitScore: number | null = null
  for (const review of reviews) {
    if (review.verdict !== 'override') continue
    out = out.map((hit) => {
      const last = review.overrides.filter((o) => overrideMatches(o, hit)).at(-1)
      return last ? { ...hit, accepted: last.accepted } : hit
    })
    explicitScore = review.score
  }
  return { hits: out, explicitScore }
}
