import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, bearer, TEST_PASSWORD, type TestApp } from '../support/test-app.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t?.close())

const json = (res: { payload: string }) => JSON.parse(res.payload)

describe('sign-in', () => {
  it('POST /auth/login returns a token and sets an HttpOnly, SameSite=Strict session cookie; both authenticate', async () => {
    const { email } = await t.tokenFor('agent')
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: email.toUpperCase(), password: TEST_PASSWORD },
    })
    expect(res.statusCode).toBe(200)
    const body = json(res)
    expect(body.token).toMatch(/^sbs_/)
    expect(body.user).toMatchObject({ email, role: 'agent' })
    const setCookie = String(res.headers['set-cookie'])
    expect(setCookie).toMatch(/sb_session=/)
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Strict/)

    const viaBearer = await t.app.server.inject({ url: '/api/v1/auth/me', headers: bearer(body.token) })
    expect(json(viaBearer).email).toBe(email)
    const cookie = setCookie.split(';')[0]!
    const viaCookie = await t.app.server.inject({ url: '/api/v1/auth/me', headers: { cookie } })
    expect(viaCookie.statusCode).toBe(200)
    expect(json(viaCookie).email).toBe(email)
  })

  it('a wrong password and an unknown email get the same 401', async () => {
    const { email } = await t.tokenFor('agent')
    const wrong = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'wrong password!' },
    })
    const unknown = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@test.local', password: 'wrong password!' },
    })
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(json(wrong).message).toBe(json(unknown).message)
    expect(json(wrong).code).toBe('SB_ERR_INVALID_CREDENTIALS')
  })

  it('a burst of parallel wrong passwords gets no more than 10 tries, then 429 even for the right one', async () => {
    const { email } = await t.tokenFor('agent')
    const burst = await Promise.all(
      Array.from({ length: 30 }, () =>
        t.app.server.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email, password: 'not it at all' },
        }),
      ),
    )
    expect(burst.filter((r) => r.statusCode === 401)).toHaveLength(10)
    expect(burst.filter((r) => r.statusCode === 429)).toHaveLength(20)
    expect(
      (
        await t.app.server.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email, password: TEST_PASSWORD },
        })
      ).statusCode,
    ).toBe(429)
  })

  it('locks an account after 10 failed attempts (429), without revealing whether it exists', async () => {
    const { email } = await t.tokenFor('agent')
    for (let i = 0; i < 10; i++)
      await t.app.server.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: 'not it at all' },
      })
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: TEST_PASSWORD },
    })
    expect(res.statusCode).toBe(429)
  })

  it('logout ends the session: the token and the cookie stop working', async () => {
    const { token } = await t.tokenFor('agent')
    expect(
      (await t.app.server.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) })).statusCode,
    ).toBe(204)
    expect((await t.app.server.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(401)
  })

  it('a session expires after SWITCHBOARD_SESSION_TTL and its expiry job removes it', async () => {
    const short = await (await import('../support/test-app.js')).createTestApp({ SWITCHBOARD_SESSION_TTL: '1s' })
    try {
      const { token } = await short.tokenFor('agent')
      expect((await short.app.server.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(200)
      const jobs = await short.app.infra.scheduler.list({ type: 'auth.session-expired' })
      expect(jobs).toHaveLength(1)
      await waitFor(async () => (await short.app.infra.scheduler.get(jobs[0]!.id))?.status === 'done', 8000)
      expect((await short.app.server.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(401)
      expect(await short.app.db.session.count()).toBe(0)
    } finally {
      await short.close()
    }
  })
})

describe('client address', () => {
  it('records the socket address, or the address the trusted proxy appended to X-Forwarded-For', async () => {
    const { email } = await t.tokenFor('agent')
    const headers = { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' }
    await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: TEST_PASSWORD },
      headers,
    })
    const direct = await t.app.db.session.findFirst({ where: { user: { email } }, orderBy: { createdAt: 'desc' } })
    expect(direct?.ip).toBe('127.0.0.1')

    const proxied = await (await import('../support/test-app.js')).createTestApp({ SWITCHBOARD_TRUST_PROXY: 'true' })
    try {
      const user = await proxied.tokenFor('agent')
      await proxied.app.server.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: TEST_PASSWORD },
        headers,
      })
      const session = await proxied.app.db.session.findFirst({
        where: { userId: user.userId },
        orderBy: { createdAt: 'desc' },
      })
      expect(session?.ip).toBe('10.0.0.1')
    } finally {
      await proxied.close()
    }
  })
})

describe('API tokens', () => {
  it('creates a token shown once, authenticates with it, lists it without the secret, and revokes it', async () => {
    const { token } = await t.tokenFor('supervisor')
    const created = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: bearer(token),
      payload: { name: 'nightly export', expiresInDays: 30 },
    })
    expect(created.statusCode).toBe(201)
    const apiToken = json(created)
    expect(apiToken.token).toMatch(/^sbt_/)
    const me = await t.app.server.inject({ url: '/api/v1/auth/me', headers: bearer(apiToken.token) })
    expect(json(me).role).toBe('supervisor')
    const list = json(await t.app.server.inject({ url: '/api/v1/auth/tokens', headers: bearer(token) }))
    expect(list).toHaveLength(1)
    expect(list[0]).not.toHaveProperty('token')
    expect(list[0].lastUsedAt).not.toBeNull()
    expect(JSON.stringify(await t.app.db.apiToken.findMany())).not.toContain(apiToken.token)
    const revoke = await t.app.server.inject({
      method: 'DELETE',
      url: `/api/v1/auth/tokens/${apiToken.id}`,
      headers: bearer(token),
    })
    expect(revoke.statusCode).toBe(204)
    expect((await t.app.server.inject({ url: '/api/v1/auth/me', headers: bearer(apiToken.token) })).statusCode).toBe(
      401,
    )
    const audit = await t.app.services.audit.list({ limit: 50 })
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['token.create', 'token.revoke']))
  })

  it("cannot revoke another user's token", async () => {
    const alice = await t.tokenFor('agent')
    const bob = await t.tokenFor('agent')
    const created = json(
      await t.app.server.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: bearer(alice.token),
        payload: { name: 'mine' },
      }),
    )
    const res = await t.app.server.inject({
      method: 'DELETE',
      url: `/api/v1/auth/tokens/${created.id}`,
      headers: bearer(bob.token),
    })
    expect(res.statusCode).toBe(404)
    expect((await t.app.server.inject({ url: '/api/v1/auth/me', headers: bearer(created.token) })).statusCode).toBe(200)
  })
})

describe('own profile', () => {
  it('changing the password needs the current one and ends the other sessions', async () => {
    const { token, email } = await t.tokenFor('agent')
    const other = await t.login(email, TEST_PASSWORD)
    const bad = await t.app.server.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: bearer(token),
      payload: { password: 'a brand new secret' },
    })
    expect(bad.statusCode).toBe(400)
    expect(json(bad).details[0].path).toBe('currentPassword')
    const ok = await t.app.server.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: bearer(token),
      payload: { password: 'a brand new secret', currentPassword: TEST_PASSWORD, locale: 'zh-CN' },
    })
    expect(ok.statusCode).toBe(200)
    expect(json(ok).locale).toBe('zh-CN')
    expect((await t.app.server.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(200)
    expect((await t.app.server.inject({ url: '/api/v1/auth/me', headers: bearer(other) })).statusCode).toBe(401)
    await t.login(email, 'a brand new secret')
  })
})

async function waitFor(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`condition not met within ${timeoutMs} ms`)
}
