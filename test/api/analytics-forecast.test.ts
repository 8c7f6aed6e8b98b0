import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requiredAgents } from '../../core/src/forecast/index.js'
import { arrivalRate, generateMonthHistory, type MonthHistory } from '../fixtures/month-history.js'
import { createScenarioApp, type ScenarioApp } from '../support/scenario-app.js'
import { bearer } from '../support/test-app.js'

/** The forecast and staffing API over a generated month, the clock standing at the month's end. */
let s: ScenarioApp
let history: MonthHistory
let token: string

beforeAll(async () => {
  s = await createScenarioApp('2026-10-31T00:00:00+08:00')
  history = await generateMonthHistory(s.app.db, { seed: 7, start: new Date('2026-10-01T00:00:00+08:00'), days: 30 })
  token = (await s.tokenFor('supervisor')).token
}, 120_000)
afterAll(async () => s?.close())

describe('forecast and staffing', () => {
  it('forecasts the next 48 hours close to the generator’s true rates, reports its back-test, and staffs each hour by Erlang C', async () => {
    const res = await s.app.server.inject({
      method: 'GET',
      url: '/api/v1/analytics/forecast?horizon=48&weeks=4&serviceLevel=0.8&targetSeconds=20',
      headers: bearer(token),
    })
    expect(res.statusCode, res.payload).toBe(200)
    const body = JSON.parse(res.payload)
    expect(body.historyHours).toBe(4 * 168)
    expect(body.intervals).toHaveLength(48)
    // the back-test error is reported, and the model beats "same hour last week"
    console.log('forecast back-test (48 h):', JSON.stringify(body.backtest))
    expect(body.backtest.wape).toBeGreaterThan(0)
    expect(body.backtest.mae).toBeLessThan(body.backtest.naive.mae)
    // against the generator's true expected arrivals (before Poisson noise), over the two days
    let truth = 0
    let predicted = 0
    let absError = 0
    for (const interval of body.intervals) {
      const at = new Date(new Date(interval.start).getTime() + 8 * 3_600_000)
      const rate = arrivalRate(at.getUTCHours(), (at.getUTCDay() + 6) % 7)
      truth += rate
      predicted += interval.volume
      absError += Math.abs(interval.volume - rate)
    }
    expect(Math.abs(predicted - truth) / truth).toBeLessThan(0.15)
    expect(absError / truth).toBeLessThan(0.35)
    // staffing is Erlang C of the forecast volume with the history's handle time
    for (const interval of body.intervals) {
      const expected = requiredAgents({
        arrivals: interval.volume,
        intervalSeconds: 3600,
        ahtSeconds: body.averageHandleSeconds,
        serviceLevel: 0.8,
        targetSeconds: 20,
      }).agents
      expect(Math.abs(interval.requiredAgents - expected)).toBeLessThanOrEqual(1)
    }
    const peak = Math.max(...body.intervals.map((i: { requiredAgents: number }) => i.requiredAgents))
    const night = Math.min(...body.intervals.map((i: { requiredAgents: number }) => i.requiredAgents))
    expect(peak).toBeGreaterThan(night)
    expect(history.hourly.length).toBe(30 * 24)
  })

  it('says so when there is not enough history', async () => {
    const res = await s.app.server.inject({
      method: 'GET',
      url: '/api/v1/analytics/forecast?queueId=no-such-queue',
      headers: bearer(token),
    })
    expect(res.statusCode).toBe(422)
    expect(JSON.parse(res.payload).message).toMatch(/Not enough history/)
  })
})
