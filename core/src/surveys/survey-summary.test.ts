import { describe, expect, it } from 'vitest'
import { figuresBy, surveyFigures, type SurveyFact } from './survey-summary.js'

const fact = (kind: string, status: string, score: number | null, count?: number): SurveyFact => ({
  kind,
  status,
  score,
  agentId: 'a1',
  teamId: null,
  ...(count === undefined ? {} : { count }),
})

describe('surveyFigures', () => {
  it('counts groups counted in SQL (count) as that many surveys, the same as one row each', () => {
    const rows = [
      ...Array.from({ length: 3 }, () => fact('csat', 'answered', 5)),
      fact('csat', 'answered', 2),
      ...Array.from({ length: 4 }, () => fact('csat', 'expired', null)),
      ...Array.from({ length: 2 }, () => fact('nps', 'answered', 10)),
      fact('nps', 'answered', 3),
      fact('csat', 'scheduled', null),
    ]
    const grouped = [
      fact('csat', 'answered', 5, 3),
      fact('csat', 'answered', 2, 1),
      fact('csat', 'expired', null, 4),
      fact('nps', 'answered', 10, 2),
      fact('nps', 'answered', 3, 1),
      fact('csat', 'scheduled', null, 1),
    ]
    const figures = surveyFigures(grouped)
    expect(figures).toEqual(surveyFigures(rows))
    expect(figures).toMatchObject({
      sent: 11,
      answered: 7,
      csat: { responses: 4, average: 17 / 4, satisfiedRate: 0.75 },
      nps: { responses: 3, promoters: 2, passives: 0, detractors: 1 },
    })
    expect(figuresBy(grouped, 'agentId')[0]!.figures.sent).toBe(11)
    expect(figuresBy(grouped, 'teamId')).toEqual([])
  })
})
