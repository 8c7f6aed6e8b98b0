import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const shanghaiWeekdays = {
  timezone: 'Asia/Shanghai',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])),
}
/** Monday 2 March 2026 10:00 and 20:00 in Shanghai. */
const OPEN = new Date('2026-03-02T02:00:00Z')
const CLOSED = new Date('2026-03-02T12:00:00Z')

const handoffFlow = (withClosedPort: boolean) => ({
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'to-support', type: 'handoff', config: { queue: 'Support', message: 'Connecting you to an agent…' } },
    ...(withClosedPort
      ? [{ id: 'after-hours', type: 'send-message', config: { text: 'We are closed now; leave a message.' } }]
      : []),
  ],
  edges: [
    { from: 'start', port: 'next', to: 'to-support' },
    ...(withClosedPort ? [{ from: 'to-support', port: 'closed', to: 'after-hours' }] : []),
  ],
})

/**
 * The handoff node against a real queue's business hours: runs of published flows on a real
 * database, at a fixed clock.
 */
describe('handoff to a queue outside its business hours', () => {
  let t: TestApp
  let admin: string
  let contactId: string
  let queueId: string

  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await t.app.server.inject({ method, url, headers: bearer(admin), payload: payload as object })
    return { status: res.statusCode, body: JSON.parse(res.payload) }
  }
  /** Runs the flow for a new conversation at the given time; what it said and where the conversation is. */
  const runAt = async (flow: string, at: Date) => {
    vi.setSystemTime(at)
    const conversation = await t.app.db.conversation.create({ data: { contactId, channel: 'webchat' } })
    const run = await call('POST', '/api/v1/runs', { flow, conversationId: conversation.id })
    expect(run.status, JSON.stringify(run.body)).toBe(201)
    const trace = (await call('GET', `/api/v1/runs/${run.body.runId}`)).body
    const row = await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })
    return {
      said: (run.body.outputs as Array<{ kind: string; text?: string }>).map((o) => o.text ?? o.kind),
      port: (trace.steps as Array<{ nodeId: string; port: string | null }>).find((s) => s.nodeId === 'to-support')
        ?.port,
      conversation: { status: row.status, queueId: row.queueId },
    }
  }

  beforeAll(async () => {
    t = await createTestApp()
    admin = (await t.tokenFor('admin')).token
    contactId = (await t.app.services.contacts.create({ name: '周女士' })).id
    const queue = await call('POST', '/api/v1/queues', { name: 'Support', businessHours: shanghaiWeekdays })
    expect(queue.status, JSON.stringify(queue.body)).toBe(201)
    queueId = queue.body.id
    for (const [name, withClosedPort] of [
      ['After-hours aware', true],
      ['Always queue', false],
    ] as const) {
      const imported = await call('POST', '/api/v1/flows/import', {
        flow: { name, kind: 'bot', document: handoffFlow(withClosedPort) },
        publish: true,
      })
      expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    }
    vi.useFakeTimers({ toFake: ['Date'] })
  }, 60_000)
  afterEach(() => vi.setSystemTime(new Date()))
  afterAll(async () => {
    vi.useRealTimers()
    await t?.close()
  })

  it('takes `closed` when the flow connects it and the queue is closed; the conversation is not queued', async () => {
    expect(await runAt('After-hours aware', CLOSED)).toEqual({
      said: ['We are closed now; leave a message.'],
      port: 'closed',
      conversation: { status: 'bot', queueId: null },
    })
  })

  it('queues as always when the queue is open', async () => {
    expect(await runAt('After-hours aware', OPEN)).toEqual({
      said: ['Connecting you to an agent…', 'handoff'],
      port: 'next',
      conversation: { status: 'queued', queueId },
    })
  })

  it('queues even when closed if the flow does not connect `closed`: agents at work may still take it', async () => {
    expect(await runAt('Always queue', CLOSED)).toEqual({
      said: ['Connecting you to an agent…', 'handoff'],
      port: 'next',
      conversation: { status: 'queued', queueId },
    })
  })
})
