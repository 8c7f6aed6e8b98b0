/** One survey as the summary needs it. */
export interface SurveyFact {
  kind: string
  status: string
  score: number | null
  agentId: string | null
  teamId: string | null
}

export interface SurveyFigures {
  /** surveys that went out (sent, answered or expired) */
  sent: number
  answered: number
  /** answered / sent; null when none went out */
  responseRate: number | null
  /** CSAT (1–5): the average, and the share of 4 and 5 */
  csat: { responses: number; average: number; satisfiedRate: number } | null
  /** NPS (0–10): promoters 9–10, passives 7–8, detractors 0–6; score = %promoters − %detractors (−100…100) */
  nps: { responses: number; promoters: number; passives: number; detractors: number; score: number } | null
}

const WENT_OUT = new Set(['sent', 'answered', 'expired'])

/** The figures of a set of surveys: response rate, CSAT average and satisfied share, NPS. */
export function surveyFigures(facts: readonly SurveyFact[]): SurveyFigures {
  const out = facts.filter((f) => WENT_OUT.has(f.status))
  const answered = out.filter((f) => f.status === 'answered' && f.score !== null)
  const csat = answered.filter((f) => f.kind === 'csat').map((f) => f.score!)
  const nps = answered.filter((f) => f.kind === 'nps').map((f) => f.score!)
  const promoters = nps.filter((s) => s >= 9).length
  const detractors = nps.filter((s) => s <= 6).length
  return {
    sent: out.length,
    answered: answered.length,
    responseRate: out.length ? answered.length / out.length : null,
    csat: csat.length
      ? {
          responses: csat.length,
          average: csat.reduce((a, b) => a + b, 0) / csat.length,
          satisfiedRate: csat.filter((s) => s >= 4).length / csat.length,
        }
      : null,
    nps: nps.length
      ? {
          responses: nps.length,
          promoters,
          passives: nps.length - promoters - detractors,
          detractors,
          score: ((promoters - detractors) / nps.length) * 100,
        }
      : null,
  }
}

/** The figures per value of a field (an agent, a team); surveys without one are left out. */
export function figuresBy(
  facts: readonly SurveyFact[],
  field: 'agentId' | 'teamId',
): Array<{ id: string; figures: SurveyFigures }> {
  const groups = new Map<string, SurveyFact[]>()
  for (const fact of facts) {
    const id = fact[field]
    if (!id) continue
    groups.set(id, [...(groups.get(id) ?? []), fact])
  }
  return [...groups].map(([id, group]) => ({ id, figures: surveyFigures(group) }))
}
