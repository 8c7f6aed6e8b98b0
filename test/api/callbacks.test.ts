import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../support/test-app.js'
import { createScenarioApp, type ScenarioApp } from '../support/scenario-app.js'

/** Monday 2 March 2026, 10:00 in Shanghai. */
const MONDAY_1000 = '2026-03-02T02:00:00.000Z'
const MONDAY_1100 = '2026-03-02T03:00:00.000Z'
const TUESDAY_0900 = '2026-03-03T01:00:00.000Z'
const TUESDAY_1400 = '2026-03-03T06:00:00.000Z'
const TUESDAY_2000 = '2026-03-03T12:00:00.000Z'
const WEDNESDAY_0900 = '2026-03-04T01:00:00.000Z'
const PHONE = '+8613812345678'

const shanghaiWeekdays = {
  timezone: 'Asia/Shanghai',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])),
}

type User = { token: string; userId: string }
interface Body {
  id: string
  status: string
  dueAt: string
  queuedAt: string | null
  attempts: number
  assigneeId: string | null
  conversationId: string | null
  phone: string | null
  phoneMasked: boolean
  mode: string
  source: string
  outcome: string | null
  history: Array<{ outcome: string }>
  details?: Array<{ path: string; message: string }>
  message?: string
}

/**
 * The callbacks API on a manual clock with routing running: what it refuses and why, who sees
 * what (the phone number in full only for those who call it), the queue offer that keeps the
 * customer's place, message-mode callbacks answered on the customer's channel, retries with
 * backoff inside business hours, and a window that ends unanswered.
 */
describe('callbacks API', () => {
  let s: ScenarioApp
  let admin: string
  let supervisor: User
  /** member of both queues; made the first callbacks */
  let alice: User
  /** member of the chat queue only */
  let bob: User
  /** member of no queue */
  let carol: User
  let salesId: string
  let chatId: string
  let withPhone: string
  let withoutPhone: string
  let phoneConversation: string
  const events: Array<{ topic: string; event: unknown }> = []
  const notifications: Array<{ kind: string; userIds: string[]; supervisors?: boolean }> = []

  const call = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await s.app.server.inject({ method, url, headers: bearer(token), payload: payload as object })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') as Body }
  }
  const get = async (id: string) => (await call(admin, 'GET', `/api/v1/callbacks/${id}`)).body
  const eventually = async (id: string, test: (b: Body) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const body = await get(id)
      if (test(body)) return body
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error(`the callback never got there: ${JSON.stringify(await get(id))}`)
  }
  const pathsOf = (body: Body) => (body.details ?? []).map((d) => d.path)

  beforeAll(async () => {
    s = await createScenarioApp(MONDAY_1000)
    admin = (await s.tokenFor('admin')).token
    supervisor = await s.tokenFor('supervisor')
    alice = await s.tokenFor('agent', 'Alice')
    bob = await s.tokenFor('agent', 'Bob')
    carol = await s.tokenFor('agent', 'Carol')
    const sales = await call(admin, 'POST', '/api/v1/queues', { name: 'sales', businessHours: shanghaiWeekdays })
    expect(sales.status).toBe(201)
    salesId = sales.body.id
    const chat = await call(admin, 'POST', '/api/v1/queues', { name: 'chat' })
    chatId = chat.body.id
    for (const [queue, user] of [
      [salesId, alice],
      [chatId, alice],
      [chatId, bob],
    ] as const)
      expect((await call(admin, 'PUT', `/api/v1/queues/${queue}/members/${user.userId}`, {})).status).toBe(200)
    withPhone = (await s.app.services.contacts.create({ name: '周女士', phone: PHONE })).id
    withoutPhone = (await s.app.services.contacts.create({ name: 'Wang', language: 'en' })).id
    phoneConversation = (
      await s.app.db.conversation.create({
        data: { contactId: withPhone, channel: 'webchat', priority: 5, queueId: salesId, status: 'resolved' },
      })
    ).id
    await s.app.infra.bus.subscribe('callback.*', (event, topic) => void events.push({ topic, event }))
    await s.app.infra.bus.subscribe('notification', (e) => void notifications.push(e as (typeof notifications)[0]))
  }, 60_000)
  afterAll(async () => {
    await s?.close()
  })

  it('refuses what cannot be called back, saying which field is wrong', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{}, 400, 'contactId'],
      [{ contactId: 'no-such-contact', queue: 'sales' }, 404, 'contactId'],
      [{ conversationId: 'no-such-conversation' }, 404, 'conversationId'],
      [{ contactId: withPhone }, 400, 'queue'],
      [{ contactId: withPhone, queue: 'no-such-queue' }, 400, 'queue'],
      [{ contactId: withoutPhone, queue: 'sales' }, 400, 'phone'],
      [{ contactId: withPhone, queue: 'sales', phone: 'call me maybe' }, 400, 'phone'],
      [{ contactId: withoutPhone, queue: 'sales', mode: 'message' }, 400, 'mode'],
      [{ contactId: withPhone, queue: 'sales', windowStart: TUESDAY_1400, windowEnd: TUESDAY_0900 }, 400, 'windowEnd'],
      // Sunday 8 March 10:00–12:00: sales is closed all that time
      [
        {
          contactId: withPhone,
          queue: 'sales',
          windowStart: '2026-03-08T10:00:00+08:00',
          windowEnd: '2026-03-08T12:00:00+08:00',
        },
        400,
        'windowEnd',
      ],
      [{ contactId: withPhone, queue: 'sales', windowStart: 'tomorrow' }, 400, 'windowStart'],
      [{ contactId: withPhone, queue: 'sales', maxAttempts: 0 }, 400, 'maxAttempts'],
      [{ contactId: withPhone, queue: 'sales', colour: 'blue' }, 400, 'colour'],
    ]
    for (const [payload, status, path] of cases) {
      const res = await call(alice.token, 'POST', '/api/v1/callbacks', payload)
      expect(res.status, JSON.stringify(payload)).toBe(status)
      expect(pathsOf(res.body), JSON.stringify(res.body)).toContain(path)
    }
    expect(await s.app.db.callback.count()).toBe(0)
  })

  it('an agent may only promise a callback on a conversation they may see (it would move it into their queue)', async () => {
    // a VIP chat in the sales queue: Bob (chat queue only) and Carol (no queue) cannot see it
    for (const [who, queue] of [
      [bob, 'chat'],
      [carol, 'chat'],
    ] as const) {
      const res = await call(who.token, 'POST', '/api/v1/callbacks', {
        conversationId: phoneConversation,
        queue,
        mode: 'message',
      })
      expect(res.status, JSON.stringify(res.body)).toBe(403)
    }
    expect(await s.app.db.callback.count()).toBe(0)
    const untouched = await s.app.db.conversation.findUniqueOrThrow({ where: { id: phoneConversation } })
    expect(untouched).toMatchObject({ queueId: salesId, status: 'resolved' })
  })

  it('an agent promises a callback for later; it is rescheduled into opening hours, then cancelled', async () => {
    const made = await call(alice.token, 'POST', '/api/v1/callbacks', {
      conversationId: phoneConversation,
      queue: 'sales',
      windowStart: TUESDAY_1400,
      note: 'wants the invoice',
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    expect(made.body).toMatchObject({
      status: 'scheduled',
      source: 'agent',
      mode: 'voice',
      dueAt: TUESDAY_1400,
      phone: PHONE,
      phoneMasked: false,
    })
    const id = made.body.id
    // one promise per conversation at a time
    const twice = await call(alice.token, 'POST', '/api/v1/callbacks', {
      conversationId: phoneConversation,
      queue: 'sales',
    })
    expect(twice.status).toBe(409)
    // not Carol's: neither hers nor waiting in one of her queues
    expect((await call(carol.token, 'GET', `/api/v1/callbacks/${id}`)).status).toBe(403)
    expect((await call(carol.token, 'PATCH', `/api/v1/callbacks/${id}`, { note: 'x' })).status).toBe(403)
    expect((await call(carol.token, 'GET', '/api/v1/callbacks')).body).toEqual([])
    // nothing to record before it is due
    const early = await call(alice.token, 'POST', `/api/v1/callbacks/${id}/outcome`, { outcome: 'completed' })
    expect(early.status).toBe(409)
    const bogus = await call(alice.token, 'POST', `/api/v1/callbacks/${id}/outcome`, { outcome: 'maybe' })
    expect(bogus.status).toBe(400)
    expect(pathsOf(bogus.body)).toContain('outcome')

    // Tuesday 20:00 is after hours: due when sales opens on Wednesday
    const moved = await call(alice.token, 'PATCH', `/api/v1/callbacks/${id}`, { windowStart: TUESDAY_2000 })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    expect(moved.body.dueAt).toBe(WEDNESDAY_0900)
    const job = await s.app.db.scheduledJob.findFirst({ where: { key: `callback:${id}`, status: 'pending' } })
    expect(job?.runAt.toISOString()).toBe(WEDNESDAY_0900)

    const cancelled = await call(alice.token, 'PATCH', `/api/v1/callbacks/${id}`, { status: 'cancelled' })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body.status).toBe('cancelled')
    expect(await s.app.db.scheduledJob.count({ where: { key: `callback:${id}`, status: 'pending' } })).toBe(0)
    expect((await call(alice.token, 'PATCH', `/api/v1/callbacks/${id}`, { note: 'again' })).status).toBe(409)
  })

  it('a queue offer keeps the customer’s place: served before someone who queued later; answered on their chat', async () => {
    const now = s.clock.now().getTime()
    const received = await s.app.services.conversations.receive({
      channelPlugin: null,
      channel: 'webchat',
      identityKind: 'web-visitor',
      message: {
        channelMessageId: 'wang:1',
        from: { id: 'wang-visitor', kind: 'web-visitor' },
        kind: 'text',
        text: 'still waiting…',
        receivedAt: new Date(now).toISOString(),
      },
    })
    await s.settle()
    const waitingSince = new Date(now - 10 * 60_000)
    const first = await s.app.db.conversation.update({
      where: { id: received.conversationId },
      data: { status: 'queued', queueId: chatId, queuedAt: waitingSince, priority: 3 },
    })
    // link the web visitor to the English-speaking contact, as a merge would
    await s.app.db.conversation.update({ where: { id: first.id }, data: { contactId: withoutPhone } })

    const offer = await call(alice.token, 'POST', `/api/v1/conversations/${first.id}/callback-offer`, {
      note: 'prefers a reply here',
    })
    expect(offer.status, JSON.stringify(offer.body)).toBe(201)
    expect(offer.body).toMatchObject({
      source: 'queue-offer',
      mode: 'message',
      queuedAt: waitingSince.toISOString(),
      phone: null,
      conversationId: first.id,
    })
    const id = offer.body.id
    // someone else queued after the customer's original place (but before the offer came back)
    const later = await s.app.db.conversation.create({
      data: {
        contactId: withPhone,
        channel: 'webchat',
        status: 'queued',
        queueId: chatId,
        queuedAt: new Date(now - 5 * 60_000),
        priority: 3,
      },
    })
    await s.settle()
    expect(await get(id)).toMatchObject({ status: 'due' })
    const back = await s.app.db.conversation.findUniqueOrThrow({ where: { id: first.id } })
    expect(back).toMatchObject({ status: 'queued', queueId: chatId })
    expect(back.queuedAt?.toISOString()).toBe(waitingSince.toISOString())

    // one free agent for one chat: the callback's customer goes first
    expect((await call(supervisor.token, 'PUT', `/api/v1/agents/${bob.userId}/capacity`, { chat: 1 })).status).toBe(204)
    expect((await call(bob.token, 'PUT', '/api/v1/agents/me/presence', { presence: 'available' })).status).toBe(204)
    const assigned = await eventually(id, (b) => b.status === 'assigned')
    expect(assigned.assigneeId).toBe(bob.userId)
    expect((await s.app.db.conversation.findUniqueOrThrow({ where: { id: later.id } })).status).toBe('queued')
    // the customer is told on their channel, in their language
    for (let i = 0; i < 100; i++) {
      if (await s.app.db.message.count({ where: { conversationId: first.id, direction: 'outbound' } })) break
      await new Promise((r) => setTimeout(r, 20))
    }
    const told = await s.app.db.message.findMany({ where: { conversationId: first.id, direction: 'outbound' } })
    expect(told.map((m) => m.body)).toEqual(['We promised to get back to you — an agent is with you now.'])
    // the bus delivers after the change is stored
    for (let i = 0; i < 100 && !notifications.some((n) => n.kind === 'callback.due'); i++)
      await new Promise((r) => setTimeout(r, 20))
    expect(notifications).toContainEqual(expect.objectContaining({ kind: 'callback.due', userIds: [bob.userId] }))

    // not Alice's to record any more: Bob has it
    expect((await call(alice.token, 'POST', `/api/v1/callbacks/${id}/outcome`, { outcome: 'completed' })).status).toBe(
      403,
    )
    const done = await call(bob.token, 'POST', `/api/v1/callbacks/${id}/outcome`, { outcome: 'completed' })
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(done.body).toMatchObject({ status: 'completed', outcome: 'completed', attempts: 1 })
    // a chat goes on with the agent after a completed callback
    expect((await s.app.db.conversation.findUniqueOrThrow({ where: { id: first.id } })).status).toBe('assigned')
  })

  it('agents waiting for an unassigned due callback see it with the number masked; supervisors see it in full', async () => {
    const made = await call(supervisor.token, 'POST', '/api/v1/callbacks', { contactId: withPhone, queue: 'sales' })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const id = made.body.id
    await s.settle()
    // Alice is away: it waits in sales, unassigned
    const due = await get(id)
    expect(due).toMatchObject({ status: 'due', assigneeId: null })
    const seen = (await call(alice.token, 'GET', '/api/v1/callbacks?status=due')).body as unknown as Body[]
    expect(seen).toEqual([expect.objectContaining({ id, phone: '+86*******5678', phoneMasked: true })])
    expect((await call(carol.token, 'GET', '/api/v1/callbacks?status=due')).body).toEqual([])
    expect((await call(supervisor.token, 'GET', `/api/v1/callbacks/${id}`)).body).toMatchObject({
      phone: PHONE,
      phoneMasked: false,
    })
    // the voice conversation it waits as, with nothing personal on it
    const voice = await s.app.db.conversation.findUniqueOrThrow({ where: { id: due.conversationId! } })
    expect(voice).toMatchObject({ channel: 'voice', status: 'queued', queueId: salesId })

    const cancelled = await call(supervisor.token, 'PATCH', `/api/v1/callbacks/${id}`, { status: 'cancelled' })
    expect(cancelled.body.status).toBe('cancelled')
    // out of the line
    expect((await s.app.db.conversation.findUniqueOrThrow({ where: { id: voice.id } })).status).toBe('resolved')
  })

  it('a window that ends before anyone calls back is missed: failed, out of the line, supervisors told', async () => {
    const made = await call(supervisor.token, 'POST', '/api/v1/callbacks', {
      contactId: withPhone,
      queue: 'sales',
      windowEnd: MONDAY_1100,
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const id = made.body.id
    await s.settle()
    expect((await get(id)).status).toBe('due')
    await s.advance(MONDAY_1100)
    const missed = await get(id)
    expect(missed).toMatchObject({ status: 'failed', outcome: 'missed' })
    expect(missed.history.map((h) => h.outcome)).toEqual(['missed'])
    expect((await s.app.db.conversation.findUniqueOrThrow({ where: { id: missed.conversationId! } })).status).toBe(
      'resolved',
    )
    for (let i = 0; i < 100 && !notifications.some((n) => n.kind === 'callback.failed'); i++)
      await new Promise((r) => setTimeout(r, 20))
    expect(notifications).toContainEqual(expect.objectContaining({ kind: 'callback.failed', supervisors: true }))
  })

  it('missed attempts are retried with backoff, moved into opening hours, until the attempts run out', async () => {
    const made = await call(supervisor.token, 'POST', '/api/v1/callbacks', {
      contactId: withPhone,
      queue: 'sales',
      maxAttempts: 4,
      retryMinutes: 10,
    })
    const id = made.body.id
    await s.settle()
    const outcome = async (value: string) =>
      call(supervisor.token, 'POST', `/api/v1/callbacks/${id}/outcome`, { outcome: value })
    // 11:00 no answer → 11:10
    const first = await outcome('no-answer')
    expect(first.body).toMatchObject({ status: 'scheduled', attempts: 1, dueAt: '2026-03-02T03:10:00.000Z' })
    await s.advance('2026-03-02T03:10:00.000Z')
    expect((await get(id)).status).toBe('due')
    // 11:10 busy → twice as long: 11:30
    expect((await outcome('busy')).body).toMatchObject({ attempts: 2, dueAt: '2026-03-02T03:30:00.000Z' })
    // 17:50: voicemail → 40 minutes would be 18:30, after hours: Tuesday 09:00
    await s.advance('2026-03-02T09:50:00.000Z')
    expect((await get(id)).status).toBe('due')
    const third = await outcome('voicemail')
    expect(third.body).toMatchObject({ status: 'scheduled', attempts: 3, dueAt: TUESDAY_0900 })
    expect((await s.app.db.conversation.findUniqueOrThrow({ where: { id: third.body.conversationId! } })).status).toBe(
      'resolved',
    )
    await s.advance(TUESDAY_0900)
    expect((await get(id)).status).toBe('due')
    const last = await outcome('no-answer')
    expect(last.body).toMatchObject({ status: 'failed', attempts: 4 })
    expect(last.body.history.map((h) => h.outcome)).toEqual(['no-answer', 'busy', 'voicemail', 'no-answer'])
    expect((await outcome('completed')).status).toBe(409)
  })

  it('two requests at once for the same conversation make one callback, not two', async () => {
    const conversation = await s.app.db.conversation.create({
      data: { contactId: withPhone, channel: 'webchat', queueId: salesId, status: 'resolved' },
    })
    const both = await Promise.all(
      [1, 2, 3, 4].map(() =>
        call(alice.token, 'POST', '/api/v1/callbacks', {
          conversationId: conversation.id,
          queue: 'sales',
          windowStart: TUESDAY_1400,
        }),
      ),
    )
    expect(both.map((r) => r.status).sort()).toEqual([201, 409, 409, 409])
    expect(await s.app.db.callback.count({ where: { conversationId: conversation.id } })).toBe(1)
    const made = both.find((r) => r.status === 201)!.body
    expect((await call(alice.token, 'PATCH', `/api/v1/callbacks/${made.id}`, { status: 'cancelled' })).status).toBe(200)
  })

  it('a reschedule while the due job is running keeps a job for the new time', async () => {
    const made = await call(supervisor.token, 'POST', '/api/v1/callbacks', {
      contactId: withPhone,
      queue: 'sales',
      windowStart: TUESDAY_1400,
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const id = made.body.id
    // the due job is being run by an instance right now (it will miss its claim: the due time changes)
    await s.app.db.scheduledJob.updateMany({
      where: { key: `callback:${id}`, status: 'pending' },
      // leases run on real time (the scheduler takes over a job whose lease has passed)
      data: { status: 'running', lockedUntil: new Date(Date.now() + 30 * 86_400_000) },
    })
    const moved = await call(supervisor.token, 'PATCH', `/api/v1/callbacks/${id}`, { windowStart: TUESDAY_2000 })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    expect(moved.body).toMatchObject({ status: 'scheduled', dueAt: WEDNESDAY_0900 })
    const pending = await s.app.db.scheduledJob.findMany({
      where: { key: { startsWith: `callback:${id}` }, status: 'pending', type: 'callbacks.due' },
    })
    expect(pending.map((j) => j.runAt.toISOString())).toEqual([WEDNESDAY_0900])
    await s.app.db.scheduledJob.updateMany({ where: { key: `callback:${id}` }, data: { status: 'done' } })
    expect((await call(supervisor.token, 'PATCH', `/api/v1/callbacks/${id}`, { status: 'cancelled' })).status).toBe(200)
    expect(
      await s.app.db.scheduledJob.count({ where: { key: { startsWith: `callback:${id}` }, status: 'pending' } }),
    ).toBe(0)
  })

  it('a supervisor in teams sees the callbacks of their teams’ queues (and of no team), not the others', async () => {
    const north = await s.app.db.team.create({ data: { name: 'North' } })
    const south = await s.app.db.team.create({ data: { name: 'South' } })
    const lead = await s.tokenFor('supervisor', 'North lead')
    await s.app.db.teamMember.create({ data: { teamId: north.id, userId: lead.userId } })
    const queues: Record<string, string> = {}
    for (const [name, teamId] of [
      ['north-line', north.id],
      ['south-line', south.id],
    ] as const) {
      const q = await call(admin, 'POST', '/api/v1/queues', { name })
      expect(q.status).toBe(201)
      await s.app.db.queue.update({ where: { id: q.body.id }, data: { teamId } })
      queues[name] = q.body.id
    }
    const make = async (queue: string) => {
      const res = await call(admin, 'POST', '/api/v1/callbacks', {
        contactId: withPhone,
        queue,
        windowStart: TUESDAY_1400,
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      return res.body.id
    }
    const ours = await make('north-line')
    const theirs = await make('south-line')
    const listed = (await call(lead.token, 'GET', '/api/v1/callbacks?status=scheduled')).body as unknown as Body[]
    const ids = listed.map((c) => c.id)
    expect(ids).toContain(ours)
    expect(ids).not.toContain(theirs)
    expect((await call(lead.token, 'GET', `/api/v1/callbacks/${theirs}`)).status).toBe(403)
    expect((await call(lead.token, 'PATCH', `/api/v1/callbacks/${theirs}`, { status: 'cancelled' })).status).toBe(403)
    expect((await call(lead.token, 'GET', `/api/v1/callbacks/${ours}`)).body.phone).toBe(PHONE)
    // the team-less supervisor still sees all
    const all = (
      (await call(supervisor.token, 'GET', '/api/v1/callbacks?status=scheduled')).body as unknown as Body[]
    ).map((c) => c.id)
    expect(all).toEqual(expect.arrayContaining([ours, theirs]))
    for (const id of [ours, theirs])
      expect((await call(admin, 'PATCH', `/api/v1/callbacks/${id}`, { status: 'cancelled' })).status).toBe(200)
  })

  it('is described in the OpenAPI document under the callbacks tag', async () => {
    const res = await s.app.server.inject({ url: '/api/openapi.json' })
    expect(res.statusCode).toBe(200)
    const doc = JSON.parse(res.payload) as { paths: Record<string, Record<string, { tags?: string[] }>> }
    expect(doc.paths['/api/v1/callbacks']?.post?.tags).toEqual(['callbacks'])
    expect(doc.paths['/api/v1/callbacks/{id}/outcome']?.post).toBeDefined()
    expect(doc.paths['/api/v1/conversations/{id}/callback-offer']?.post).toBeDefined()
  })

  it('never puts the phone number on the bus (webhooks and flows read it)', async () => {
    await new Promise((r) => setTimeout(r, 50))
    expect(events.length).toBeGreaterThan(5)
    for (const { event } of events) expect(JSON.stringify(event)).not.toContain('13812345678')
    expect(new Set(events.map((e) => e.topic))).toEqual(
      new Set([
        'callback.scheduled',
        'callback.due',
        'callback.assigned',
        'callback.completed',
        'callback.failed',
        'callback.cancelled',
      ]),
    )
  })
})
