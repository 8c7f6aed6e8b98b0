import Nes from '@hapi/nes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until<T>(what: string, find: () => T | undefined | false, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const found = find()
    if (found) return found
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

interface Editor {
  key: string
  userId: string
  name: string
  email: string
}
type Message = { type: string; editors?: Editor[]; rev?: number; by?: { email: string }; flowId?: string }

const greeter = (greeting: string) => ({
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
    { id: 'hello', type: 'send-message', config: { text: greeting }, position: { x: 0, y: 120 } },
  ],
  edges: [{ from: 'start', port: 'next', to: 'hello' }],
})

/**
 * Editors' presence on a flow (realtime `/flows/{id}/editors` + GET /api/v1/flows/{id}/editors),
 * the draft-saved notices, the stale save's details (who, when) and rollback with resetDraft.
 */
describe('flow editors: presence, draft-saved notices, stale saves', () => {
  let t: TestApp
  let url: string
  let flowId: string
  const clients: Nes.Client[] = []
  let alice: { token: string; userId: string; email: string }
  let bob: { token: string; userId: string; email: string }

  const call = (token: string, method: string, path: string, payload?: unknown) =>
    t.app.server.inject({ method, url: path, payload: payload as object, headers: bearer(token) })

  async function open(token: string) {
    const ticket = JSON.parse((await t.app.server.inject({ url: '/nes/auth', headers: bearer(token) })).payload) as {
      token: string
    }
    const client = new Nes.Client(url as `ws://${string}`)
    client.onError = () => undefined
    clients.push(client)
    await client.connect({ auth: ticket.token, reconnect: false })
    const inbox: Message[] = []
    return {
      client,
      inbox,
      subscribe: (path: string) => client.subscribe(path, (m) => void inbox.push(m as Message)),
      lastEditors: () => inbox.filter((m) => m.type === 'flow.editors').at(-1)?.editors,
    }
  }

  beforeAll(async () => {
    t = await createTestApp({ PORT: '0', HOST: '127.0.0.1' })
    await t.app.server.start()
    url = `ws://127.0.0.1:${t.app.server.info.port}/realtime`
    alice = await t.tokenFor('admin')
    bob = await t.tokenFor('supervisor')
    const res = await call(alice.token, 'POST', '/api/v1/flows', {
      name: 'Greeter',
      kind: 'bot',
      document: greeter('Hi'),
    })
    expect(res.statusCode, res.payload).toBe(201)
    flowId = JSON.parse(res.payload).id
  }, 60_000)

  afterAll(async () => {
    for (const c of clients) await c.disconnect().catch(() => undefined)
    await t?.close()
  })

  it('both editors see each other; closing a socket is leaving', async () => {
    const a = await open(alice.token)
    await a.subscribe(`/flows/${flowId}/editors`)
    await until('alice sees herself', () => a.lastEditors()?.length === 1)
    const b = await open(bob.token)
    await b.subscribe(`/flows/${flowId}/editors`)
    const both = await until('alice sees bob', () => a.lastEditors()?.length === 2 && a.lastEditors())
    expect(both.map((e) => e.email).sort()).toEqual([alice.email, bob.email].sort())
    expect(both.find((e) => e.email === bob.email)!.key).toBe(b.client.id)
    await until('bob gets the list on subscribe', () => b.lastEditors()?.length === 2)

    const listed = await call(bob.token, 'GET', `/api/v1/flows/${flowId}/editors`)
    expect(listed.statusCode).toBe(200)
    expect((JSON.parse(listed.payload) as Editor[]).map((e) => e.userId).sort()).toEqual(
      [alice.userId, bob.userId].sort(),
    )

    await b.client.disconnect()
    const after = await until('bob left', () => a.lastEditors()?.length === 1 && a.lastEditors())
    expect(after[0]!.email).toBe(alice.email)
    expect(JSON.parse((await call(alice.token, 'GET', `/api/v1/flows/${flowId}/editors`)).payload)).toHaveLength(1)

    await a.client.unsubscribe(`/flows/${flowId}/editors`)
    await sleep(50)
    expect(JSON.parse((await call(alice.token, 'GET', `/api/v1/flows/${flowId}/editors`)).payload)).toEqual([])
  })

  it('refuses agents (403) and unknown flows (404); GET is for supervisors', async () => {
    const agent = await t.tokenFor('agent')
    const s = await open(agent.token)
    const refused = (await s.subscribe(`/flows/${flowId}/editors`).then(
      () => null,
      (e: unknown) => e,
    )) as { statusCode?: number; data?: { code?: string } } | null
    expect(refused?.statusCode).toBe(403)
    expect(refused?.data?.code).toBe('SB_ERR_FORBIDDEN')
    const a = await open(alice.token)
    const missing = (await a.subscribe('/flows/no-such-flow/editors').then(
      () => null,
      (e: unknown) => e,
    )) as { statusCode?: number } | null
    expect(missing?.statusCode).toBe(404)
    expect((await call(agent.token, 'GET', `/api/v1/flows/${flowId}/editors`)).statusCode).toBe(403)
    expect((await call(alice.token, 'GET', '/api/v1/flows/nope/editors')).statusCode).toBe(404)
  })

  it('an editor of a dead instance (no more heartbeats) expires after its TTL', async () => {
    const a = await open(alice.token)
    await a.subscribe(`/flows/${flowId}/editors`)
    await until('alice alone', () => a.lastEditors()?.length === 1)
    // another instance announces an editor, then dies without saying goodbye
    await t.app.infra.bus.publish('flow.editors', {
      op: 'join',
      instance: 'a-dead-instance',
      flowId,
      ttlMs: 400,
      editor: {
        key: 'ghost',
        userId: 'u-ghost',
        name: 'Ghost',
        email: 'ghost@test.local',
        role: 'admin',
        since: new Date().toISOString(),
      },
    })
    await until('the ghost appears', () => a.lastEditors()?.some((e) => e.key === 'ghost'))
    await until(
      'the ghost expires',
      () => a.lastEditors()?.length === 1 && !a.lastEditors()!.some((e) => e.key === 'ghost'),
      5_000,
    )
    // alice's own entry is kept by her instance's heartbeats, not expired
    expect(a.lastEditors()![0]!.email).toBe(alice.email)
    await a.client.disconnect()
  })

  it('a save is told to the editors; a stale save is 409 with who saved and when, and writes nothing', async () => {
    const b = await open(bob.token)
    await b.subscribe(`/flows/${flowId}/editors`)
    const flow = JSON.parse((await call(alice.token, 'GET', `/api/v1/flows/${flowId}`)).payload)
    const saved = await call(alice.token, 'PUT', `/api/v1/flows/${flowId}/draft`, {
      document: greeter('Hello from Alice'),
      baseRev: flow.draftRev,
    })
    expect(saved.statusCode, saved.payload).toBe(200)
    const notice = await until('flow.draft.saved', () => b.inbox.find((m) => m.type === 'flow.draft.saved'))
    expect(notice).toMatchObject({ flowId, rev: flow.draftRev + 1, by: { email: alice.email } })

    const carol = await t.tokenFor('admin')
    const stale = await call(carol.token, 'PUT', `/api/v1/flows/${flowId}/draft`, {
      document: greeter('Carol was here'),
      baseRev: flow.draftRev,
    })
    expect(stale.statusCode).toBe(409)
    const body = JSON.parse(stale.payload)
    expect(body.code).toBe('SB_ERR_FLOW_STALE')
    expect(body.details).toMatchObject({
      currentRev: flow.draftRev + 1,
      yourRev: flow.draftRev,
      savedBy: { userId: alice.userId, email: alice.email },
    })
    expect(Number.isNaN(Date.parse(body.details.savedAt))).toBe(false)
    const now = JSON.parse((await call(alice.token, 'GET', `/api/v1/flows/${flowId}`)).payload)
    expect(now.draft.nodes[1].config.text).toBe('Hello from Alice')
    await b.client.disconnect()
  })

  it('rollback with resetDraft makes the draft the old version (a new revision); without it the draft stays', async () => {
    const v1 = await call(alice.token, 'POST', `/api/v1/flows/${flowId}/publish`, { note: 'v1' })
    expect(v1.statusCode, v1.payload).toBe(201)
    const before = JSON.parse((await call(alice.token, 'GET', `/api/v1/flows/${flowId}`)).payload)
    await call(alice.token, 'PUT', `/api/v1/flows/${flowId}/draft`, {
      document: greeter('Version two'),
      baseRev: before.draftRev,
    })
    expect((await call(alice.token, 'POST', `/api/v1/flows/${flowId}/publish`, {})).statusCode).toBe(201)

    const plain = JSON.parse(
      (await call(alice.token, 'POST', `/api/v1/flows/${flowId}/rollback`, { version: 1 })).payload,
    )
    expect(plain.draftRev).toBeUndefined()
    const untouched = JSON.parse((await call(alice.token, 'GET', `/api/v1/flows/${flowId}`)).payload)
    expect(untouched.draft.nodes[1].config.text).toBe('Version two')

    const res = await call(alice.token, 'POST', `/api/v1/flows/${flowId}/rollback`, { version: 1, resetDraft: true })
    expect(res.statusCode, res.payload).toBe(201)
    const rolled = JSON.parse(res.payload)
    expect(rolled.draftRev).toBe(untouched.draftRev + 1)
    const after = JSON.parse((await call(alice.token, 'GET', `/api/v1/flows/${flowId}`)).payload)
    const old = JSON.parse((await call(alice.token, 'GET', `/api/v1/flows/${flowId}/versions/1`)).payload)
    expect(after.draft).toEqual(old)
    expect(after.draftRev).toBe(rolled.draftRev)
  })
})
