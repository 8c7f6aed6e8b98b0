// Generates both Prisma clients (SQLite and PostgreSQL) from the one source schema.
// Prisma 7 rejects `provider = env()`, so the PostgreSQL schema is derived from the SQLite one.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const coreDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const sqliteSchema = join(coreDir, 'prisma', 'schema.prisma')
const postgresSchema = join(coreDir, 'prisma', 'schema.postgresql.prisma')

export function derivePostgresSchema(text) {
  const out = text
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace(
      'output              = "../src/generated/prisma/sqlite"',
      'output              = "../src/generated/prisma/postgresql"',
    )
  if (!out.includes('provider = "postgresql"') || !out.includes('generated/prisma/postgresql')) {
    throw new Error(
      'prisma-generate: could not derive the PostgreSQL schema; the datasource or generator block changed shape',
    )
  }
  return '// GENERATED from schema.prisma by scripts/prisma-generate.js. Do not edit.\n' + out
}

writeFileSync(postgresSchema, derivePostgresSchema(readFileSync(sqliteSchema, 'utf8')))

const prismaBin = join(dirname(fileURLToPath(import.meta.resolve('prisma/package.json'))), 'build', 'index.js')
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: join(coreDir, 'scripts', 'no-schema-engine.sh'),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
}
for (const schema of [sqliteSchema, postgresSchema]) {
  execFileSync(process.execPath, [prismaBin, 'generate', '--schema', schema], {
    cwd: coreDir,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}
console.log('prisma: generated the SQLite and PostgreSQL clients')
