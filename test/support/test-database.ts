import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { testDatabaseUrl } from './test-env.js'

export interface TestDatabase {
  /** DATABASE_URL for the app under test */
  url: string
  provider: 'sqlite' | 'postgresql'
  /** the temporary data directory (holds the SQLite file, secrets.json) */
  dataDir: string
  drop(): Promise<void>
}

/**
 * A fresh, empty database for one test file: a SQLite file in a new temporary directory, or,
 * when SWITCHBOARD_TEST_DATABASE_URL is set, a new database on that PostgreSQL server.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-test-'))
  if (!testDatabaseUrl) {
    return {
      url: `file:${join(dataDir, 'switchboard.db')}`,
      provider: 'sqlite',
      dataDir,
      async drop() {
        rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }
  const name = `sbtest_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: testDatabaseUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  await admin.end()
  const url = new URL(testDatabaseUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    provider: 'postgresql',
    dataDir,
    async drop() {
      const client = new pg.Client({ connectionString: testDatabaseUrl })
      await client.connect()
      try {
        // FORCE cannot end an autovacuum worker that happens to be on the database (it runs as the
        // superuser): wait for it a little, then leave the database to the scratch cluster
        for (let attempt = 1; ; attempt++) {
          try {
            await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
            break
          } catch (error) {
            if (!/pg_signal_backend|being terminated/.test(String(error)) || attempt >= 10) {
              if (attempt >= 10) console.warn(`test database ${name} left behind: ${String(error)}`)
              else throw error
              break
            }
            await new Promise((r) => setTimeout(r, 300))
          }
        }
      } finally {
        await client.end()
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
