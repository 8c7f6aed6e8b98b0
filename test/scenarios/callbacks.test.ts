import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../support/test-app.js'
import { createScenarioApp, type ScenarioApp } from '../support/scenario-app.js'

/** Tuesday 3 March 2026, 21:00 in Shanghai: the support queue closed at 18:00. */
const TUESDAY_2100 = '2026-03-03T13:00:00.000Z'
const TUESDAY_2300 = '2026-03-03T15:00:00.000Z'
/** Wednesday 09:00 in Shanghai: the queue opens. */
const WEDNESDAY_0900 = '2026-03-04T01:00:00.000Z'
const WEDNESDAY_0929 = '2026-03-04T01:29:00.000Z'
const WEDNESDAY_0930 = '2026-03-04T01:30:00.000Z'
const PHONE = '+8613812345678'

const shanghaiWeekdays = {
  timezone: 'Asia/Shanghai',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])),
}

const afterHoursFlow = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    {
      id: 'promise',
      type: 'schedule-callback',
      config: { queue: 'support', nextOpening: true, mode: 'voice', note: '退款进度 {{ vars.order }}' },
    },
    { id: 'tell', type: 'send-message', config: { text: '我们会在 {{ vars.callbackAt }} 给您回电' } },
  ],
  edges: [
    { from: 'start', port: 'next', to: 'promise' },
    { from: 'promise', port: 'next', to: 'tell' },
  ],
}

interface CallbackBody {
  id: string
  status: string
  dueAt: string
  attempts: number
  assigneeId: string | null
  conversationId: string | null
  phone: string | null
  phoneMasked: boolean
  history: Array<{ outcome: string; agentId: string | null; attempt: number }>
  completedAt: string | null
  source: string
}

/**
 * The after-hours promise, end to end on a manual clock and the durable scheduler: a flow
 * promises a callback at 21:00, the support queue opens at 09:00 the next morning and the ACD
 * gives it to the one available agent; the customer does not answer, so it is tried once more 30
 * minutes later and completed. The server restarts between the steps.
 */
describe('callbacks: promised after hours, assigned when the queue opens, retried once', () => {
  let s: ScenarioApp
  let admin: string
  let agent: { token: string; userId: string }
  let conversationId: string
  let callbackId: string
  let topics: string[] = []
  let notifications: Array<{ kind: string; userIds: string[]; link?: string }> = []

  const call = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await s.app.server.inject({ method, url, headers: bearer(token), payload: payload as object })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }
  const callback = async () => (await call(admin, 'GET', `/api/v1/callbacks/${callbackId}`)).body as CallbackBody
  /** routing assigns on its own, right after the due job: wait for what it did */
  const eventually = async (status: string) => {
    for (let i = 0; i < 200; i++) {
      const body = await callback()
      if (body.status === status) return body
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error(`the callback did not become ${status}: ${JSON.stringify(await callback())}`)
  }
  /** the bus delivers after the change is stored: wait for the events too */
  const published = async (...expected: string[]) => {
    const seen = () => topics.filter((t) => expected.includes(t))
    for (let i = 0; i < 100 && seen().length < expected.length; i++) await new Promise((r) => setTimeout(r, 20))
    expect(seen()).toEqual(expected)
  }
  /** what the (new) app publishes about callbacks and notifications */
  const watch = async () => {
    topics = []
    notifications = []
    await s.app.infra.bus.subscribe('callback.*', (_e, topic) => void topics.push(topic))
    await s.app.infra.bus.subscribe('notification', (e) => void notifications.push(e as (typeof notifications)[0]))
  }

  beforeAll(async () => {
    s = await createScenarioApp(TUESDAY_2100)
    admin = (await s.tokenFor('admin')).token
    agent = await s.tokenFor('agent', 'Agent Li')
    const queue = await call(admin, 'POST', '/api/v1/queues', { name: 'support', businessHours: shanghaiWeekdays })
    expect(queue.status, JSON.stringify(queue.body)).toBe(201)
    const member = await call(admin, 'PUT', `/api/v1/queues/${queue.body.id}/members/${agent.userId}`, {})
    expect(member.status, JSON.stringify(member.body)).toBe(200)
    const presence = await call(agent.token, 'PUT', '/api/v1/agents/me/presence', { presence: 'available' })
    expect(presence.status, JSON.stringify(presence.body)).toBe(204)
    const contact = await s.app.services.contacts.create({ name: '周女士', phone: PHONE, language: 'zh-CN' })
    conversationId = (await s.app.db.conversation.create({ data: { contactId: contact.id, channel: 'webchat' } })).id
    const imported = await call(admin, 'POST', '/api/v1/flows/import', {
      flow: { name: 'After hours', kind: 'bot', document: afterHoursFlow },
      publish: true,
    })
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    await watch()
  }, 60_000)
  afterAll(async () => {
    await s?.close()
  })

  it('at 21:00 a flow promises the callback for 09:00 the next business day', async () => {
    const run = await call(admin, 'POST', '/api/v1/runs', {
      flow: 'After hours',
      conversationId,
      variables: { order: 'A-1001' },
    })
    expect(run.status, JSON.stringify(run.body)).toBe(201)
    const outputs = run.body.outputs as Array<{ kind: string; id?: string; at?: string; text?: string }>
    const scheduled = outputs.find((o) => o.kind === 'callback.scheduled')!
    expect(scheduled.at).toBe(WEDNESDAY_0900)
    expect(outputs.find((o) => o.kind === 'message')?.text).toBe(`我们会在 ${WEDNESDAY_0900} 给您回电`)
    callbackId = scheduled.id!
    const body = await callback()
    expect(body).toMatchObject({
      status: 'scheduled',
      source: 'flow',
      dueAt: WEDNESDAY_0900,
      phone: PHONE,
      phoneMasked: false,
      conversationId,
      attempts: 0,
    })
    await published('callback.scheduled')
    // the number is encrypted at rest
    const row = await s.app.db.callback.findUniqueOrThrow({ where: { id: callbackId } })
    expect(row.phoneEnc).toBeTruthy()
    expect(row.phoneEnc).not.toContain('13812345678')
    expect(row.note).toBe('退款进度 A-1001')
  })

  it('nothing happens overnight, and the promise survives a restart', async () => {
    await s.advance(TUESDAY_2300)
    expect((await callback()).status).toBe('scheduled')
    expect(await s.app.db.conversation.count({ where: { channel: 'voice' } })).toBe(0)
    await s.restart()
    await watch()
    expect((await callback()).status).toBe('scheduled')
  })

  it('at 09:00 it is due, joins the queue as a voice conversation and the ACD gives it to the agent', async () => {
    await s.advance(WEDNESDAY_0900)
    const body = await eventually('assigned')
    expect(body.assigneeId).toBe(agent.userId)
    await published('callback.due', 'callback.assigned')
    const voice = await s.app.db.conversation.findUniqueOrThrow({ where: { id: body.conversationId! } })
    expect(voice).toMatchObject({ channel: 'voice', status: 'assigned', assigneeId: agent.userId })
    expect(voice.queuedAt?.toISOString()).toBe(WEDNESDAY_0900)
    expect((voice.attributes as { callbackId?: string }).callbackId).toBe(callbackId)
    for (let i = 0; i < 100 && notifications.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(notifications).toContainEqual(
      expect.objectContaining({ kind: 'callback.due', userIds: [agent.userId], link: `/callbacks/${callbackId}` }),
    )
    // the agent sees it among theirs, with the number to dial
    const mine = await call(agent.token, 'GET', '/api/v1/callbacks?assignee=me&status=assigned')
    expect(mine.body).toEqual([expect.objectContaining({ id: callbackId, phone: PHONE, phoneMasked: false })])
  })

  it('no answer: tried again 30 minutes later (after another restart), then completed', async () => {
    const missed = await call(agent.token, 'POST', `/api/v1/callbacks/${callbackId}/outcome`, {
      outcome: 'no-answer',
      note: '无人接听',
    })
    expect(missed.status, JSON.stringify(missed.body)).toBe(200)
    expect(missed.body).toMatchObject({ status: 'scheduled', attempts: 1, dueAt: WEDNESDAY_0930, assigneeId: null })
    expect(missed.body.history).toEqual([
      expect.objectContaining({ outcome: 'no-answer', agentId: agent.userId, attempt: 1, at: WEDNESDAY_0900 }),
    ])
    const voiceId = missed.body.conversationId as string
    expect((await s.app.db.conversation.findUniqueOrThrow({ where: { id: voiceId } })).status).toBe('resolved')

    await s.restart()
    await watch()
    await s.advance(WEDNESDAY_0929)
    expect((await callback()).status).toBe('scheduled')
    await s.advance(WEDNESDAY_0930)
    const again = await eventually('assigned')
    expect(again).toMatchObject({ assigneeId: agent.userId, conversationId: voiceId })
    await published('callback.due', 'callback.assigned')

    const done = await call(agent.token, 'POST', `/api/v1/callbacks/${callbackId}/outcome`, {
      outcome: 'completed',
      note: '已告知退款进度',
    })
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(done.body).toMatchObject({ status: 'completed', attempts: 2, completedAt: WEDNESDAY_0930 })
    expect((done.body as CallbackBody).history.map((h) => h.outcome)).toEqual(['no-answer', 'completed'])
    expect((await s.app.db.conversation.findUniqueOrThrow({ where: { id: voiceId } })).status).toBe('resolved')
    // no job is left behind for it
    const pending = await s.app.db.scheduledJob.count({
      where: { status: 'pending', key: { startsWith: `callback:${callbackId}` } },
    })
    expect(pending).toBe(0)
  })
})
