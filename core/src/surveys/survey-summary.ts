/** One survey as the summary needs it. */
export interface SurveyFact {
  kind: string
  status: string
  score: number | null
  agentId: string | null
  teamId: string | null
  /** how many surveys are alike in all of the above (a group counted in SQL); 1 when not given */
  count?: number
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
  const n = (f: SurveyFact) => f.count ?? 1
  const sum = (list: readonly SurveyFact[], value: (f: SurveyFact) => number = () => 1) =>
    list.reduce((total, f) => total + n(f) * value(f), 0)
  const out = facts.filter((f) => WENT_OUT.has(f.status))
  const answered = out.filter((f) => f.status === 'answered' && f.score !== null)
  const csat = answered.filter((f) => f.kind === 'csat')
  const nps = answered.filter((f) => f.kind === 'nps')
  const sent = sum(out)
  const answers = sum(answered)
  const csatCount = sum(csat)
  const npsCount = sum(nps)
  const promoters = sum(nps.filter((f) => f.score! >= 9))
  const detractors = sum(nps.filter((f) => f.score! <= 6))
  return {
    sent,
    answered: answers,
    responseRate: sent ? answers / sent : null,
    csat: csatCount
      ? {
          responses: csatCount,
          average: sum(csat, (f) => f.score!) / csatCount,
          satisfiedRate: sum(csat.filter((f) => f.score! >= 4)) / csatCount,
        }
      : null,
    nps: npsCount
      ? {
          responses: npsCount,
          promoters,
          passives: npsCount - promoters - detractors,
          detractors,
          score: ((promoters - detractors) / npsCount) * 100,
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
