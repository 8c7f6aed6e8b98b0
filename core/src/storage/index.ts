export { databaseTarget, DbNull, openDatabase, pingDatabase } from './database.js'
export type { Db, DatabaseTarget, Prisma } from './database.js'
export { migrateDatabase, readMigrations, redactUrl } from './migrate.js'
export type { Migration, MigrateOptions, MigrationResult } from './migrate.js'
