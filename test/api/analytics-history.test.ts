import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateMonthHistory, type HistoryConversation, type MonthHistory } from '../fixtures/month-history.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

/**
 * A seeded month of history (test/fixtures/month-history.ts) through the analytics API, each
 * figure checked against a computation written here from the generator's own records — not
 * from the analytics code.
 */
let t: TestApp
let history: MonthHistory
let token: string

beforeAll(async () => {
  t = await createTestApp()
  history = await generateMonthHistory(t.app.db, { seed: 20261001 })
  token = (await t.tokenFor('supervisor')).token
}, 120_000)
afterAll(async () => t?.close())

const DAY = 86_400_000
const get = async (url: string) => {
  const res = await t.app.server.inject({ method: 'GET', url, headers: bearer(token) })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.payload}`)
  return res
}

/** nearest rank, written out separately from the module under test */
function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  let index = 0
  while ((index + 1) / sorted.length < p) index++
  return sorted[index]!
}

function expectedFor(list: HistoryConversation[], all: HistoryConversation[], now: Date) {
  const queued = list.filter((c) => c.queuedAt)
  const answered = queued.filter((c) => c.assignedAt)
  const abandoned = queued.filter((c) => !c.assignedAt && c.status === 'resolved')
  const resolved = list.filter((c) => c.status === 'resolved')
  const contained = resolved.filter((c) => !c.queuedAt)
  const waits = answered.map((c) => c.assignedAt!.getTime() - c.queuedAt!.getTime())
  const handles = answered.filter((c) => c.resolvedAt).map((c) => c.resolvedAt!.getTime() - c.assignedAt!.getTime())
  let fcrYes = 0
  let fcrDecided = 0
  for (const c of resolved) {
    const back = all.some(
      (o) =>
        o.contactId === c.contactId &&
        o.createdAt > c.createdAt &&
        (c.intent === null || o.intent === c.intent) &&
        o.createdAt.getTime() <= c.resolvedAt!.getTime() + 7 * DAY &&
        // the first later one decides: any later one inside the window means they came back
        true,
    )
    if (back || c.ticket) {
      fcrDecided++
      continue
    }
    if (c.resolvedAt!.getTime() + 7 * DAY <= now.getTime()) {
      fcrDecided++
      fcrYes++
    }
  }
  const ratings = list.filter((c) => c.csat !== null).map((c) => c.csat!)
  const met = list.filter((c) => c.sla === 'met').length
  const breached = list.filter((c) => c.sla === 'breached').length
  return {
    offered: list.length,
    queued: queued.length,
    answered: answered.length,
    abandoned: abandoned.length,
    resolved: resolved.length,
    botContained: contained.length,
    containmentRate: contained.length / resolved.length,
    answerRate: answered.length / queued.length,
    waitP90: nearestRank(waits, 0.9),
    waitP50: nearestRank(waits, 0.5),
    handleP95: nearestRank(handles, 0.95),
    fcr: { yes: fcrYes, decided: fcrDecided },
    csatAverage: ratings.reduce((a, b) => a + b, 0) / ratings.length,
    csatResponses: ratings.length,
    slaAttainment: met / (met + breached),
  }
}

describe('analytics over a generated month', () => {
  it('the whole month: volumes, rates, percentiles, containment, FCR, SLA and CSAT match an independent computation', async () => {
    const res = await get(
      `/api/v1/analytics/metrics?from=${history.start.toISOString()}&to=${history.end.toISOString()}&interval=day&timeZone=Asia/Shanghai`,
    )
    const body = JSON.parse(res.payload)
    const expected = expectedFor(history.conversations, history.conversations, new Date())
    expect(history.conversations.length).toBeGreaterThan(4000)
    const total = body.total
    expect(total.offered).toBe(expected.offered)
    expect(total.queued).toBe(expected.queued)
    expect(total.answered).toBe(expected.answered)
    expect(total.abandoned).toBe(expected.abandoned)
    expect(total.resolved).toBe(expected.resolved)
    expect(total.botContained).toBe(expected.botContained)
    expect(total.answerRate).toBeCloseTo(expected.answerRate, 10)
    expect(total.containmentRate).toBeCloseTo(expected.containmentRate, 10)
    expect(total.wait.p50Ms).toBe(expected.waitP50)
    expect(total.wait.p90Ms).toBe(expected.waitP90)
    expect(total.handle.p95Ms).toBe(expected.handleP95)
    expect(total.fcr.resolvedFirstTime).toBe(expected.fcr.yes)
    expect(total.fcr.decided).toBe(expected.fcr.decided)
    expect(total.csat.responses).toBe(expected.csatResponses)
    expect(total.csat.average).toBeCloseTo(expected.csatAverage, 10)
    expect(total.sla.attainment).toBeCloseTo(expected.slaAttainment, 10)
    // 30 local days, each with its own figures adding up to the month
    expect(body.series).toHaveLength(30)
    expect(body.series.reduce((sum: number, d: { values: { offered: number } }) => sum + d.values.offered, 0)).toBe(
      expected.offered,
    )
  })

  it('per channel and per hour: each group and interval matches, quiet hours included', async () => {
    const day = new Date(history.start.getTime() + 7 * DAY) // a Thursday, local midnight
    const res = await get(
      `/api/v1/analytics/metrics?from=${day.toISOString()}&to=${new Date(day.getTime() + DAY).toISOString()}&interval=hour&groupBy=channel&timeZone=Asia/Shanghai`,
    )
    const body = JSON.parse(res.payload)
    expect(body.series).toHaveLength(24)
    const inDay = history.conversations.filter((c) => c.createdAt >= day && c.createdAt.getTime() < day.getTime() + DAY)
    for (const channel of ['webchat', 'wechat', 'voice']) {
      const group = body.groups.find((g: { key: string }) => g.key === channel)
      const expected = expectedFor(
        inDay.filter((c) => c.channel === channel),
        history.conversations,
        new Date(),
      )
      expect(group.values.offered).toBe(expected.offered)
      expect(group.values.answered).toBe(expected.answered)
      expect(group.values.wait.p90Ms).toBe(expected.waitP90)
    }
    for (let hour = 0; hour < 24; hour++) {
      const from = day.getTime() + hour * 3_600_000
      const count = inDay.filter(
        (c) => c.createdAt.getTime() >= from && c.createdAt.getTime() < from + 3_600_000,
      ).length
      expect(body.series[hour].values.offered).toBe(count)
    }
  })

  it('exports CSV with one row per interval and group', async () => {
    const res = await get(
      `/api/v1/analytics/metrics?from=${history.start.toISOString()}&to=${new Date(history.start.getTime() + 2 * DAY).toISOString()}&interval=day&groupBy=queue&timeZone=Asia/Shanghai&format=csv`,
    )
    expect(res.headers['content-type']).toContain('text/csv')
    const lines = res.payload.trim().split('\r\n')
    expect(lines[0]).toMatch(/^interval_start,queue,offered,queued,answered,abandoned,answer_rate/)
    const firstDay = history.conversations.filter((c) => c.createdAt.getTime() < history.start.getTime() + DAY)
    const presale = lines.find((l) => l.startsWith('2026-10-01T00:00:00+08:00') && l.includes(history.queues[0]!.id))!
    expect(Number(presale.split(',')[2])).toBe(firstDay.filter((c) => c.queueId === history.queues[0]!.id).length)
  })

  it('top issues of a week with the change from the week before', async () => {
    const weekOf = new Date(history.start.getTime() + 14 * DAY)
    const res = await get(`/api/v1/analytics/top-issues?weekOf=${weekOf.toISOString()}&timeZone=Asia/Shanghai`)
    const body = JSON.parse(res.payload)
    // 2026-10-15 is a Thursday: its ISO week starts Monday 2026-10-12 local
    expect(body.weekStart).toBe('2026-10-12T00:00:00.000+08:00')
    const weekStart = new Date('2026-10-12T00:00:00+08:00').getTime()
    const count = (intent: string, from: number) =>
      history.conversations.filter(
        (c) => c.intent === intent && c.createdAt.getTime() >= from && c.createdAt.getTime() < from + 7 * DAY,
      ).length
    expect(body.issues).toHaveLength(10)
    for (const issue of body.issues) {
      expect(issue.thisWeek).toBe(count(issue.intent, weekStart))
      expect(issue.lastWeek).toBe(count(issue.intent, weekStart - 7 * DAY))
    }
    const counts = body.issues.map((i: { thisWeek: number }) => i.thisWeek)
    expect(counts).toEqual([...counts].sort((a, b) => b - a))
  })

  it('refuses a range that ends before it starts, naming the field', async () => {
    const res = await t.app.server.inject({
      method: 'GET',
      url: `/api/v1/analytics/metrics?from=2026-10-10T00:00:00Z&to=2026-10-01T00:00:00Z`,
      headers: bearer(token),
    })
    expect(res.statusCode).toBe(400)
    expect(JSON.parse(res.payload).details[0].path).toBe('to')
    for (const url of [
      '/api/v1/analytics/top-issues?timeZone=Foo/Bar',
      '/api/v1/analytics/metrics?from=2026-10-01T00:00:00Z&to=2026-10-02T00:00:00Z&timeZone=Mars/Olympus',
    ]) {
      const bad = await t.app.server.inject({ method: 'GET', url, headers: bearer(token) })
      expect(bad.statusCode, url).toBe(400)
      expect(JSON.parse(bad.payload).details[0].path).toBe('timeZone')
    }
  })
})
