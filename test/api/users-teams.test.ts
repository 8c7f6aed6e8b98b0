import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, bearer, TEST_PASSWORD, type TestApp } from '../support/test-app.js'

let t: TestApp
let admin: string
beforeAll(async () => {
  t = await createTestApp()
  admin = (await t.tokenFor('admin')).token
})
afterAll(() => t?.close())

const json = (res: { payload: string }) => JSON.parse(res.payload)
const post = (url: string, payload: unknown, token = admin) =>
  t.app.server.inject({ method: 'POST', url, payload: payload as object, headers: bearer(token) })
const patch = (url: string, payload: unknown, token = admin) =>
  t.app.server.inject({ method: 'PATCH', url, payload: payload as object, headers: bearer(token) })

describe('users', () => {
  it('an admin creates a user who can then sign in; the action is audited', async () => {
    const res = await post('/api/v1/users', {
      email: 'New.Agent@Example.com',
      password: TEST_PASSWORD,
      role: 'agent',
      name: '新客服',
      locale: 'zh-CN',
    })
    expect(res.statusCode).toBe(201)
    const user = json(res)
    expect(user).toMatchObject({
      email: 'new.agent@example.com',
      role: 'agent',
      name: '新客服',
      locale: 'zh-CN',
      active: true,
    })
    expect(user).not.toHaveProperty('passwordHash')
    await t.login('new.agent@example.com', TEST_PASSWORD)
    const audit = json(await t.app.server.inject({ url: '/api/v1/audit?action=user.create', headers: bearer(admin) }))
    expect(audit.find((a: { targetId: string }) => a.targetId === user.id)).toMatchObject({
      action: 'user.create',
      details: { email: 'new.agent@example.com', role: 'agent' },
    })
  })

  it('bad input is a 400 that lists every wrong field, and nothing is written', async () => {
    const before = await t.app.db.user.count()
    const res = await post('/api/v1/users', { email: 'not-an-email', password: 'short', role: 'boss', colour: 'red' })
    expect(res.statusCode).toBe(400)
    const body = json(res)
    expect(body.code).toBe('SB_ERR_VALIDATION')
    expect(body.details.map((d: { path: string }) => d.path).sort()).toEqual(['colour', 'email', 'password', 'role'])
    expect(body.message).toContain('email')
    expect(await t.app.db.user.count()).toBe(before)
  })

  it('invalid JSON and a wrong content type are 400/415 with a code, not 500', async () => {
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: '{"email":',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
    })
    expect(res.statusCode).toBe(400)
    expect(json(res).code).toBe('SB_ERR_VALIDATION')
  })

  it('a user with an unknown team is refused whole: no user row, no audit row', async () => {
    const users = await t.app.db.user.count()
    const audits = await t.app.db.auditEvent.count()
    const res = await post('/api/v1/users', {
      email: 'teamless@test.local',
      password: TEST_PASSWORD,
      role: 'agent',
      teamIds: ['no-such-team'],
    })
    expect(res.statusCode).toBe(400)
    expect(json(res).details[0].path).toBe('teamIds')
    expect(await t.app.db.user.count()).toBe(users)
    expect(await t.app.db.auditEvent.count()).toBe(audits)
  })

  it('a duplicate email is a 409', async () => {
    await post('/api/v1/users', { email: 'dup@test.local', password: TEST_PASSWORD, role: 'agent' })
    const res = await post('/api/v1/users', { email: 'DUP@test.local', password: TEST_PASSWORD, role: 'supervisor' })
    expect(res.statusCode).toBe(409)
    expect(json(res).code).toBe('SB_ERR_EMAIL_TAKEN')
  })

  it('deactivating a user or changing their role ends their logins', async () => {
    const { token, userId } = await t.tokenFor('agent')
    expect((await patch(`/api/v1/users/${userId}`, { role: 'supervisor' })).statusCode).toBe(200)
    expect((await t.app.server.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(401)
    const { token: token2, userId: user2, email } = await t.tokenFor('agent')
    expect(json(await patch(`/api/v1/users/${user2}`, { active: false })).active).toBe(false)
    expect((await t.app.server.inject({ url: '/api/v1/auth/me', headers: bearer(token2) })).statusCode).toBe(401)
    const relogin = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: TEST_PASSWORD },
    })
    expect(relogin.statusCode).toBe(401)
  })

  it('the last active admin cannot be demoted or deactivated', async () => {
    const solo = await createTestApp()
    try {
      const { token, userId } = await solo.tokenFor('admin')
      const res = await solo.app.server.inject({
        method: 'PATCH',
        url: `/api/v1/users/${userId}`,
        payload: { role: 'agent' },
        headers: bearer(token),
      })
      expect(res.statusCode).toBe(409)
      expect(json(res).code).toBe('SB_ERR_LAST_ADMIN')
      expect((await solo.app.db.user.findUniqueOrThrow({ where: { id: userId } })).role).toBe('admin')
    } finally {
      await solo.close()
    }
  })

  it('two concurrent changes cannot remove the last two admins', async () => {
    const duo = await createTestApp()
    try {
      const a = await duo.tokenFor('admin')
      const b = await duo.tokenFor('admin')
      const results = await Promise.all([
        duo.app.server.inject({
          method: 'PATCH',
          url: `/api/v1/users/${a.userId}`,
          payload: { role: 'agent' },
          headers: bearer(a.token),
        }),
        duo.app.server.inject({
          method: 'PATCH',
          url: `/api/v1/users/${b.userId}`,
          payload: { active: false },
          headers: bearer(b.token),
        }),
      ])
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409])
      expect(await duo.app.db.user.count({ where: { role: 'admin', active: true } })).toBe(1)
    } finally {
      await duo.close()
    }
  })

  it('concurrent creations with the same email: one 201, the others 409 (never 500)', async () => {
    const results = await Promise.all(
      Array.from({ length: 3 }, () =>
        post('/api/v1/users', { email: 'race@test.local', password: TEST_PASSWORD, role: 'agent' }),
      ),
    )
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409])
  })

  it('lists users with filters; supervisors may read, agents may not', async () => {
    const supervisor = (await t.tokenFor('supervisor')).token
    const agents = json(
      await t.app.server.inject({ url: '/api/v1/users?role=agent&active=true', headers: bearer(supervisor) }),
    )
    expect(agents.length).toBeGreaterThan(0)
    expect(agents.every((u: { role: string; active: boolean }) => u.role === 'agent' && u.active)).toBe(true)
    const bad = await t.app.server.inject({ url: '/api/v1/users?limit=100000', headers: bearer(supervisor) })
    expect(bad.statusCode).toBe(400)
    expect(json(bad).details[0]).toMatchObject({ in: 'query', path: 'limit' })
  })
})

describe('teams', () => {
  it('creates a team, adds and removes members, renames and deletes it; each step audited', async () => {
    const { userId } = await t.tokenFor('agent')
    const team = json(await post('/api/v1/teams', { name: '售后 After-sales', description: 'returns' }))
    expect((await post('/api/v1/teams', { name: '售后 After-sales' })).statusCode).toBe(409)
    const added = json(
      await t.app.server.inject({
        method: 'PUT',
        url: `/api/v1/teams/${team.id}/members/${userId}`,
        headers: bearer(admin),
      }),
    )
    expect(added.members.map((m: { id: string }) => m.id)).toEqual([userId])
    const agentToken = (await t.tokenFor('agent')).token
    const listed = json(await t.app.server.inject({ url: '/api/v1/teams', headers: bearer(agentToken) }))
    expect(listed.find((x: { id: string }) => x.id === team.id).members).toHaveLength(1)
    expect(json(await patch(`/api/v1/teams/${team.id}`, { name: 'After-sales 2' })).name).toBe('After-sales 2')
    const removed = json(
      await t.app.server.inject({
        method: 'DELETE',
        url: `/api/v1/teams/${team.id}/members/${userId}`,
        headers: bearer(admin),
      }),
    )
    expect(removed.members).toEqual([])
    expect(
      (await t.app.server.inject({ method: 'DELETE', url: `/api/v1/teams/${team.id}`, headers: bearer(admin) }))
        .statusCode,
    ).toBe(204)
    expect(
      (await t.app.server.inject({ url: `/api/v1/teams/${team.id}`, headers: bearer(agentToken) })).statusCode,
    ).toBe(404)
    const actions = (await t.app.services.audit.list({ limit: 200 }))
      .filter((a) => a.targetId === team.id)
      .map((a) => a.action)
    expect(actions.sort()).toEqual([
      'team.add-member',
      'team.create',
      'team.delete',
      'team.remove-member',
      'team.update',
    ])
  })
})
