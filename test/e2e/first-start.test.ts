import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { api, cliEnv, freePort, login, printedAdmin, startServer, type RunningServer } from '../support/cli-process.js'

/**
 * The README's first command, end to end: `switchboard start` on an empty data directory
 * initialises everything, prints the admin once, and serves health, metrics, docs and the API.
 * Then the server is killed with SIGKILL and started again: data and scheduled jobs survive.
 */
let db: TestDatabase
let env: Record<string, string>
let server: RunningServer | undefined
let admin: { email: string; password: string }

beforeAll(async () => {
  db = await createTestDatabase()
  env = cliEnv(db, await freePort(), { SWITCHBOARD_SESSION_TTL: '4s' })
  server = await startServer(env)
  admin = printedAdmin(server.output())
})
afterAll(async () => {
  await server?.stop()
  await db.drop()
})

describe('first start', () => {
  it('prints the admin credentials and the demo users, and the printed admin can sign in', async () => {
    expect(server!.output()).toContain('Its password is shown only this once')
    expect(server!.output()).toMatch(/Demo data loaded\. The demo users share the password (\S+)/)
    const token = await login(server!.url, admin.email, admin.password)
    const me = await api<{ role: string }>(server!.url, '/api/v1/auth/me', token)
    expect(me.body.role).toBe('admin')
    const demoPassword = /share the password (\S+)/.exec(server!.output())![1]!
    await login(server!.url, 'lina@demo.switchboard.local', demoPassword)
    const users = await api<unknown[]>(server!.url, '/api/v1/users', token)
    expect(users.body.length).toBe(5)
  })

  it("the demo's IVR draft is valid and publishes", async () => {
    const token = await login(server!.url, admin.email, admin.password)
    const flows = await api<Array<{ id: string; name: string }>>(server!.url, '/api/v1/flows', token)
    const ivr = flows.body.find((f) => f.name.startsWith('Main IVR'))!
    const detail = await api<{ problems: unknown[] }>(server!.url, `/api/v1/flows/${ivr.id}`, token)
    expect(detail.body.problems).toEqual([])
    expect(
      (await api(server!.url, `/api/v1/flows/${ivr.id}/publish`, token, { method: 'POST', body: {} })).status,
    ).toBe(201)
  })

  it('serves /health, /metrics and the API reference', async () => {
    const health = (await (await fetch(`${server!.url}/health`)).json()) as Record<string, unknown>
    expect(health).toMatchObject({ status: 'ok', database: { status: 'ok', provider: db.provider } })
    if (env.REDIS_URL) expect(health.redis).toEqual({ status: 'ok' })
    const metrics = await fetch(`${server!.url}/metrics`)
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/)
    const text = await metrics.text()
    expect(text).toContain('# TYPE switchboard_http_requests_total counter')
    expect(text).toContain('switchboard_process_resident_memory_bytes')
    const docs = await fetch(`${server!.url}/api/docs`)
    expect(docs.status).toBe(200)
    expect(await docs.text()).toContain('swagger-ui-bundle.js')
    const openapi = (await (await fetch(`${server!.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(openapi.paths)).toContain('/api/v1/users')
  })

  it('survives kill -9: data intact, and a job scheduled before the kill runs after the restart', async () => {
    const url = server!.url
    const token = await login(url, admin.email, admin.password)
    const team = await api<{ id: string }>(url, '/api/v1/teams', token, {
      method: 'POST',
      body: { name: 'Night shift 夜班' },
    })
    expect(team.status).toBe(201)
    // the login above scheduled its session-expiry job 4 s ahead; kill before it is due
    const sessionId = createHash('sha256').update(token).digest('hex')
    const before = await api<Array<{ status: string; payload: { sessionId: string } }>>(
      url,
      '/api/v1/jobs?type=auth.session-expired',
      token,
    )
    expect(before.body.find((j) => j.payload.sessionId === sessionId)?.status).toBe('pending')
    await server!.kill9()

    server = await startServer(env)
    expect(server.output()).not.toContain('Its password is shown only this once')
    const token2 = await login(url, admin.email, admin.password)
    const teams = await api<Array<{ id: string; name: string }>>(url, '/api/v1/teams', token2)
    expect(teams.body.map((t) => t.name)).toContain('Night shift 夜班')

    const deadline = Date.now() + 15_000
    let job: { status: string; payload: { sessionId: string } } | undefined
    while (Date.now() < deadline) {
      const jobs = await api<Array<{ status: string; payload: { sessionId: string } }>>(
        url,
        '/api/v1/jobs?type=auth.session-expired',
        token2,
      )
      job = jobs.body.find((j) => j.payload.sessionId === sessionId)
      if (job?.status === 'done') break
      await new Promise((r) => setTimeout(r, 250))
    }
    expect(job?.status).toBe('done')
    expect((await api(url, '/api/v1/auth/me', token)).status).toBe(401)
  })

  it('shuts down gracefully on SIGTERM (exit code 0)', async () => {
    const code = await server!.stop()
    server = undefined
    expect(code).toBe(0)
  })
})
