import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { eventually, openRealtimeSocket, type RealtimeSocket } from '../support/realtime-socket.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

type User = { token: string; userId: string }

/**
 * Supervisors see their teams: the queues of their teams and the queues without a team, the
 * agents who share a team with them, and the conversations there — over WebSockets and in the
 * REST lists. Admins, and supervisors in no team, see everything.
 */
describe('supervisors scoped to their teams', () => {
  let t: TestApp
  let admin: User
  let north: { supervisor: User; agent: User; teamId: string; queueId: string }
  let south: { supervisor: User; agent: User; teamId: string; queueId: string }
  let unteamed: User
  let sharedQueueId: string
  let contactId: string
  const sockets: RealtimeSocket[] = []

  const call = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await t.app.server.inject({ method, url, headers: bearer(token), payload: payload as object })
    return { status: res.statusCode, body: res.payload ? JSON.parse(res.payload) : undefined }
  }
  const socketOf = async (user: User) => {
    const socket = await openRealtimeSocket(t, user.token)
    sockets.push(socket)
    return socket
  }
  const queued = (queueId: string) =>
    t.app.db.conversation.create({
      data: { contactId, channel: 'webchat', status: 'queued', queueId, queuedAt: new Date(), version: 1 },
    })
  const team = async (name: string) => {
    const supervisor = await t.tokenFor('supervisor')
    const agent = await t.tokenFor('agent')
    const created = await call(admin.token, 'POST', '/api/v1/teams', { name })
    for (const user of [supervisor, agent])
      await call(admin.token, 'PUT', `/api/v1/teams/${created.body.id}/members/${user.userId}`)
    const queue = await call(admin.token, 'POST', '/api/v1/queues', { name: `${name} queue`, teamId: created.body.id })
    expect(queue.status, JSON.stringify(queue.body)).toBe(201)
    return { supervisor, agent, teamId: created.body.id as string, queueId: queue.body.id as string }
  }
  /** Whether a subscription becomes allowed within `ms` (the scope caches keep their entries 10 s unless told). */
  const allowedWithin = async (ms: number, attempt: () => Promise<unknown>) => {
    const deadline = Date.now() + ms
    for (;;) {
      if ((await attempt()) === null) return true
      if (Date.now() > deadline) return false
      await sleep(50)
    }
  }
  const presence = (user: User, value: string) =>
    t.app.services.routing.setPresence(actor, user.userId, { presence: value as 'available' })

  beforeAll(async () => {
    t = await createTestApp({ PORT: '0', HOST: '127.0.0.1' })
    await t.app.server.start()
    admin = await t.tokenFor('admin')
    north = await team('North')
    south = await team('South')
    unteamed = await t.tokenFor('supervisor')
    sharedQueueId = (await call(admin.token, 'POST', '/api/v1/queues', { name: 'Shared' })).body.id
    // an admin in a team still sees everything
    await call(admin.token, 'PUT', `/api/v1/teams/${south.teamId}/members/${admin.userId}`)
    contactId = (await t.app.services.contacts.create({ name: '孙先生' })).id
    for (const user of [north.supervisor, north.agent, south.supervisor, south.agent, unteamed])
      await presence(user, 'away')
  }, 60_000)
  afterAll(async () => {
    for (const socket of sockets) await socket.close().catch(() => undefined)
    await t?.close()
  })

  it("refuses a supervisor another team's queue and its conversations; allows their own and the shared ones", async () => {
    const socket = await socketOf(north.supervisor)
    const refused = await socket.refusal(`/queues/${south.queueId}`)
    expect(refused).toMatchObject({ status: 403, code: 'SB_ERR_FORBIDDEN' })
    expect(refused!.message).toMatch(/belongs to a team you are not in/)
    const elsewhere = await queued(south.queueId)
    expect(await socket.refusal(`/conversations/${elsewhere.id}`)).toMatchObject({ status: 403 })
    for (const path of [`/queues/${north.queueId}`, `/queues/${sharedQueueId}`])
      expect(await socket.refusal(path)).toBeNull()
    const mine = await queued(north.queueId)
    expect(await socket.refusal(`/conversations/${mine.id}`)).toBeNull()

    for (const who of [unteamed, admin]) {
      const other = await socketOf(who)
      expect(await other.refusal(`/queues/${south.queueId}`)).toBeNull()
      expect(await other.refusal(`/conversations/${elsewhere.id}`)).toBeNull()
    }
  })

  it('sends each supervisor the queue stats and agent events of their teams only', async () => {
    const northern = await socketOf(north.supervisor)
    const everyone = await socketOf(unteamed)
    for (const socket of [northern, everyone]) {
      await socket.subscribe('/queues')
      await socket.subscribe('/agents')
    }
    const snapshot = (socket: RealtimeSocket) => socket.events('/queues', 'queue.stats').map((e) => e.message.queueId)
    await eventually('the full snapshot', () => snapshot(everyone).length >= 3)
    await eventually('the northern snapshot', () => snapshot(northern).length >= 2)
    await sleep(100)
    expect(snapshot(everyone)).toEqual(expect.arrayContaining([north.queueId, south.queueId, sharedQueueId]))
    expect(new Set(snapshot(northern))).toEqual(new Set([north.queueId, sharedQueueId]))

    // the South agent changes first, the North agent last: once the last arrives, the first would have
    await presence(south.agent, 'available')
    await presence(north.agent, 'available')
    const agentsSeen = (socket: RealtimeSocket) =>
      socket.events('/agents', 'agent.presence').map((e) => e.message.userId)
    await eventually('both presences for the unteamed supervisor', () => agentsSeen(everyone).length >= 2)
    await eventually('the North presence', () => agentsSeen(northern).includes(north.agent.userId))
    expect(agentsSeen(northern)).toEqual([north.agent.userId])
    expect(agentsSeen(everyone)).toEqual([south.agent.userId, north.agent.userId])

    const before = northern.events('/queues').length
    const southConversation = await queued(south.queueId)
    await t.app.infra.bus.publish('conversation.queued', {
      conversationId: southConversation.id,
      queueId: south.queueId,
    })
    const northConversation = await queued(north.queueId)
    await t.app.infra.bus.publish('conversation.queued', {
      conversationId: northConversation.id,
      queueId: north.queueId,
    })
    await eventually('the North stats', () =>
      northern
        .events('/queues')
        .slice(before)
        .find((e) => e.message.queueId === north.queueId),
    )
    await eventually('the South stats for the unteamed supervisor', () =>
      everyone.events('/queues').find((e) => e.message.queueId === south.queueId && (e.message.waiting as number) >= 2),
    )
    expect(northern.events('/queues').filter((e) => e.message.queueId === south.queueId)).toEqual([])
  })

  it("a conversation that moves to another team's queue reaches the supervisor once more, as the revocation", async () => {
    const conversation = await queued(north.queueId)
    const socket = await socketOf(north.supervisor)
    const thread = `/conversations/${conversation.id}`
    await socket.subscribe(thread)
    const moved = await call(admin.token, 'POST', `/api/v1/conversations/${conversation.id}/transfer`, {
      queueId: south.queueId,
    })
    expect(moved.status).toBe(204)
    const last = await eventually('the revocation', () => socket.events(thread).find((e) => e.revoked))
    expect(last.message).toMatchObject({ type: 'conversation.queued', queueId: south.queueId })
    expect(socket.client.subscriptions()).not.toContain(thread)
  })

  it('follows changes of teams and queues at once', async () => {
    const socket = await socketOf(north.supervisor)
    const path = `/queues/${south.queueId}`
    expect(await socket.refusal(path)).toMatchObject({ status: 403 })
    // the South queue is given to North: allowed now, without waiting for a cache to expire
    await call(admin.token, 'PATCH', `/api/v1/queues/${south.queueId}`, { teamId: north.teamId })
    expect(await allowedWithin(2_000, () => socket.refusal(path))).toBe(true)
    await call(admin.token, 'PATCH', `/api/v1/queues/${south.queueId}`, { teamId: south.teamId })

    // joining South makes its agents visible on /agents
    await socket.subscribe('/agents')
    await call(admin.token, 'PUT', `/api/v1/teams/${south.teamId}/members/${north.supervisor.userId}`)
    await sleep(100)
    await presence(south.agent, 'busy')
    await eventually('the South agent after joining the team', () =>
      socket.events('/agents', 'agent.presence').find((e) => e.message.userId === south.agent.userId),
    )
    await call(admin.token, 'DELETE', `/api/v1/teams/${south.teamId}/members/${north.supervisor.userId}`)
  })

  it('scopes the REST lists of queues, waiting conversations and agents the same way', async () => {
    const names = async (user: User) =>
      ((await call(user.token, 'GET', '/api/v1/queues')).body as Array<{ name: string }>).map((q) => q.name).sort()
    expect(await names(north.supervisor)).toEqual(['North queue', 'Shared'])
    expect(await names(north.agent)).toEqual(['North queue', 'Shared'])
    expect(await names(unteamed)).toEqual(['North queue', 'Shared', 'South queue'])
    expect(await names(admin)).toEqual(['North queue', 'Shared', 'South queue'])
    expect((await call(north.supervisor.token, 'GET', `/api/v1/queues/${south.queueId}`)).status).toBe(403)
    // a queue one works in is seen whatever its team
    await call(admin.token, 'PUT', `/api/v1/queues/${south.queueId}/members/${north.agent.userId}`, { standby: true })
    expect(await names(north.agent)).toEqual(['North queue', 'Shared', 'South queue'])
    await call(admin.token, 'DELETE', `/api/v1/queues/${south.queueId}/members/${north.agent.userId}`)

    const waitingQueues = async (user: User) =>
      new Set(
        ((await call(user.token, 'GET', '/api/v1/queues/waiting')).body as Array<{ queueId: string }>).map(
          (w) => w.queueId,
        ),
      )
    expect(await waitingQueues(north.supervisor)).toEqual(new Set([north.queueId]))
    expect(await waitingQueues(unteamed)).toEqual(new Set([north.queueId, south.queueId]))

    const agents = async (user: User) =>
      ((await call(user.token, 'GET', '/api/v1/agents')).body as Array<{ userId: string }>).map((a) => a.userId).sort()
    expect(await agents(north.supervisor)).toEqual([north.agent.userId, north.supervisor.userId].sort())
    expect(await agents(unteamed)).toEqual(
      expect.arrayContaining([north.agent.userId, south.agent.userId, south.supervisor.userId]),
    )
    expect(await agents(admin)).toEqual(expect.arrayContaining([north.agent.userId, south.agent.userId]))
    expect((await call(north.supervisor.token, 'GET', `/api/v1/agents/${south.agent.userId}/skills`)).status).toBe(403)
    expect((await call(north.supervisor.token, 'GET', `/api/v1/agents/${north.agent.userId}/skills`)).status).toBe(200)
  })
})
