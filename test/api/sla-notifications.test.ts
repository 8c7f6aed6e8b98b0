import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/src/infra/index.js'
import { eventually, openRealtimeSocket, type RealtimeSocket } from '../support/realtime-socket.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const T0 = '2026-03-02T10:00:00.000Z'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * An SLA warning reaches the people it concerns over real WebSockets (`/notifications`): the
 * ticket's assignee and the supervisors of its team, not another agent nor another team's supervisor.
 * The app listens on a free port and runs its jobs by a manual clock.
 */
describe('SLA warnings on the /notifications socket', () => {
  const clock = createManualClock(T0)
  let t: TestApp
  const sockets: RealtimeSocket[] = []
  let ticketId: number

  const call = async (token: string, method: string, url: string, payload?: unknown) => {
    const res = await t.app.server.inject({ method, url, headers: bearer(token), payload: payload as object })
    expect(res.statusCode, `${method} ${url}: ${res.payload}`).toBeLessThan(300)
    return JSON.parse(res.payload || 'null')
  }
  const listen = async (token: string) => {
    const socket = await openRealtimeSocket(t, token)
    await socket.subscribe('/notifications')
    sockets.push(socket)
    return socket
  }

  beforeAll(async () => {
    t = await createTestApp({ PORT: '0', HOST: '127.0.0.1' }, { clock })
    await t.app.server.start()
  }, 60_000)
  afterAll(async () => {
    for (const socket of sockets) await socket.close().catch(() => undefined)
    await t?.close()
  })

  it('tells the assignee and their team’s supervisor, nobody else', async () => {
    const admin = (await t.tokenFor('admin')).token
    const assignee = await t.tokenFor('agent')
    const otherAgent = await t.tokenFor('agent')
    const teamSupervisor = await t.tokenFor('supervisor')
    const otherSupervisor = await t.tokenFor('supervisor')
    const team = await call(admin, 'POST', '/api/v1/teams', { name: 'Returns' })
    const otherTeam = await call(admin, 'POST', '/api/v1/teams', { name: 'Billing' })
    for (const [teamId, userId] of [
      [team.id, assignee.userId],
      [team.id, teamSupervisor.userId],
      [otherTeam.id, otherSupervisor.userId],
    ])
      await call(admin, 'PUT', `/api/v1/teams/${teamId}/members/${userId}`)
    await call(admin, 'POST', '/api/v1/sla/policies', {
      name: 'Around the clock',
      targets: { firstResponse: 30 },
      warnBeforeMinutes: 10,
    })
    const [mine, others, supervisorOfTeam, supervisorElsewhere] = await Promise.all([
      listen(assignee.token),
      listen(otherAgent.token),
      listen(teamSupervisor.token),
      listen(otherSupervisor.token),
    ])
    ticketId = (
      await call(assignee.token, 'POST', '/api/v1/tickets', {
        subject: '快递显示已签收但没收到',
        teamId: team.id,
        assigneeId: assignee.userId,
      })
    ).id

    // 20 minutes later the warning is due (30 − 10): the scheduler wakes when the clock jumps
    clock.advance(19 * 60_000)
    await sleep(300)
    expect(mine.events('/notifications').filter((e) => e.message.kind === 'sla.warning')).toEqual([])
    clock.advance(60_000)
    const warning = await eventually('the warning on the assignee’s socket', () =>
      mine.events('/notifications', 'notification').find((e) => e.message.kind === 'sla.warning'),
    )
    expect(warning.message).toMatchObject({
      type: 'notification',
      kind: 'sla.warning',
      link: `/tickets/${ticketId}`,
      title: { en: `SLA warning: first response on ticket #${ticketId} is due soon` },
      data: { metric: 'first_response', ticketId, policy: { name: 'Around the clock' } },
      at: '2026-03-02T10:20:00.000Z',
    })
    expect((warning.message.title as Record<string, string>)['zh-CN']).toBe(
      `SLA 预警：工单 #${ticketId}的首次响应即将超时`,
    )
    await eventually('the warning on the team supervisor’s socket', () =>
      supervisorOfTeam.events('/notifications').find((e) => e.message.kind === 'sla.warning'),
    )
    await sleep(300)
    expect(others.events('/notifications').filter((e) => e.message.kind === 'sla.warning')).toEqual([])
    expect(supervisorElsewhere.events('/notifications').filter((e) => e.message.kind === 'sla.warning')).toEqual([])
  })
})
