import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readStaffing } from '../../core/src/workforce/index.js'
import { generateMonthHistory, type MonthHistory } from '../fixtures/month-history.js'
import { createScenarioApp, type ScenarioApp } from '../support/scenario-app.js'
import { bearer } from '../support/test-app.js'

/**
 * Shifts (validation, overlaps, week patterns, team scope) and the staffing the forecast shows
 * beside the required agents: scheduled from the shifts, actual from the presence log, on a
 * manual clock so every figure can be worked out by hand.
 */
let s: ScenarioApp
let history: MonthHistory
let supervisor: string
let a: { token: string; userId: string }
let b: { token: string; userId: string }

const T = (hhmm: string, day = '2026-11-16') => `${day}T${hhmm}:00.000Z`

async function call(method: string, url: string, token: string, payload?: unknown) {
  const res = await s.app.server.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) })
  return { status: res.statusCode, body: res.payload ? JSON.parse(res.payload) : null }
}

beforeAll(async () => {
  s = await createScenarioApp(T('08:00'))
  history = await generateMonthHistory(s.app.db, { seed: 3, start: new Date('2026-10-25T08:00:00Z'), days: 22 })
  supervisor = (await s.tokenFor('supervisor')).token
  a = await s.tokenFor('agent', 'Agent A')
  b = await s.tokenFor('agent', 'Agent B')
  await s.app.db.queueMember.create({ data: { queueId: history.queues[0]!.id, userId: b.userId } })
}, 120_000)
afterAll(async () => s?.close())

describe('shifts', () => {
  it('creates, lists, changes and deletes shifts with clear refusals', async () => {
    const created = await call('POST', '/api/v1/workforce/shifts', supervisor, {
      userId: a.userId,
      startsAt: T('09:00'),
      endsAt: T('17:00'),
      note: 'early',
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body).toMatchObject({ userId: a.userId, userName: 'Agent A', queueId: null, note: 'early' })

    const backwards = await call('POST', '/api/v1/workforce/shifts', supervisor, {
      userId: b.userId,
      startsAt: T('12:00'),
      endsAt: T('11:00'),
    })
    expect(backwards.status).toBe(400)
    expect(backwards.body.message).toMatch(/end after it starts/)
    const tooLong = await call('POST', '/api/v1/workforce/shifts', supervisor, {
      userId: b.userId,
      startsAt: T('00:00'),
      endsAt: T('16:01'),
    })
    expect(tooLong.status).toBe(400)
    expect(tooLong.body.message).toMatch(/at most 16 hours/)
    const overlap = await call('POST', '/api/v1/workforce/shifts', supervisor, {
      userId: a.userId,
      startsAt: T('16:00'),
      endsAt: T('20:00'),
    })
    expect(overlap.status).toBe(409)
    expect(overlap.body.message).toMatch(/already has a shift/)
    expect(overlap.body.message).toContain(created.body.id)
    const nobody = await call('POST', '/api/v1/workforce/shifts', supervisor, {
      userId: 'no-such-agent',
      startsAt: T('09:00'),
      endsAt: T('10:00'),
    })
    expect(nobody.status).toBe(404)
    const noQueue = await call('POST', '/api/v1/workforce/shifts', supervisor, {
      userId: b.userId,
      queueId: 'no-such-queue',
      startsAt: T('09:00'),
      endsAt: T('10:00'),
    })
    expect(noQueue.status).toBe(404)
    expect(
      await call('POST', '/api/v1/workforce/shifts', a.token, {
        userId: a.userId,
        startsAt: T('18:00'),
        endsAt: T('19:00'),
      }),
    ).toMatchObject({ status: 403 })

    // B helps queue 1 from 09:30 to 11:00 (created 10:00–11:00, then moved earlier)
    const bShift = await call('POST', '/api/v1/workforce/shifts', supervisor, {
      userId: b.userId,
      queueId: history.queues[0]!.id,
      startsAt: T('10:00'),
      endsAt: T('11:00'),
    })
    expect(bShift.status).toBe(201)
    const moved = await call('PATCH', `/api/v1/workforce/shifts/${bShift.body.id}`, supervisor, {
      startsAt: T('09:30'),
    })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    expect(moved.body.startsAt).toBe(T('09:30'))
    const movedIntoA = await call('PATCH', `/api/v1/workforce/shifts/${bShift.body.id}`, supervisor, {
      userId: a.userId,
    })
    expect(movedIntoA.status).toBe(409)

    const listed = await call(
      'GET',
      `/api/v1/workforce/shifts?from=${T('00:00')}&to=${T('00:00', '2026-11-17')}`,
      supervisor,
    )
    expect(listed.status).toBe(200)
    expect(listed.body.map((x: { userId: string; startsAt: string }) => [x.userId, x.startsAt])).toEqual([
      [a.userId, T('09:00')],
      [b.userId, T('09:30')],
    ])

    const extra = await call('POST', '/api/v1/workforce/shifts', supervisor, {
      userId: b.userId,
      startsAt: T('20:00'),
      endsAt: T('22:00'),
    })
    expect((await call('DELETE', `/api/v1/workforce/shifts/${extra.body.id}`, supervisor)).status).toBe(204)
    expect((await call('DELETE', `/api/v1/workforce/shifts/${extra.body.id}`, supervisor)).status).toBe(404)
  })

  it('creates a week pattern for several agents, or nothing when one shift overlaps', async () => {
    const pattern = {
      userIds: [a.userId, b.userId],
      days: ['tue', 'wed', 'thu'],
      from: '09:00',
      to: '18:00',
      timezone: 'Asia/Shanghai',
      weekOf: '2026-11-23',
      weeks: 2,
    }
    const created = await call('POST', '/api/v1/workforce/shifts/bulk', supervisor, pattern)
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body.created).toBe(12)
    expect(created.body.shifts[0].startsAt).toBe('2026-11-24T01:00:00.000Z')
    expect(created.body.shifts[0].endsAt).toBe('2026-11-24T10:00:00.000Z')
    const before = await s.app.db.agentShift.count()
    const again = await call('POST', '/api/v1/workforce/shifts/bulk', supervisor, {
      ...pattern,
      days: ['mon', 'thu'],
      weeks: 1,
    })
    expect(again.status).toBe(409)
    expect(await s.app.db.agentShift.count()).toBe(before)
    const badTime = await call('POST', '/api/v1/workforce/shifts/bulk', supervisor, { ...pattern, from: '9am' })
    expect(badTime.status).toBe(400)
    expect(badTime.body.details[0].path).toBe('from')
  })

  it('keeps a supervisor of teams to their teams’ agents', async () => {
    const lead = await s.tokenFor('supervisor', 'Team lead')
    const team = await s.app.db.team.create({ data: { name: 'Workforce team' } })
    await s.app.db.teamMember.createMany({
      data: [
        { teamId: team.id, userId: lead.userId },
        { teamId: team.id, userId: b.userId },
      ],
    })
    const mine = await call(
      'GET',
      `/api/v1/workforce/shifts?from=${T('00:00')}&to=${T('00:00', '2026-11-17')}`,
      lead.token,
    )
    expect(mine.body.map((x: { userId: string }) => x.userId)).toEqual([b.userId])
    const other = await call('POST', '/api/v1/workforce/shifts', lead.token, {
      userId: a.userId,
      startsAt: T('20:00'),
      endsAt: T('21:00'),
    })
    expect(other.status).toBe(403)
  })
})

describe('scheduled and actual agents beside the required', () => {
  it('logs every presence change and shows both in the forecast, with the gap', async () => {
    // 08:00 A available; 09:30 A away; 10:00 B available; the clock then stands at 10:30
    expect((await call('PUT', '/api/v1/agents/me/presence', a.token, { presence: 'available' })).status).toBe(204)
    await s.advance(T('09:30'))
    await call('PUT', '/api/v1/agents/me/presence', a.token, { presence: 'away', reason: 'lunch' })
    // the same presence again is not a change
    await call('PUT', '/api/v1/agents/me/presence', a.token, { presence: 'away', reason: 'still lunch' })
    await s.advance(T('10:00'))
    await call('PUT', `/api/v1/agents/${b.userId}/presence`, supervisor, { presence: 'available' })
    await s.advance(T('10:30'))
    const log = await s.app.db.agentPresenceChange.findMany({ orderBy: { at: 'asc' } })
    expect(log.map((c) => [c.userId, c.presence, c.at.toISOString()])).toEqual([
      [a.userId, 'available', T('08:00')],
      [a.userId, 'away', T('09:30')],
      [b.userId, 'available', T('10:00')],
    ])

    const res = await call('GET', '/api/v1/analytics/forecast?horizon=3&pastHours=3&weeks=3', supervisor)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const rows = res.body.intervals.map((i: Record<string, unknown>) => [i.start, i.kind, i.scheduled, i.actual])
    expect(rows).toEqual([
      [T('07:00'), 'past', 0, 0],
      // A available the whole hour
      [T('08:00'), 'past', 0, 1],
      // A's shift (1) + B's from 09:30 (0.5); A available until 09:30 (0.5)
      [T('09:00'), 'past', 1.5, 0.5],
      // the current hour: A and B scheduled; so far (10:00–10:30) B available
      [T('10:00'), 'forecast', 2, 1],
      [T('11:00'), 'forecast', 1, null],
      [T('12:00'), 'forecast', 1, null],
    ])
    for (const interval of res.body.intervals)
      expect(interval.gap).toBeCloseTo(interval.scheduled - interval.requiredAgents, 5)
    // past hours carry what really arrived
    expect(res.body.intervals[0].volume).toBe(history.hourly.at(-1))
    expect(res.body.intervals[1].volume).toBe(0)

    // for queue 1: B is its only member among our agents; A's any-queue shift does not count there
    const viewer = { id: 'system', role: 'admin' }
    const q = await readStaffing(s.app.db, viewer, {
      queueId: history.queues[0]!.id,
      intervals: [9, 10].map((h) => ({
        start: new Date(T(`${h}:00`.padStart(5, '0'))),
        end: new Date(T(`${h + 1}:00`)),
      })),
      now: s.clock.now(),
    })
    expect(q).toEqual({ scheduled: [0.5, 1], actual: [0, 1] })
  })
})
