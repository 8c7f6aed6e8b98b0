import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, openRealtimeSocket, type RealtimeSocket } from '../support/realtime-socket.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The `/tickets` socket path: ticket lists follow changes live. Each person hears of the tickets
 * they may see (the same rule as the list) — and of one escalated away from them, so it leaves
 * their list — and of nothing else.
 */
describe('ticket changes on the /tickets socket', () => {
  let t: TestApp
  const sockets: RealtimeSocket[] = []

  const call = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await t.app.server.inject({ method, url, headers: bearer(token), payload: payload as object })
    expect(res.statusCode, `${method} ${url}: ${res.payload}`).toBeLessThan(300)
    return JSON.parse(res.payload || 'null')
  }
  const listen = async (token: string) => {
    const socket = await openRealtimeSocket(t, token)
    await socket.subscribe('/tickets')
    sockets.push(socket)
    return socket
  }
  const ticketEvents = (socket: RealtimeSocket, ticketId: number) =>
    socket.events('/tickets').filter((e) => e.message.ticketId === ticketId)

  beforeAll(async () => {
    t = await createTestApp({ PORT: '0', HOST: '127.0.0.1' })
    await t.app.server.start()
  }, 60_000)
  afterAll(async () => {
    for (const socket of sockets) await socket.close().catch(() => undefined)
    await t?.close()
  })

  it('tells the team and its supervisor of a team ticket, not another team; an escalation moves it between them', async () => {
    const admin = (await t.tokenFor('admin')).token
    const l1 = await t.tokenFor('agent')
    const l2 = await t.tokenFor('agent')
    const outsider = await t.tokenFor('agent')
    const l1Lead = await t.tokenFor('supervisor')
    const returns = await call(admin, 'POST', '/api/v1/teams', { name: 'Returns L1' })
    const experts = await call(admin, 'POST', '/api/v1/teams', { name: 'Returns L2' })
    const billing = await call(admin, 'POST', '/api/v1/teams', { name: 'Billing' })
    for (const [teamId, userId] of [
      [returns.id, l1.userId],
      [returns.id, l1Lead.userId],
      [experts.id, l2.userId],
      [billing.id, outsider.userId],
    ])
      await call(admin, 'PUT', `/api/v1/teams/${teamId}/members/${userId}`)
    const [l1Socket, l2Socket, outsiderSocket, leadSocket, adminSocket] = await Promise.all([
      listen(l1.token),
      listen(l2.token),
      listen(outsider.token),
      listen(l1Lead.token),
      listen(admin),
    ])

    const ticket = await call(l1.token, 'POST', '/api/v1/tickets', { subject: '退货没有收到退款', teamId: returns.id })
    for (const socket of [l1Socket, leadSocket, adminSocket])
      await eventually('the new ticket on a socket that may see it', () =>
        ticketEvents(socket, ticket.id).find((e) => e.message.topic === 'ticket.created'),
      )
    const created = ticketEvents(l1Socket, ticket.id)[0]!.message
    expect(created).toMatchObject({ type: 'ticket', ticketId: ticket.id, status: 'open', teamId: returns.id })

    // escalated to L2: the L2 agent hears of it now, and so does L1 (it leaves their list)
    await call(l1.token, 'POST', `/api/v1/tickets/${ticket.id}/escalate`, {
      tier: 'L2',
      teamId: experts.id,
      reason: '需要二线处理',
    })
    await eventually('the escalation on the L2 agent’s socket', () =>
      ticketEvents(l2Socket, ticket.id).find((e) => e.message.topic === 'ticket.escalated'),
    )
    await eventually('the escalation on the L1 agent’s socket', () =>
      ticketEvents(l1Socket, ticket.id).find((e) => e.message.topic === 'ticket.escalated'),
    )
    expect(ticketEvents(l2Socket, ticket.id).map((e) => e.message.topic)).not.toContain('ticket.created')

    // a later change in L2 no longer concerns L1's agent
    await call(l2.token, 'PATCH', `/api/v1/tickets/${ticket.id}`, {
      priority: 'high',
      version: (await call(l2.token, 'GET', `/api/v1/tickets/${ticket.id}`)).version,
    })
    await eventually('the change on the L2 agent’s socket', () =>
      ticketEvents(l2Socket, ticket.id).find((e) => e.message.topic === 'ticket.updated'),
    )
    await sleep(200)
    expect(ticketEvents(l1Socket, ticket.id).map((e) => e.message.topic)).not.toContain('ticket.updated')
    // the other team's agent heard nothing of it at all
    expect(ticketEvents(outsiderSocket, ticket.id)).toEqual([])
  })
})
