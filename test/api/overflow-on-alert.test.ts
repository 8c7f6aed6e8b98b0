import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')
const exampleFlow = JSON.parse(
  readFileSync(new URL('../../examples/flows/overflow-on-alert.json', import.meta.url), 'utf8'),
) as { name: string }

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await read()
    if (ok(v) || Date.now() > deadline) return v
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * Alerts available to flows, end to end: a threshold alert on After-sales starts the example flow
 * examples/flows/overflow-on-alert.json (published with event triggers on alert.raised and
 * alert.cleared), its update-queue node switches the queue's overflow on through the queues
 * service, the router gives the waiting conversations to the standby agent, and when the line is
 * empty the cleared alert switches overflow off again.
 */
describe('overflow on alert: an alert rule, a flow and routing together', () => {
  let t: TestApp
  let admin: string
  let member: { userId: string }
  let standby: { userId: string }
  let queueId: string
  let flowId: string
  const assigned: Array<{ conversationId: string; assigneeId: string; reason: string }> = []
  let unsubscribe: () => Promise<void>

  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await t.app.server.inject({ method, url, payload: payload as object, headers: bearer(admin) })
    expect(res.statusCode, `${method} ${url}: ${res.payload}`).toBeLessThan(300)
    return res.payload ? JSON.parse(res.payload) : null
  }
  const overflowNow = async () =>
    (await t.app.db.queue.findUniqueOrThrow({ where: { id: queueId } })).overflowAfterSeconds

  beforeAll(async () => {
    t = await createTestApp()
    admin = (await t.tokenFor('admin')).token
    member = await t.tokenFor('agent')
    standby = await t.tokenFor('agent')
    const queue = await t.app.services.queues.create(actor, { name: 'After-sales', overflowAfterSeconds: null })
    queueId = queue.id
    await t.app.services.queues.replaceMembers(actor, queueId, {
      members: [
        { userId: member.userId, standby: false },
        { userId: standby.userId, standby: true },
      ],
    })
    // the queue's own agent is at lunch; the standby agent (from another team) is free
    await t.app.services.routing.setPresence(actor, member.userId, { presence: 'away', reason: 'lunch' })
    await t.app.services.routing.setPresence(actor, standby.userId, { presence: 'available' })

    const flow = await call('POST', '/api/v1/flows/import', { flow: exampleFlow, publish: true })
    flowId = flow.id
    for (const topic of ['alert.raised', 'alert.cleared'])
      await call('POST', `/api/v1/flows/${flowId}/triggers`, { kind: 'event', config: { topic } })
    // more than one waiting (two or more) in After-sales
    await call('PUT', '/api/v1/stats/alert-rules', { rules: [{ metric: 'waiting', queueId, threshold: 1 }] })

    unsubscribe = await t.app.infra.bus.subscribe('conversation.assigned', (event) => {
      assigned.push(event as (typeof assigned)[number])
    })
    // the router follows queue changes as on a running server
    await t.app.services.routing.start()
  }, 60_000)

  afterAll(async () => {
    await unsubscribe?.()
    await t?.app.services.routing.stop()
    await t?.close()
  })

  it('switches overflow on when the line is long, the standby agent serves it, and off when it is empty', async () => {
    const contactId = (await t.app.services.contacts.create({ name: '李女士' })).id
    const waiting = await Promise.all(
      [0, 1].map(() =>
        t.app.db.conversation.create({
          data: { contactId, channel: 'webchat', status: 'queued', queueId, queuedAt: new Date() },
        }),
      ),
    )
    // without overflow, nobody may take them: the member is away, the standby agent may not yet
    expect(await t.app.services.routing.assign()).toBe(0)

    const first = await t.app.services.stats.alerts.evaluate()
    expect(first.raised).toEqual([expect.objectContaining({ metric: 'waiting', queueName: 'After-sales', value: 2 })])

    // the flow ran on alert.raised and switched overflow on: 0 s, at once
    expect(await until(overflowNow, (v) => v === 0)).toBe(0)
    // the router planned again on queue.updated: the standby agent has both, as overflow
    const served = await until(
      async () => assigned.filter((a) => waiting.some((w) => w.id === a.conversationId)),
      (list) => list.length === 2,
    )
    expect(served.map((a) => ({ assigneeId: a.assigneeId, reason: a.reason }))).toEqual([
      { assigneeId: standby.userId, reason: 'overflow' },
      { assigneeId: standby.userId, reason: 'overflow' },
    ])
    const change = await t.app.db.auditEvent.findFirstOrThrow({ where: { action: 'queue.update', targetId: queueId } })
    expect(change).toMatchObject({
      actorUserId: null,
      actorEmail: `flow: ${exampleFlow.name}`,
      details: { overflowAfterSeconds: 0 },
    })

    // the line is empty: the alert clears and the flow puts the queue back to no overflow
    const second = await t.app.services.stats.alerts.evaluate()
    expect(second.cleared).toEqual([expect.objectContaining({ metric: 'waiting', queueId })])
    expect(await until(overflowNow, (v) => v === null)).toBeNull()
    const runs = await until(
      () => t.app.db.flowRun.findMany({ where: { flowId }, orderBy: { startedAt: 'asc' } }),
      (list) => list.length === 2 && list.every((r) => r.status === 'completed'),
    )
    expect(runs.map((r) => [r.status, (r.variables as { overflow?: string }).overflow])).toEqual([
      ['completed', 'on'],
      ['completed', 'off'],
    ])
    const changes = await t.app.db.auditEvent.findMany({
      where: { action: 'queue.update', targetId: queueId },
      orderBy: { at: 'asc' },
    })
    expect(changes.map((c) => c.details)).toEqual([{ overflowAfterSeconds: 0 }, { overflowAfterSeconds: null }])
  })

  it('a flow naming an unknown standby agent fails its run and changes nothing', async () => {
    const document = {
      schemaVersion: 1,
      nodes: [
        { id: 'start', type: 'start', config: {} },
        {
          id: 'pool',
          type: 'update-queue',
          config: { queue: 'After-sales', priority: 50, addStandby: ['nobody@shop.example'] },
        },
      ],
      edges: [{ from: 'start', port: 'next', to: 'pool' }],
    }
    const flow = await call('POST', '/api/v1/flows/import', {
      flow: { name: 'Bad pool', kind: 'routing', document },
      publish: true,
    })
    const run = await t.app.services.flowRuntime.engine.start({ flow: flow.id })
    expect(run.status).toBe('failed')
    expect(run.error).toMatch(/nobody@shop\.example/)
    expect((await t.app.db.queue.findUniqueOrThrow({ where: { id: queueId } })).priority).toBe(0)
  })
})
