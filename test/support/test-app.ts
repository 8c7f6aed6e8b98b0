import { randomBytes } from 'node:crypto'
import {
  createApp,
  createSecretsFile,
  loadConfig,
  type App,
  type Config,
  type CreateAppOptions,
} from '../../core/src/index.js'
import { systemActor } from '../../core/src/audit/index.js'
import { createTestDatabase, type TestDatabase } from './test-database.js'
import { appUsesRedis, testRedisUrl } from './test-env.js'

export interface TestApp {
  app: App
  db: TestDatabase
  config: Config
  /** signs in and returns a bearer token */
  login(email: string, password: string): Promise<string>
  /** creates a user of that role and returns its bearer token */
  tokenFor(role: 'admin' | 'supervisor' | 'agent'): Promise<{ token: string; userId: string; email: string }>
  close(): Promise<void>
}

export const TEST_PASSWORD = 'correct horse battery'

/**
 * A full Switchboard app on a fresh database (SQLite, or PostgreSQL and Redis when the test
 * environment names them), not listening: tests call it with server.inject().
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: CreateAppOptions = {},
): Promise<TestApp> {
  const db = await createTestDatabase()
  const config = loadConfig({
    env: {
      SWITCHBOARD_DATA_DIR: db.dataDir,
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
      SWITCHBOARD_PASSWORD_COST: '10',
      ...(appUsesRedis && testRedisUrl
        ? { REDIS_URL: testRedisUrl, SWITCHBOARD_REDIS_PREFIX: `sbtest:${randomBytes(4).toString('hex')}:` }
        : {}),
      ...env,
    },
  })
  createSecretsFile(config)
  const app = await createApp(config, options)
  await app.infra.scheduler.start()
  let counter = 0
  const testApp: TestApp = {
    app,
    db,
    config,
    async login(email, password) {
      const res = await app.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } })
      if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.payload}`)
      return (JSON.parse(res.payload) as { token: string }).token
    },
    async tokenFor(role) {
      const email = `${role}${++counter}-${randomBytes(3).toString('hex')}@test.local`
      const user = await app.services.users.create(systemActor('test'), { email, password: TEST_PASSWORD, role })
      return { token: await testApp.login(email, TEST_PASSWORD), userId: user.id, email }
    },
    async close() {
      await app.stop()
      await db.drop()
    },
  }
  return testApp
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` }
}
