// npm run db:migration -w @switchboard/core -- create <name>   write the migrations that bring both providers to schema.prisma
// npm run db:migration -w @switchboard/core -- check           fail if schema.prisma has changes without a migration
// PostgreSQL needs a server: MIGRATION_PG_URL=postgresql://user:pass@127.0.0.1:5432/postgres (a role that may CREATE DATABASE).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openEngine, providers } from './schema-engine.js'

const [command, name] = process.argv.slice(2)
const pgUrl = process.env.MIGRATION_PG_URL

async function pendingFor(provider) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-migration-'))
  const url = provider === 'sqlite' ? `file:${join(dir, 'scratch.db')}` : pgUrl
  const engine = await openEngine(provider, url)
  try {
    return await engine.pendingSchemaChange()
  } finally {
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

// 7.10.0 writes SQLite JSON defaults unquoted (DEFAULT {}), which SQLite rejects.
function fixSqliteJsonDefaults(provider, sql) {
  return provider === 'sqlite'
    ? sql.replace(
        /DEFAULT (\{[^\n]*?\}|\[[^\n]*?\])(,?)$/gm,
        (_, json, comma) => `DEFAULT '${json.replaceAll("'", "''")}'${comma}`,
      )
    : sql
}

function selectedProviders() {
  if (!pgUrl) console.warn('MIGRATION_PG_URL is not set: PostgreSQL migrations are skipped')
  return pgUrl ? ['sqlite', 'postgresql'] : ['sqlite']
}

if (command === 'create') {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('usage: migration.js create <name>   (name: lower-case letters, digits and _)')
    process.exit(2)
  }
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)
  for (const provider of selectedProviders()) {
    const sql = fixSqliteJsonDefaults(provider, await pendingFor(provider))
    if (!sql) {
      console.log(`${provider}: schema.prisma and the migrations are in step; nothing to write`)
      continue
    }
    const dir = join(providers[provider].migrations, `${stamp}_${name}`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'migration.sql'), sql + '\n')
    writeFileSync(
      join(providers[provider].migrations, 'migration_lock.toml'),
      `# Written by scripts/migration.js\nprovider = "${provider}"\n`,
    )
    console.log(`${provider}: wrote ${dir}/migration.sql`)
  }
} else if (command === 'check') {
  let dirty = false
  for (const provider of selectedProviders()) {
    const sql = await pendingFor(provider)
    if (sql) {
      dirty = true
      console.error(`${provider}: schema.prisma has changes that no migration holds:\n${sql}`)
    } else console.log(`${provider}: migrations are in step with schema.prisma`)
  }
  process.exit(dirty ? 1 : 0)
} else {
  console.error('usage: migration.js create <name> | check')
  process.exit(2)
}
