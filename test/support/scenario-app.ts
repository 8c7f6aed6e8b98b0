import { randomBytes } from 'node:crypto'
import { createApp, createSecretsFile, loadConfig, type App, type Config } from '../../core/src/index.js'
import { systemActor } from '../../core/src/audit/index.js'
import { createManualClock, type ManualClock } from '../../core/src/infra/index.js'
import { createTestDatabase, type TestDatabase } from './test-database.js'
import { TEST_PASSWORD } from './test-app.js'
import { appUsesRedis, testRedisUrl } from './test-env.js'

export interface ScenarioApp {
  /** the running app; replaced by restart() */
  readonly app: App
  readonly clock: ManualClock
  readonly db: TestDatabase
  /** Stops the app and starts a new one on the same database, data directory and clock (a server restart). */
  restart(): Promise<App>
  /**
   * Moves the clock forward (to a time, or by milliseconds) and waits until the jobs that became
   * due have run: none is pending with a due time ≤ now, and none is running.
   */
  advance(to: string | Date | number): Promise<void>
  /** waits for the jobs due now to finish (after an API call that schedules work for now) */
  settle(): Promise<void>
  /** creates a user of that role and returns its bearer token (the token survives restarts) */
  tokenFor(
    role: 'admin' | 'supervisor' | 'agent',
    name?: string,
  ): Promise<{ token: string; userId: string; email: string }>
  close(): Promise<void>
}

/**
 * A full Switchboard app for time scenarios (SLA across weekends, callbacks the next morning,
 * surveys three days later): a manual clock that only moves when the test says, jobs run by that
 * clock through the durable scheduler, and restart() between steps to prove state is not held
 * in memory. It listens on a free 127.0.0.1 port; tests mostly call app.server.inject().
 */
export async function createScenarioApp(start: string | Date, env: Record<string, string> = {}): Promise<ScenarioApp> {
  const clock = createManualClock(start)
  const db = await createTestDatabase()
  const config: Config = loadConfig({
    env: {
      SWITCHBOARD_DATA_DIR: db.dataDir,
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHBOARD_PASSWORD_COST: '10',
      ...(appUsesRedis && testRedisUrl
        ? { REDIS_URL: testRedisUrl, SWITCHBOARD_REDIS_PREFIX: `sbtest:${randomBytes(4).toString('hex')}:` }
        : {}),
      ...env,
    },
  })
  createSecretsFile(config)
  const boot = async () => {
    // the whole server as `switchboard start` runs it (plugins, scheduler, routing, the issue-8
    // services' start hooks), listening on a free loopback port
    const app = await createApp(config, { clock })
    await app.start()
    return app
  }
  let app = await boot()
  let counter = 0

  async function settle() {
    for (let i = 0; i < 400; i++) {
      const now = clock.now()
      const [due, running] = await Promise.all([
        app.db.scheduledJob.count({ where: { status: 'pending', runAt: { lte: now } } }),
        app.db.scheduledJob.count({ where: { status: 'running' } }),
      ])
      if (due === 0 && running === 0) return
      await new Promise((r) => setTimeout(r, 25))
    }
    const stuck = await app.db.scheduledJob.findMany({
      where: { OR: [{ status: 'running' }, { status: 'pending', runAt: { lte: clock.now() } }] },
      select: { type: true, status: true, runAt: true, lastError: true },
    })
    throw new Error(`scheduled jobs did not settle within 10 s: ${JSON.stringify(stuck)}`)
  }

  return {
    get app() {
      return app
    },
    clock,
    db,
    async restart() {
      await app.stop()
      app = await boot()
      return app
    },
    async advance(to) {
      if (typeof to === 'number') clock.advance(to)
      else clock.set(to)
      await settle()
    },
    settle,
    async tokenFor(role, name) {
      const email = `${role}${++counter}-${randomBytes(3).toString('hex')}@test.local`
      const user = await app.services.users.create(systemActor('test'), {
        email,
        password: TEST_PASSWORD,
        role,
        ...(name ? { name } : {}),
      })
      const res = await app.server.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: TEST_PASSWORD },
      })
      if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.payload}`)
      return { token: (JSON.parse(res.payload) as { token: string }).token, userId: user.id, email }
    },
    async close() {
      await app.stop()
      await db.drop()
    },
  }
}
