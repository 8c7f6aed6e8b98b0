import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js'
// the development-time schema engine (wasm): checks that the migrations match schema.prisma
import { openEngine } from '../../scripts/schema-engine.js'
import { databaseTarget, openDatabase } from './database.js'
import { migrateDatabase, readMigrations, type Migration } from './migrate.js'

let testDb: TestDatabase | undefined
afterEach(async () => {
  await testDb?.drop()
  testDb = undefined
})

async function freshTarget() {
  testDb = await createTestDatabase()
  return databaseTarget({ database: { url: testDb.url, migrateOnStart: true }, data: { dir: testDb.dataDir } })
}

const migration = (name: string, sql: string): Migration => ({
  name,
  sql,
  checksum: createHash('sha256').update(sql).digest('hex'),
})

describe('migrations', () => {
  it('apply to an empty database once, and are recorded in _prisma_migrations with their SHA-256', async () => {
    const target = await freshTarget()
    const all = readMigrations(target.provider)
    const first = await migrateDatabase(target)
    expect(first.applied).toEqual(all.map((m) => m.name))
    const second = await migrateDatabase(target)
    expect(second).toEqual({ applied: [], alreadyApplied: all.length, modified: [] })

    const db = await openDatabase(target)
    const rows = await db.$queryRawUnsafe<
      Array<{ migration_name: string; checksum: string; applied_steps_count: number | bigint }>
    >('SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name')
    expect(rows.map((r) => [r.migration_name, r.checksum, Number(r.applied_steps_count)])).toEqual(
      all.map((m) => [m.name, m.checksum, 1]),
    )
    expect(await db.user.count()).toBe(0)
    await db.$disconnect()
  })

  it('roll a failing migration back entirely: no table from it, no record of it', async () => {
    const target = await freshTarget()
    const base = readMigrations(target.provider)
    await migrateDatabase(target)
    const broken = migration(
      '29990101000000_broken',
      'CREATE TABLE "Half" ("id" INTEGER PRIMARY KEY);\nTHIS IS NOT SQL;',
    )
    await expect(migrateDatabase(target, { migrations: [...base, broken] })).rejects.toThrow(
      /Migration 29990101000000_broken failed and was rolled back/,
    )
    const db = await openDatabase(target)
    await expect(db.$queryRawUnsafe('SELECT * FROM "Half"')).rejects.toThrow()
    const names = await db.$queryRawUnsafe<Array<{ migration_name: string }>>(
      'SELECT migration_name FROM "_prisma_migrations"',
    )
    expect(names.map((n) => n.migration_name)).not.toContain(broken.name)
    await db.$disconnect()
    // the fixed migration then applies normally
    const fixed = migration('29990101000000_broken', 'CREATE TABLE "Half" ("id" INTEGER PRIMARY KEY);')
    expect((await migrateDatabase(target, { migrations: [...base, fixed] })).applied).toEqual([fixed.name])
  })

  it('keep child rows when a migration rebuilds a parent table (SQLite RedefineTables)', async () => {
    const target = await freshTarget()
    if (target.provider !== 'sqlite') return
    const base = readMigrations(target.provider)
    await migrateDatabase(target)
    const db = await openDatabase(target)
    const user = await db.user.create({ data: { email: 'a@b.cn', name: 'A', passwordHash: 'x', role: 'agent' } })
    const team = await db.team.create({ data: { name: 'T' } })
    await db.teamMember.create({ data: { teamId: team.id, userId: user.id } })
    await db.$disconnect()
    // what Prisma writes to change a column of User: copy into a new table, drop, rename
    const rebuild = migration(
      '29990101000000_rebuild_user',
      `PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL, "name" TEXT NOT NULL, "passwordHash" TEXT NOT NULL, "role" TEXT NOT NULL, "locale" TEXT NOT NULL DEFAULT 'zh-CN', "active" BOOLEAN NOT NULL DEFAULT true, "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" DATETIME NOT NULL);
INSERT INTO "new_User" SELECT * FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;`,
    )
    expect((await migrateDatabase(target, { migrations: [...base, rebuild] })).applied).toEqual([rebuild.name])
    const after = await openDatabase(target)
    expect(await after.teamMember.count()).toBe(1)
    await after.$disconnect()
  })

  it('report an applied migration whose file was edited afterwards', async () => {
    const target = await freshTarget()
    const base = readMigrations(target.provider)
    await migrateDatabase(target)
    const edited = base.map((m, i) => (i === 0 ? migration(m.name, m.sql + '\n-- edited\n') : m))
    expect((await migrateDatabase(target, { migrations: edited })).modified).toEqual([base[0]!.name])
  })

  it('hold exactly what schema.prisma describes (no schema change without a migration)', async () => {
    const target = await freshTarget()
    const engine = await openEngine(target.provider, target.url)
    try {
      expect(await engine.pendingSchemaChange()).toBe('')
    } finally {
      await engine.close()
    }
  })
})
