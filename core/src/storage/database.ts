import { mkdirSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaPg } from '@prisma/adapter-pg'
import type { Config } from '../config/index.js'
import { gateSqliteConnection } from './sqlite-connection-gate.js'
import type { PrismaClient as SqliteClient } from '../generated/prisma/sqlite/client.js'

/**
 * The Prisma client the modules use. Both generated clients have the same models; the code is
 * typed against the SQLite one, and the PostgreSQL client is used through the same type.
 */
export type Db = SqliteClient
export type { Prisma } from '../generated/prisma/sqlite/client.js'
/** SQL NULL for a nullable JSON column; both clients share Prisma's runtime, so one value serves both. */
export { DbNull } from '@prisma/client/runtime/client'

export type DatabaseTarget = { provider: 'sqlite'; url: string; file: string } | { provider: 'postgresql'; url: string }

/** Where the database is: DATABASE_URL, or SQLite in the data directory. */
export function databaseTarget(config: Pick<Config, 'database' | 'data'>): DatabaseTarget {
  const url = config.database.url ?? `file:${join(config.data.dir, 'switchboard.db')}`
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length)
    const file = isAbsolute(path) ? path : resolve(path)
    return { provider: 'sqlite', url: `file:${file}`, file }
  }
  return { provider: 'postgresql', url }
}

/** Opens the Prisma client for the target. For SQLite it creates the directory of the file. */
export async function openDatabase(target: DatabaseTarget): Promise<Db> {
  if (target.provider === 'sqlite') {
    mkdirSync(dirname(target.file), { recursive: true, mode: 0o700 })
    // each generated client is loaded only when used: the other one costs memory for nothing
    const { PrismaClient } = await import('../generated/prisma/sqlite/client.js')
    const db = new PrismaClient({
      adapter: gateSqliteConnection(new PrismaBetterSqlite3({ url: target.file, timeout: 10_000 })),
    })
    // WAL is set once per file by the migration runner; synchronous=NORMAL is safe in WAL
    // mode against process crashes (kill -9) and much faster than FULL.
    await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL')
    return db
  }
  const { PrismaClient } = await import('../generated/prisma/postgresql/client.js')
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: target.url, max: 10 }) })
  return client as unknown as Db
}

/** A cheap round-trip, for /health and `switchboard doctor`. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRawUnsafe('SELECT 1')
}
