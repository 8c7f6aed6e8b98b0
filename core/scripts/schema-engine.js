// Glue around @prisma/schema-engine-wasm, the offline stand-in for `prisma migrate`
// (Prisma's native schema engine cannot be downloaded on machines that reach only npm).
// Used at development time to write migrations and by the test that keeps migrations in
// step with schema.prisma. The server applies migrations with its own runner
// (src/storage/migrate.ts), which does not need this engine.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg'
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils'
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'

export const coreDir = join(dirname(fileURLToPath(import.meta.url)), '..')
export const providers = {
  sqlite: {
    schema: join(coreDir, 'prisma', 'schema.prisma'),
    migrations: join(coreDir, 'prisma', 'migrations', 'sqlite'),
  },
  postgresql: {
    schema: join(coreDir, 'prisma', 'schema.postgresql.prisma'),
    migrations: join(coreDir, 'prisma', 'migrations', 'postgresql'),
  },
}

let wasmReady = false
function loadWasm() {
  if (wasmReady) return
  const url = new URL('./schema_engine_bg.wasm', import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'))
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(url)), { './schema_engine_bg.js': bg })
  bg.__wbg_set_wasm(instance.exports)
  instance.exports.__wbindgen_start()
  wasmReady = true
}

export function listMigrations(dir) {
  mkdirSync(dir, { recursive: true })
  const lock = join(dir, 'migration_lock.toml')
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lock) ? readFileSync(lock, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(dir, name, 'migration.sql'), 'utf8') },
      },
    })),
  }
}

// 7.10.0: the engine sends a whole migration.sql through executeRaw on the SQLite shadow
// database, which better-sqlite3 rejects as several statements; route it to executeScript.
function sqliteFactory(url) {
  const factory = new PrismaBetterSqlite3({ url })
  const connectToShadowDb = factory.connectToShadowDb.bind(factory)
  factory.connectToShadowDb = async () => {
    const adapter = await connectToShadowDb()
    const executeRaw = adapter.executeRaw.bind(adapter)
    adapter.executeRaw = async (query) =>
      query.args?.length ? executeRaw(query) : (await adapter.executeScript(query.sql), 0)
    return adapter
  }
  return factory
}

// 7.10.0: adapter-pg cannot read catalog columns of type "char" (OID 18); read them as text.
class CharAsTextClient extends pg.Client {
  query(...args) {
    const fix = (result) => {
      for (const r of [result].flat()) for (const f of r?.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25
      return result
    }
    const callback = typeof args.at(-1) === 'function' ? args.pop() : null
    if (callback) return super.query(...args, (error, result) => callback(error, error ? result : fix(result)))
    const out = super.query(...args)
    return out?.then ? out.then(fix) : out
  }
}

// 7.10.0: adapter-pg drops its shadow database before closing the pool; do it in order.
function postgresFactory(url) {
  const u = new URL(url)
  const base = {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
  }
  const factory = new PrismaPg({ ...base, Client: CharAsTextClient })
  factory.connectToShadowDb = async () => {
    const name = `prisma_shadow_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client(base)
    await admin.connect()
    await admin.query(`CREATE DATABASE "${name}"`)
    const shadowFactory = new PrismaPg({ ...base, database: name, Client: CharAsTextClient })
    const adapter = await shadowFactory.connect()
    const dispose = adapter.dispose.bind(adapter)
    adapter.dispose = async () => {
      await dispose()
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`)
      await admin.end()
    }
    return adapter
  }
  return factory
}

/** Opens the schema engine for a provider against a database URL. */
export async function openEngine(provider, url) {
  loadWasm()
  const schemaPath = providers[provider].schema
  const schemaText = readFileSync(schemaPath, 'utf8')
  const factory = provider === 'sqlite' ? sqliteFactory(url) : postgresFactory(url)
  const bound = bindMigrationAwareSqlAdapterFactory(factory)
  const engine = await bg.SchemaEngine.new({ datamodels: [[schemaPath, schemaText]] }, () => {}, bound)
  const schema = { files: [{ path: schemaPath, content: schemaText }] }
  const filters = { externalTables: [], externalEnums: [] }
  return {
    /** SQL that brings the migrations folder up to schema.prisma ('' when in step) */
    async pendingSchemaChange() {
      const list = listMigrations(providers[provider].migrations)
      const from = list.migrationDirectories.length ? { tag: 'migrations', ...list } : { tag: 'empty' }
      try {
        const out = await engine.diff({
          from,
          to: { tag: 'schemaDatamodel', ...schema },
          script: true,
          exitCode: null,
          filters,
        })
        return out.stdout.includes('-- This is an empty migration.') ? '' : out.stdout.trim()
      } catch (error) {
        throw explain(error, bound)
      }
    },
    async close() {
      engine.free?.()
    },
  }
}

function explain(error, bound) {
  const match = /External error id#(\d+)/.exec(String(error?.message ?? error))
  if (match) {
    const inner = bound.errorRegistry.consumeError(Number(match[1]))
    return new Error(`${error.message}: ${JSON.stringify(inner?.error ?? inner)}`)
  }
  return error
}
