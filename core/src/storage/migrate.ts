import { createHash, randomUUID } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import pg from 'pg'
import { ErrorCode, operationalError, userError } from '../errors/index.js'
import type { DatabaseTarget } from './database.js'

/**
 * Applies the migrations in core/prisma/migrations/<provider> on start, without Prisma's
 * native schema engine (which cannot be downloaded offline). It keeps Prisma's standard
 * `_prisma_migrations` table (checksum = SHA-256 of migration.sql), so `prisma migrate`
 * and the wasm schema engine accept a database it migrated. Each migration runs in one
 * transaction together with its bookkeeping row: it is applied entirely or not at all.
 */
export interface MigrationResult {
  applied: string[]
  alreadyApplied: number
  /** applied migrations whose file changed since they were applied */
  modified: string[]
}

export interface Migration {
  name: string
  sql: string
  checksum: string
}

const here = dirname(fileURLToPath(import.meta.url))
/** core/prisma/migrations, from src/storage or dist/storage alike */
export const migrationsRoot = join(here, '..', '..', 'prisma', 'migrations')

export function readMigrations(provider: DatabaseTarget['provider']): Migration[] {
  const dir = join(migrationsRoot, provider)
  if (!existsSync(dir)) throw userError(ErrorCode.MIGRATION_FAILED, `No migrations folder at ${dir}`)
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    })
}

interface AppliedRow {
  migration_name: string
  checksum: string
  finished_at: unknown
  rolled_back_at: unknown
}

interface MigrationDriver {
  ensureTable(): Promise<void>
  appliedRows(): Promise<AppliedRow[]>
  applyInTransaction(migration: Migration): Promise<void>
  close(): Promise<void>
}

export interface MigrateOptions {
  /** called before each migration is applied, for progress output */
  onApply?: (name: string) => void
  /** the migrations to apply; default: core/prisma/migrations/<provider> */
  migrations?: Migration[]
}

export async function migrateDatabase(
  target: DatabaseTarget,
  { onApply, migrations = readMigrations(target.provider) }: MigrateOptions = {},
): Promise<MigrationResult> {
  const driver = target.provider === 'sqlite' ? sqliteDriver(target.file) : await postgresDriver(target.url)
  try {
    await driver.ensureTable()
    const rows = await driver.appliedRows()
    const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at)
    if (failed.length > 0) {
      throw userError(
        ErrorCode.MIGRATION_FAILED,
        `Migration ${failed.map((r) => r.migration_name).join(', ')} started earlier and did not finish. Inspect the database, then delete that row from _prisma_migrations and start again.`,
      )
    }
    const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]))
    const modified = migrations.filter((m) => done.has(m.name) && done.get(m.name) !== m.checksum).map((m) => m.name)
    const pending = migrations.filter((m) => !done.has(m.name))
    for (const migration of pending) {
      onApply?.(migration.name)
      try {
        await driver.applyInTransaction(migration)
      } catch (error) {
        throw operationalError(
          ErrorCode.MIGRATION_FAILED,
          `Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`,
          { cause: error },
        )
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: done.size, modified }
  } finally {
    await driver.close()
  }
}

function sqliteDriver(file: string): MigrationDriver {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const db = new Database(file, { timeout: 10_000 })
  // password hashes, the audit log and encrypted personal data: readable by this user only
  chmodSync(file, 0o600)
  db.pragma('journal_mode = WAL')
  return {
    async ensureTable() {
      db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
        "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
        "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`)
    },
    async appliedRows() {
      return db
        .prepare('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"')
        .all() as AppliedRow[]
    },
    async applyInTransaction(migration) {
      // SQLite ignores PRAGMA foreign_keys inside a transaction, so the pragmas Prisma writes
      // around a table rebuild (DROP + re-CREATE) would do nothing and the DROP would cascade
      // to child rows. Turn the checks off on the connection first, verify before committing.
      db.pragma('foreign_keys = OFF')
      try {
        db.transaction(() => {
          db.exec(migration.sql)
          const violations = db.pragma('foreign_key_check') as unknown[]
          if (violations.length > 0)
            throw new Error(
              `it leaves ${violations.length} row(s) violating foreign keys: ${JSON.stringify(violations.slice(0, 3))}`,
            )
          const now = Date.now()
          db.prepare(
            'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)',
          ).run(randomUUID(), migration.checksum, now, migration.name, now)
        }).immediate()
      } finally {
        db.pragma('foreign_keys = ON')
      }
    },
    async close() {
      db.close()
    },
  }
}

/** The advisory lock id Prisma Migrate uses, so two instances starting at once do not race. */
const PRISMA_MIGRATE_LOCK = 72707369

async function postgresDriver(url: string): Promise<MigrationDriver> {
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
  } catch (error) {
    throw operationalError(
      ErrorCode.DATABASE_UNAVAILABLE,
      `Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`,
      { cause: error },
    )
  }
  await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK])
  return {
    async ensureTable() {
      await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`)
    },
    async appliedRows() {
      return (
        await client.query('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"')
      ).rows as AppliedRow[]
    },
    async applyInTransaction(migration) {
      await client.query('BEGIN')
      try {
        await client.query(migration.sql)
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, now(), 1)',
          [randomUUID(), migration.checksum, migration.name],
        )
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw error
      }
    },
    async close() {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]).catch(() => undefined)
      await client.end()
    },
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable URL)'
  }
}
