import Nes from '@hapi/nes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { createApp, type App } from '../../core/src/index.js'
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js'
import { appUsesRedis } from '../support/test-env.js'

const actor = systemActor('test')

interface Received {
  path: string
  message: Record<string, unknown>
  revoked: boolean
}

interface TestSocket {
  client: Nes.Client
  inbox: Received[]
  connects: number
  errors: Array<Error & { statusCode?: number }>
  subscribe(path: string): Promise<void>
  close(): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until `find` returns something, for at most `ms`. */
async function until<T>(what: string, find: () => T | undefined | false, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const found = find()
    if (found) return found
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/**
 * The realtime API over real WebSockets: the app listens on 127.0.0.1 (a free port), clients are
 * nes clients with tickets from GET /nes/auth, events come from the services through the bus.
 */
describe('realtime API (nes WebSockets)', () => {
  let t: TestApp
  let url: string
  let queueA: string
  let queueB: string
  let contactId: string
  let agent: { token: string; userId: string; email: string }
  let otherAgent: { token: string; userId: string; email: string }
  const sockets: TestSocket[] = []

  const ticketWith = async (headers: Record<string, string>) => {
    const res = await t.app.server.inject({ url: '/nes/auth', headers })
    expect(res.statusCode, res.payload).toBe(200)
    return (JSON.parse(res.payload) as { token: string }).token
  }

  async function connect(ticket: string | undefined, serverUrl = url): Promise<TestSocket> {
    const client = new Nes.Client(serverUrl as `ws://${string}`)
    const socket: TestSocket = {
      client,
      inbox: [],
      connects: 0,
      errors: [],
      async subscribe(path) {
        await client.subscribe(path, (message, flags) =>
          socket.inbox.push({ path, message: message as Record<string, unknown>, revoked: Boolean(flags?.revoked) }),
        )
      },
      close: () => client.disconnect(),
    }
    client.onError = (error) => socket.errors.push(error)
    client.onConnect = () => socket.connects++
    sockets.push(socket)
    await client.connect({ auth: ticket, delay: 100, maxDelay: 200 })
    return socket
  }

  const events = (socket: TestSocket, path: string, type?: string) =>
    socket.inbox.filter((r) => r.path === path && (!type || r.message.type === type))

  const queueConversation = async (queueId: string) =>
    t.app.db.conversation.create({
      data: { contactId, channel: 'webchat', status: 'queued', queueId, queuedAt: new Date(), version: 1 },
    })

  beforeAll(async () => {
    t = await createTestApp({ PORT: '0', HOST: '127.0.0.1' })
    await t.app.server.start()
    url = `ws://127.0.0.1:${t.app.server.info.port}/realtime`
    agent = await t.tokenFor('agent')
    otherAgent = await t.tokenFor('agent')
    queueA = (await t.app.db.queue.create({ data: { name: 'Orders' } })).id
    queueB = (await t.app.db.queue.create({ data: { name: 'Returns' } })).id
    await t.app.db.queueMember.create({ data: { queueId: queueA, userId: agent.userId } })
    await t.app.db.queueMember.create({ data: { queueId: queueB, userId: otherAgent.userId } })
    contactId = (await t.app.services.contacts.create({ name: '张女士' })).id
  }, 60_000)

  afterAll(async () => {
    for (const socket of sockets) await socket.close().catch(() => undefined)
    await t?.close()
  })

  it('an agent with a bearer token gets conversation.assigned on /conversations/mine and the thread on /conversations/{id}', async () => {
    const socket = await connect(await ticketWith(bearer(agent.token)))
    await socket.subscribe('/conversations/mine')
    await socket.subscribe(`/queues/${queueA}`)
    await t.app.services.routing.setPresence(actor, agent.userId, { presence: 'available' })
    const conversation = await queueConversation(queueA)
    expect(await t.app.services.routing.assign()).toBe(1)

    const assigned = await until(
      'conversation.assigned on /conversations/mine',
      () => events(socket, '/conversations/mine', 'conversation.assigned')[0],
    )
    expect(assigned.message).toMatchObject({
      type: 'conversation.assigned',
      conversationId: conversation.id,
      status: 'assigned',
      queueId: queueA,
      assigneeId: agent.userId,
      version: 2,
    })
    // the queue's followers see it leave the line
    await until(
      'conversation.assigned on the queue',
      () => events(socket, `/queues/${queueA}`, 'conversation.assigned')[0],
    )

    const thread = `/conversations/${conversation.id}`
    await socket.subscribe(thread)
    for (const text of ['您好，我来帮您查订单', '请稍等']) {
      const res = await t.app.server.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversation.id}/messages`,
        headers: bearer(agent.token),
        payload: { text, internal: true },
      })
      expect(res.statusCode, res.payload).toBe(201)
    }
    const messages = await until('two messages on the thread', () => {
      const found = events(socket, thread, 'conversation.message.created')
      return found.length >= 2 && found
    })
    expect(messages[0]!.message).toMatchObject({
      conversationId: conversation.id,
      assigneeId: agent.userId,
      seq: 1,
      direction: 'internal',
      by: 'agent',
    })
    expect(typeof messages[0]!.message.messageId).toBe('string')
    // versions increase with every change, in the order the socket receives them
    const versions = events(socket, thread).map((r) => r.message.version as number)
    expect(versions).toEqual([3, 4])
    // nothing is published twice to one socket: one event per message on each path
    await sleep(300)
    expect(events(socket, thread)).toHaveLength(2)
    expect(events(socket, '/conversations/mine', 'conversation.message.created')).toHaveLength(2)
    expect(events(socket, `/queues/${queueA}`, 'conversation.message.created')).toHaveLength(2)

    // typing is ephemeral: on the thread only, without a version, each time
    for (let i = 0; i < 2; i++)
      await t.app.infra.bus.publish('conversation.typing', { conversationId: conversation.id, from: 'visitor' })
    const typing = await until('two typing events', () => {
      const found = events(socket, thread, 'conversation.typing')
      return found.length >= 2 && found
    })
    expect(typing[0]!.message).toEqual({
      type: 'conversation.typing',
      conversationId: conversation.id,
      from: 'visitor',
    })
    expect(typing.some((r) => r.revoked)).toBe(false)
    expect(events(socket, '/conversations/mine', 'conversation.typing')).toHaveLength(0)
  })

  it("refuses an agent another queue's path, other agents' conversations and the supervisor paths", async () => {
    const socket = await connect(await ticketWith(bearer(agent.token)))
    const elsewhere = await queueConversation(queueB)
    const refusal = async (path: string) => {
      const error = (await socket.subscribe(path).then(
        () => null,
        (e: unknown) => e,
      )) as (Error & { statusCode?: number; data?: { code?: string } }) | null
      expect(error, path).not.toBeNull()
      return { status: error!.statusCode, code: error!.data?.code, message: error!.message }
    }
    expect(await refusal(`/queues/${queueB}`)).toMatchObject({ status: 403, code: 'SB_ERR_FORBIDDEN' })
    expect((await refusal(`/queues/${queueB}`)).message).toMatch(/not a member of queue/)
    expect(await refusal(`/conversations/${elsewhere.id}`)).toMatchObject({ status: 403, code: 'SB_ERR_FORBIDDEN' })
    const agents = await refusal('/agents')
    expect(agents).toMatchObject({ status: 403, code: 'SB_ERR_FORBIDDEN' })
    expect(agents.message).toMatch(/needs the role supervisor/)
    expect(await refusal('/queues')).toMatchObject({ status: 403 })
    expect(await refusal('/queues/no-such-queue')).toMatchObject({ status: 404, code: 'SB_ERR_NOT_FOUND' })
    expect(await refusal('/nowhere')).toMatchObject({ status: 404 })
    // the refusals did not cost the socket: what it may follow still works
    await socket.subscribe(`/queues/${queueA}`)
    expect(socket.client.subscriptions()).toEqual([`/queues/${queueA}`])
  })

  it('a supervisor signed in with the session cookie gets agent.presence on /agents and queue stats on /queues', async () => {
    const { email } = await t.tokenFor('supervisor')
    const login = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: TEST_PASSWORD },
    })
    const cookie = String(login.headers['set-cookie']).split(';')[0]!
    const socket = await connect(await ticketWith({ cookie }))
    await socket.subscribe('/agents')
    await socket.subscribe('/queues')
    await socket.subscribe(`/queues/${queueB}`)
    // a new /queues subscriber gets the stats of every queue at once
    await until('the queue stats snapshot', () => events(socket, '/queues', 'queue.stats').length >= 2)
    expect(events(socket, '/queues').map((r) => r.message.queueId)).toEqual(expect.arrayContaining([queueA, queueB]))

    const res = await t.app.server.inject({
      method: 'PUT',
      url: '/api/v1/agents/me/presence',
      headers: bearer(otherAgent.token),
      payload: { presence: 'away', reason: 'lunch' },
    })
    expect(res.statusCode, res.payload).toBe(204)
    const presence = await until('agent.presence', () => events(socket, '/agents', 'agent.presence')[0])
    expect(presence.message).toMatchObject({
      type: 'agent.presence',
      userId: otherAgent.userId,
      presence: 'away',
      reason: 'lunch',
    })

    // the bot's hand-off announces a queued conversation without its version: the relay adds it
    const handedOff = await t.app.db.conversation.create({
      data: { contactId, channel: 'webchat', status: 'bot', version: 4 },
    })
    await t.app.db.conversation.update({
      where: { id: handedOff.id },
      data: { status: 'queued', queueId: queueB, queuedAt: new Date(), version: { increment: 1 } },
    })
    const before = events(socket, '/queues', 'queue.stats').length
    await t.app.infra.bus.publish('conversation.queued', {
      conversationId: handedOff.id,
      queueId: queueB,
      queue: 'Returns',
    })
    const queued = await until('conversation.queued on the queue', () =>
      events(socket, `/queues/${queueB}`, 'conversation.queued').find((r) => r.message.conversationId === handedOff.id),
    )
    expect(queued.message).toEqual({
      type: 'conversation.queued',
      conversationId: handedOff.id,
      version: 5,
      status: 'queued',
      queueId: queueB,
      assigneeId: null,
    })
    const stats = await until('queue.stats after the hand-off', () =>
      events(socket, '/queues', 'queue.stats')
        .slice(before)
        .find((r) => r.message.queueId === queueB),
    )
    expect(stats.message).toMatchObject({ type: 'queue.stats', queueId: queueB, waiting: 2 })
    expect(stats.message.longestWaitMs).toBeGreaterThanOrEqual(0)

    // a supervisor hands it to an agent: the agent's load follows
    const transfer = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${handedOff.id}/transfer`,
      headers: { cookie },
      payload: { agentId: otherAgent.userId },
    })
    expect(transfer.statusCode, transfer.payload).toBe(204)
    const load = await until('agent.load', () =>
      events(socket, '/agents', 'agent.load').find((r) => r.message.userId === otherAgent.userId),
    )
    expect(load.message.load).toEqual({ chat: 1 })
  })

  it('refuses sockets without a valid ticket, and sockets whose sign-in has ended', async () => {
    const anonymous = await t.app.server.inject({ url: '/nes/auth' })
    expect(anonymous.statusCode).toBe(401)
    expect(JSON.parse(anonymous.payload).code).toBe('SB_ERR_UNAUTHENTICATED')

    const refused = async (ticket: string | undefined) =>
      (await connect(ticket).then(
        () => null,
        (e: unknown) => e,
      )) as (Error & { statusCode?: number }) | null
    expect(await refused(undefined)).toMatchObject({ statusCode: 401 })
    expect(await refused('not-a-ticket')).toMatchObject({ statusCode: 401 })

    // a ticket stands for its login: after logout it opens nothing
    const login = await t.login(agent.email, TEST_PASSWORD)
    const ticket = await ticketWith(bearer(login))
    await t.app.server.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(login) })
    const afterLogout = await refused(ticket)
    expect(afterLogout).toMatchObject({ statusCode: 401 })
    expect(afterLogout!.message).toMatch(/ticket has ended/)

    // revoking an API token drops its open socket, and the reconnection is refused
    const apiToken = await t.app.services.auth.createApiToken(agent.userId, { name: 'realtime test' })
    const socket = await connect(await ticketWith(bearer(apiToken.token)))
    await socket.subscribe('/conversations/mine')
    await t.app.services.auth.revokeApiToken(agent.userId, apiToken.id)
    await until('the refused reconnection', () => socket.errors.find((e) => e.statusCode === 401))
    expect(socket.connects).toBe(1)
  })

  it('a client that lost its connection reconnects, resubscribes and gets later events', async () => {
    const [mine] = await t.app.db.conversation.findMany({ where: { assigneeId: agent.userId, status: 'assigned' } })
    const socket = await connect(await ticketWith(bearer(agent.token)))
    const thread = `/conversations/${mine!.id}`
    await socket.subscribe(thread)
    const socketId = socket.client.id
    await new Promise<void>((resolve) => {
      t.app.server.eachSocket((s) => {
        if (s.id === socketId) void s.disconnect()
      })
      resolve()
    })
    await until('the reconnection', () => socket.connects === 2 && socket.client.id !== socketId)
    expect(socket.client.subscriptions()).toEqual([thread])
    const res = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${mine!.id}/messages`,
      headers: bearer(agent.token),
      payload: { text: '还在吗？', internal: true },
    })
    expect(res.statusCode, res.payload).toBe(201)
    const later = await until(
      'a message after the reconnection',
      () => events(socket, thread, 'conversation.message.created')[0],
    )
    expect(later.message.version).toBeGreaterThan(mine!.version)
  })

  it('a conversation moved out of reach reaches the agent once more, as the revocation of its thread', async () => {
    const [mine] = await t.app.db.conversation.findMany({ where: { assigneeId: agent.userId, status: 'assigned' } })
    const socket = await connect(await ticketWith(bearer(agent.token)))
    const thread = `/conversations/${mine!.id}`
    await socket.subscribe('/conversations/mine')
    await socket.subscribe(thread)
    await socket.subscribe(`/queues/${queueA}`)
    const res = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${mine!.id}/transfer`,
      headers: bearer(agent.token),
      payload: { queueId: queueB },
    })
    expect(res.statusCode, res.payload).toBe(204)
    const last = await until('the revocation', () => events(socket, thread).find((r) => r.revoked))
    expect(last.message).toMatchObject({ type: 'conversation.queued', queueId: queueB, assigneeId: null })
    expect(socket.client.subscriptions()).not.toContain(thread)
    // "mine" and the old queue hear that it left, though the event names where it went
    await until('the move on /conversations/mine', () =>
      events(socket, '/conversations/mine', 'conversation.queued').find((r) => r.message.conversationId === mine!.id),
    )
    await until('the move on the old queue', () =>
      events(socket, `/queues/${queueA}`, 'conversation.queued').find((r) => r.message.conversationId === mine!.id),
    )
  })

  it.runIf(appUsesRedis)('with Redis, a socket on another instance gets what happens on this one, once', async () => {
    const second: App = await createApp(t.config)
    try {
      await second.server.start()
      const socket = await connect(
        await ticketWith(bearer(agent.token)),
        `ws://127.0.0.1:${second.server.info.port}/realtime`,
      )
      await socket.subscribe('/agents').catch(() => undefined)
      await socket.subscribe('/conversations/mine')
      const conversation = await queueConversation(queueA)
      await t.app.services.routing.setPresence(actor, agent.userId, { presence: 'available' })
      expect(await t.app.services.routing.assign()).toBeGreaterThanOrEqual(1)
      await until('the assignment made on the first instance', () =>
        events(socket, '/conversations/mine', 'conversation.assigned').find(
          (r) => r.message.conversationId === conversation.id,
        ),
      )
      await sleep(300)
      expect(
        events(socket, '/conversations/mine').filter((r) => r.message.conversationId === conversation.id),
      ).toHaveLength(1)
    } finally {
      await second.stop()
    }
  })
})
