import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until `check` holds, for at most `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** An answer with its JSON body, as loosely typed as JSON.parse gives it. */
interface Answer {
  status: number
  body: ReturnType<typeof JSON.parse>
}

const shanghaiWeekdays = {
  timezone: 'Asia/Shanghai',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '21:00']]])),
}

/**
 * The queues API against a real database: admins configure queues, members and agents' skills;
 * supervisors and agents read them with the live waiting line and business hours; the router
 * follows the changes without a restart.
 */
describe('queues API', () => {
  let t: TestApp
  let admin: string
  let supervisor: string
  let agentA: { token: string; userId: string }
  let agentB: { token: string; userId: string }
  let contactId: string
  const events: Array<{ topic: string; event: { queueId?: string } }> = []

  const call = async (token: string, method: string, url: string, payload?: unknown): Promise<Answer> => {
    const res = await t.app.server.inject({ method, url, headers: bearer(token), payload: payload as object })
    return { status: res.statusCode, body: res.payload ? JSON.parse(res.payload) : undefined }
  }
  const createQueue = async (payload: Record<string, unknown>) => {
    const res = await call(admin, 'POST', '/api/v1/queues', payload)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }
  const queueConversation = (queueId: string) =>
    t.app.db.conversation.create({
      data: { contactId, channel: 'webchat', status: 'queued', queueId, queuedAt: new Date(Date.now() - 60_000) },
    })
  const paths = (answer: Answer) => (answer.body.details as Array<{ path: string }>).map((d) => d.path)

  beforeAll(async () => {
    t = await createTestApp()
    admin = (await t.tokenFor('admin')).token
    supervisor = (await t.tokenFor('supervisor')).token
    agentA = await t.tokenFor('agent')
    agentB = await t.tokenFor('agent')
    contactId = (await t.app.services.contacts.create({ name: '陈先生' })).id
    await t.app.infra.bus.subscribe(
      'queue.*',
      (event, topic) => void events.push({ topic, event: event as { queueId?: string } }),
    )
    await t.app.infra.bus.subscribe(
      'agent.skills',
      (event, topic) => void events.push({ topic, event: event as { queueId?: string } }),
    )
  }, 60_000)
  afterAll(() => t?.close())
  afterEach(() => vi.useRealTimers())

  it('an admin creates, changes and deletes a queue; everyone reads it; every change is audited and published', async () => {
    const created = await createQueue({
      name: 'Returns',
      description: '退货退款',
      priority: 5,
      requiredSkills: ['returns', { skill: 'english', minLevel: 3 }],
      agingPerMinute: 2,
      overflowAfterSeconds: 120,
      stickyMinutes: 30,
    })
    expect(created).toMatchObject({
      name: 'Returns',
      description: '退货退款',
      priority: 5,
      requiredSkills: [
        { skill: 'returns', minLevel: 1 },
        { skill: 'english', minLevel: 3 },
      ],
      agingPerMinute: 2,
      overflowAfterSeconds: 120,
      stickyMinutes: 30,
      businessHours: null,
      teamId: null,
      members: [],
      waiting: 0,
      longestWaitMs: 0,
      open: true,
      nextChangeAt: null,
    })
    // what routing reads is what was stored
    const row = await t.app.db.queue.findUniqueOrThrow({ where: { id: created.id } })
    expect(row.requiredSkills).toEqual(created.requiredSkills)

    const changed = await call(admin, 'PATCH', `/api/v1/queues/${created.id}`, {
      priority: 7,
      overflowAfterSeconds: null,
      name: 'Returns & refunds',
    })
    expect(changed.status, JSON.stringify(changed.body)).toBe(200)
    expect(changed.body).toMatchObject({
      name: 'Returns & refunds',
      priority: 7,
      overflowAfterSeconds: null,
      agingPerMinute: 2,
    })

    for (const token of [agentA.token, supervisor]) {
      const one = await call(token, 'GET', `/api/v1/queues/${created.id}`)
      expect(one.status).toBe(200)
      expect(one.body.name).toBe('Returns & refunds')
      const list = await call(token, 'GET', '/api/v1/queues')
      expect(list.body.map((q: { id: string }) => q.id)).toContain(created.id)
    }
    expect((await call(agentA.token, 'PATCH', `/api/v1/queues/${created.id}`, { priority: 1 })).status).toBe(403)

    expect((await call(admin, 'DELETE', `/api/v1/queues/${created.id}`)).status).toBe(204)
    expect((await call(admin, 'GET', `/api/v1/queues/${created.id}`)).status).toBe(404)

    const audit = (await t.app.services.audit.list({ limit: 50 })).filter((a) => a.targetId === created.id)
    expect(audit.map((a) => a.action).sort()).toEqual(['queue.create', 'queue.delete', 'queue.update'])
    await until('the three bus events', async () => events.filter((e) => e.event.queueId === created.id).length === 3)
    expect(events.filter((e) => e.event.queueId === created.id).map((e) => e.topic)).toEqual([
      'queue.created',
      'queue.updated',
      'queue.deleted',
    ])
  })

  it('answers bad input 400 naming each field, unknown ids 404 and a taken name 409', async () => {
    const empty = await call(admin, 'POST', '/api/v1/queues', {})
    expect(empty.status).toBe(400)
    expect(empty.body.code).toBe('SB_ERR_VALIDATION')
    expect(paths(empty)).toEqual(['name'])

    const bad = await call(admin, 'POST', '/api/v1/queues', {
      name: 'Broken',
      priority: 'high',
      requiredSkills: [{ skill: 'returns', minLevel: 9 }, 'a,b'],
      stickyMinutes: -1,
      businessHours: {
        timezone: 'Mars/Olympus',
        weekly: { mon: [['18:00', '09:00']], funday: [] },
        closedDates: ['2026-02-30'],
        holidayCountry: 'XX',
      },
      colour: 'red',
    })
    expect(bad.status).toBe(400)
    expect(paths(bad)).toEqual([
      'priority',
      'requiredSkills.0.minLevel',
      'requiredSkills.1',
      'stickyMinutes',
      'businessHours.timezone',
      'businessHours.weekly.mon.0',
      'businessHours.weekly',
      'businessHours.holidayCountry',
      'businessHours.closedDates.0',
      'colour',
    ])
    expect(bad.body.message).toContain('unknown time zone "Mars/Olympus"')
    expect(bad.body.message).toContain('18:00–09:00 ends before it starts')
    expect(await t.app.db.queue.count({ where: { name: 'Broken' } })).toBe(0)

    const first = await createQueue({ name: 'Pre-sales' })
    const second = await createQueue({ name: 'After-sales' })
    const taken = await call(admin, 'POST', '/api/v1/queues', { name: 'Pre-sales' })
    expect(taken.status).toBe(409)
    expect(taken.body.code).toBe('SB_ERR_QUEUE_NAME_TAKEN')
    const renamed = await call(admin, 'PATCH', `/api/v1/queues/${second.id}`, { name: 'Pre-sales' })
    expect(renamed.status).toBe(409)
    // renaming a queue to its own name is no conflict
    expect((await call(admin, 'PATCH', `/api/v1/queues/${first.id}`, { name: 'Pre-sales' })).status).toBe(200)

    expect((await call(admin, 'PATCH', `/api/v1/queues/${first.id}`, {})).body.message).toMatch(/at least one field/)
    for (const [method, url] of [
      ['GET', '/api/v1/queues/nope'],
      ['PATCH', '/api/v1/queues/nope'],
      ['DELETE', '/api/v1/queues/nope'],
      ['PUT', '/api/v1/queues/nope/members'],
    ] as const) {
      const res = await call(
        admin,
        method,
        url,
        method === 'GET' || method === 'DELETE' ? undefined : method === 'PUT' ? { members: [] } : { priority: 1 },
      )
      expect(res.status, `${method} ${url}`).toBe(404)
      expect(res.body.code).toBe('SB_ERR_NOT_FOUND')
    }
    const noTeam = await call(admin, 'PATCH', `/api/v1/queues/${first.id}`, { teamId: 'no-such-team' })
    expect(noTeam.status).toBe(404)
    expect(paths(noTeam)).toEqual(['teamId'])
  })

  it('replaces the members, adds and removes one; unknown users are 404, a user twice 400', async () => {
    const queue = await createQueue({ name: 'Members' })
    const url = `/api/v1/queues/${queue.id}/members`
    const replaced = await call(admin, 'PUT', url, {
      members: [{ userId: agentA.userId }, { userId: agentB.userId, standby: true }],
    })
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200)
    expect(
      replaced.body.members.map((m: { userId: string; standby: boolean }) => [m.userId, m.standby]).sort(),
    ).toEqual(
      [
        [agentA.userId, false],
        [agentB.userId, true],
      ].sort(),
    )
    expect(replaced.body.members[0].email).toMatch(/@test\.local$/)

    const unknown = await call(admin, 'PUT', url, { members: [{ userId: agentA.userId }, { userId: 'ghost' }] })
    expect(unknown.status).toBe(404)
    expect(paths(unknown)).toEqual(['members.1.userId'])
    const twice = await call(admin, 'PUT', url, { members: [{ userId: agentA.userId }, { userId: agentA.userId }] })
    expect(twice.status).toBe(400)
    expect(paths(twice)).toEqual(['members'])
    // nothing was half-written by the refused calls
    expect(await t.app.db.queueMember.count({ where: { queueId: queue.id } })).toBe(2)

    const standby = await call(admin, 'PUT', `${url}/${agentA.userId}`, { standby: true })
    expect(standby.body.members.every((m: { standby: boolean }) => m.standby)).toBe(true)
    const removed = await call(admin, 'DELETE', `${url}/${agentB.userId}`)
    expect(removed.body.members.map((m: { userId: string }) => m.userId)).toEqual([agentA.userId])
    expect((await call(admin, 'DELETE', `${url}/${agentB.userId}`)).status).toBe(404)
    expect((await call(admin, 'PUT', `${url}/ghost`, {})).status).toBe(404)

    const audit = (await t.app.services.audit.list({ limit: 50 })).filter((a) => a.targetId === queue.id)
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['queue.members', 'queue.add-member', 'queue.remove-member']),
    )
  })

  it("sets an agent's skills with levels 1 to 5, creating skills by name on first use", async () => {
    const url = `/api/v1/agents/${agentA.userId}/skills`
    const set = await call(admin, 'PUT', url, {
      skills: [
        { skill: 'returns', level: 3 },
        { skill: '英语', level: 5 },
      ],
    })
    expect(set.status, JSON.stringify(set.body)).toBe(200)
    expect(set.body).toEqual({
      userId: agentA.userId,
      skills: [
        { skill: 'returns', level: 3 },
        { skill: '英语', level: 5 },
      ],
    })
    expect((await call(supervisor, 'GET', url)).body).toEqual(set.body)
    await call(admin, 'PUT', `/api/v1/agents/${agentB.userId}/skills`, { skills: [{ skill: 'returns', level: 1 }] })
    const catalog = await call(supervisor, 'GET', '/api/v1/skills')
    expect(catalog.body).toEqual(
      expect.arrayContaining([
        { name: 'returns', agents: 2 },
        { name: '英语', agents: 1 },
      ]),
    )
    // replaced as a whole
    await call(admin, 'PUT', url, { skills: [{ skill: 'returns', level: 4 }] })
    expect((await call(supervisor, 'GET', url)).body.skills).toEqual([{ skill: 'returns', level: 4 }])

    const bad = await call(admin, 'PUT', url, {
      skills: [
        { skill: 'returns', level: 0 },
        { skill: 'billing', level: 6 },
        { skill: ' ', level: 2 },
      ],
    })
    expect(bad.status).toBe(400)
    expect(paths(bad)).toEqual(['skills.0.level', 'skills.1.level', 'skills.2.skill'])
    const twice = await call(admin, 'PUT', url, {
      skills: [
        { skill: 'a', level: 1 },
        { skill: 'a', level: 2 },
      ],
    })
    expect(paths(twice)).toEqual(['skills'])
    expect((await call(admin, 'PUT', '/api/v1/agents/ghost/skills', { skills: [] })).status).toBe(404)
    expect((await call(supervisor, 'PUT', url, { skills: [] })).status).toBe(403)
    expect((await t.app.services.audit.list({ action: 'agent.skills', limit: 10 })).length).toBeGreaterThanOrEqual(3)
  })

  it('the router takes a new member and a new skill into account at once, without a restart', async () => {
    const queue = await createQueue({ name: 'Billing', requiredSkills: ['billing'] })
    const newcomer = await t.tokenFor('agent')
    await t.app.services.routing.setPresence(actor, newcomer.userId, { presence: 'available' })
    const conversation = await queueConversation(queue.id)
    await t.app.services.routing.start()
    const status = async () =>
      (await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).status

    await sleep(300)
    expect(await status()).toBe('queued')
    // a member without the skill the queue needs: still waiting
    await call(admin, 'PUT', `/api/v1/queues/${queue.id}/members`, { members: [{ userId: newcomer.userId }] })
    await sleep(300)
    expect(await status()).toBe('queued')
    // the skill arrives: the change itself makes the router plan again (no 5-second tick needed)
    const before = Date.now()
    await call(admin, 'PUT', `/api/v1/agents/${newcomer.userId}/skills`, { skills: [{ skill: 'billing', level: 2 }] })
    await until('the assignment', async () => (await status()) === 'assigned')
    expect(Date.now() - before).toBeLessThan(4_000)
    expect(await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).toMatchObject({
      assigneeId: newcomer.userId,
    })
    await t.app.services.routing.stop()
  })

  it('refuses to delete a queue while conversations wait in it; then deletes it, keeping work in progress', async () => {
    const queue = await createQueue({ name: 'Closing down' })
    const waiting = await queueConversation(queue.id)
    const inProgress = await t.app.db.conversation.create({
      data: { contactId, channel: 'webchat', status: 'assigned', queueId: queue.id, assigneeId: agentA.userId },
    })
    const refused = await call(admin, 'DELETE', `/api/v1/queues/${queue.id}`)
    expect(refused.status).toBe(409)
    expect(refused.body).toMatchObject({ code: 'SB_ERR_QUEUE_NOT_EMPTY', details: { waiting: 1 } })
    expect(refused.body.message).toMatch(/1 conversation\(s\) wait in queue "Closing down"; transfer them/)
    expect((await call(admin, 'GET', `/api/v1/queues/${queue.id}`)).body.waiting).toBe(1)

    const elsewhere = await createQueue({ name: 'Taking over' })
    const moved = await call(admin, 'POST', `/api/v1/conversations/${waiting.id}/transfer`, { queueId: elsewhere.id })
    expect(moved.status).toBe(204)
    expect((await call(admin, 'DELETE', `/api/v1/queues/${queue.id}`)).status).toBe(204)
    expect(await t.app.db.conversation.findUniqueOrThrow({ where: { id: inProgress.id } })).toMatchObject({
      status: 'assigned',
      assigneeId: agentA.userId,
      queueId: null,
    })
  })

  it('reports the live line, and open or closed with the next change, by the business hours at the clock', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    // Monday 2 March 2026, 10:00 in Shanghai
    vi.setSystemTime(new Date('2026-03-02T02:00:00Z'))
    const queue = await createQueue({
      name: 'Office hours',
      businessHours: { ...shanghaiWeekdays, holidayCountry: 'CN' },
    })
    expect(queue).toMatchObject({ open: true, nextChangeAt: '2026-03-02T13:00:00.000Z' })
    expect(queue.businessHours).toEqual({ ...shanghaiWeekdays, holidayCountry: 'CN', closedDates: [], openDates: [] })
    await queueConversation(queue.id)
    const live = (await call(supervisor, 'GET', '/api/v1/queues')).body.find((q: { id: string }) => q.id === queue.id)
    expect(live).toMatchObject({ waiting: 1, oldestQueuedAt: '2026-03-02T01:59:00.000Z', longestWaitMs: 60_000 })

    // Friday 6 March, 22:00: closed over the weekend until Monday 09:00
    vi.setSystemTime(new Date('2026-03-06T14:00:00Z'))
    expect((await call(agentA.token, 'GET', `/api/v1/queues/${queue.id}`)).body).toMatchObject({
      open: false,
      nextChangeAt: '2026-03-09T01:00:00.000Z',
    })
    // a closed date and the hours taken away
    const closedDay = await call(admin, 'PATCH', `/api/v1/queues/${queue.id}`, {
      businessHours: { ...shanghaiWeekdays, closedDates: ['2026-03-09'] },
    })
    expect(closedDay.body).toMatchObject({ open: false, nextChangeAt: '2026-03-10T01:00:00.000Z' })
    const always = await call(admin, 'PATCH', `/api/v1/queues/${queue.id}`, { businessHours: null })
    expect(always.body).toMatchObject({ businessHours: null, open: true, nextChangeAt: null })
    expect((await t.app.db.queue.findUniqueOrThrow({ where: { id: queue.id } })).businessHours).toBeNull()

    const invalid = await call(admin, 'PATCH', `/api/v1/queues/${queue.id}`, {
      businessHours: {
        timezone: 'Asia/Shanghai',
        weekly: { tue: [['09:00', '25:00']] },
        openDates: [{ date: '2026-02-30', hours: [] }],
      },
    })
    expect(invalid.status).toBe(400)
    expect(paths(invalid)).toEqual(['businessHours.weekly.tue.0.1', 'businessHours.openDates.0.date'])
  })
})
