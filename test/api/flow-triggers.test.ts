import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, bearer, type TestApp } from '../support/test-app.js'

let t: TestApp
let admin: string
beforeAll(async () => {
  t = await createTestApp()
  admin = (await t.tokenFor('admin')).token
})
afterAll(() => t?.close())

const json = (res: { payload: string }) => JSON.parse(res.payload)
const call = (method: string, url: string, payload?: unknown) =>
  t.app.server.inject({ method, url, payload: payload as object, headers: bearer(admin) })
const oneMessage = (text: string) => ({
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'say', type: 'send-message', config: { text } },
  ],
  edges: [{ from: 'start', port: 'next', to: 'say' }],
})

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await read()
    if (ok(v) || Date.now() > deadline) return v
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('flow triggers', () => {
  it('an event starts the flow after its delay, once, with the event in vars.event', async () => {
    const flow = json(
      await call('POST', '/api/v1/flows/import', {
        flow: { name: 'Survey later', kind: 'survey', document: oneMessage('How did we do, {{ vars.event.name }}?') },
        publish: true,
      }),
    )
    const created = await call('POST', `/api/v1/flows/${flow.id}/triggers`, {
      kind: 'event',
      config: { topic: 'conversation.resolved', delay: '1s' },
    })
    expect(created.statusCode).toBe(201)
    const event = { conversationId: null, name: 'Li' }
    await t.app.infra.bus.publish('conversation.resolved', event)
    await t.app.infra.bus.publish('conversation.resolved', event) // delivered twice: one start
    await t.app.infra.bus.publish('conversation.opened', { name: 'nobody' })
    await new Promise((r) => setTimeout(r, 300))
    expect(await t.app.db.flowRun.count({ where: { flowId: flow.id } })).toBe(0)
    const runs = await until(
      () => t.app.db.flowRun.findMany({ where: { flowId: flow.id } }),
      (r) => r.length > 0 && r.every((x) => x.status === 'completed'),
    )
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ status: 'completed', variables: { event } })
    const trace = (await t.app.services.flowRuntime.getRun(runs[0]!.id))!.steps
    expect(trace.map((s) => s.nodeId)).toContain('say')
  })

  it('a cron schedule keeps its next start on the durable scheduler; a bad cron is a 400 naming the field', async () => {
    const flow = json(
      await call('POST', '/api/v1/flows/import', {
        flow: { name: 'Morning report', kind: 'callback', document: oneMessage('morning') },
        publish: true,
      }),
    )
    const bad = await call('POST', `/api/v1/flows/${flow.id}/triggers`, {
      kind: 'schedule',
      config: { cron: 'every morning' },
    })
    expect(bad.statusCode).toBe(400)
    expect(json(bad).details[0].path).toBe('config.cron')
    const trigger = json(
      await call('POST', `/api/v1/flows/${flow.id}/triggers`, {
        kind: 'schedule',
        config: { cron: '0 9 * * 1-5', timezone: 'Asia/Shanghai' },
      }),
    )
    const [job] = await t.app.infra.scheduler.list({ type: 'flows.cron', status: 'pending' })
    expect(job!.key).toMatch(new RegExp(`^flow-cron:${trigger.id}:`))
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    }).format(job!.runAt)
    expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:00$/)
    expect((await call('DELETE', `/api/v1/flows/${flow.id}/triggers/${trigger.id}`)).statusCode).toBe(204)
    expect(await t.app.infra.scheduler.list({ type: 'flows.cron', status: 'pending' })).toEqual([])
  })

  it('a cron trigger fires once per occurrence and keeps going', async () => {
    const flow = json(
      await call('POST', '/api/v1/flows/import', {
        flow: { name: 'Every second', kind: 'callback', document: oneMessage('tick') },
        publish: true,
      }),
    )
    // six fields: seconds first
    const trigger = json(
      await call('POST', `/api/v1/flows/${flow.id}/triggers`, {
        kind: 'schedule',
        config: { cron: '* * * * * *', timezone: 'UTC' },
      }),
    )
    const runs = await until(
      () => t.app.db.flowRun.findMany({ where: { flowId: flow.id } }),
      (r) => r.length >= 3,
      8000,
    )
    await call('DELETE', `/api/v1/flows/${flow.id}/triggers/${trigger.id}`)
    const occurrences = runs.map((r) => (r.trigger as { at: string }).at)
    expect(new Set(occurrences).size).toBe(occurrences.length)
    expect(runs.every((r) => r.status === 'completed')).toBe(true)
  })

  it("a channel's entry flow starts for a new conversation; one entry flow per channel", async () => {
    const flow = json(
      await call('POST', '/api/v1/flows/import', {
        flow: { name: 'Web chat entry', kind: 'bot', document: oneMessage('您好，{{ input.text }} 收到') },
        publish: true,
      }),
    )
    expect(
      (
        await call('POST', `/api/v1/flows/${flow.id}/triggers`, {
          kind: 'channel-entry',
          config: { channel: 'webchat' },
        })
      ).statusCode,
    ).toBe(201)
    const other = json(
      await call('POST', '/api/v1/flows/import', {
        flow: { name: 'Other entry', kind: 'bot', document: oneMessage('x') },
        publish: true,
      }),
    )
    expect(
      (
        await call('POST', `/api/v1/flows/${other.id}/triggers`, {
          kind: 'channel-entry',
          config: { channel: 'webchat' },
        })
      ).statusCode,
    ).toBe(409)
    const contact = await t.app.services.contacts.create({ name: 'Visitor' })
    const conversation = await t.app.db.conversation.create({ data: { contactId: contact.id, channel: 'webchat' } })
    const turn = await t.app.services.flowTriggers.startForNewConversation({
      channel: 'webchat',
      conversationId: conversation.id,
      text: '我的快递',
      eventKey: 'webchat:first',
    })
    expect(turn?.outputs).toEqual([{ kind: 'message', text: '您好，我的快递 收到' }])
    expect(
      await t.app.services.flowTriggers.startForNewConversation({ channel: 'wechat', conversationId: conversation.id }),
    ).toBeNull()
    const triggers = json(await call('GET', `/api/v1/flows/${flow.id}/triggers`))
    expect(triggers.map((x: { kind: string }) => x.kind)).toEqual(['channel-entry'])
  })
})
