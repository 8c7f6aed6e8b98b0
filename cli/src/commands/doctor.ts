import { accessSync, constants, existsSync, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import type { Command } from 'commander'
import { Redis } from 'ioredis'
import {
  databaseTarget,
  loadConfig,
  loadSecrets,
  openDatabase,
  readMigrations,
  redactUrl,
  sandboxEngineInfo,
  checkVoiceEdge,
  type Config,
} from '@switchboard/core'

interface Check {
  name: string
  ok: boolean
  detail: string
  fix?: string
  /** a problem worth knowing that does not stop Switchboard */
  warning?: boolean
}

const MIN_NODE = [20, 19]

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check this machine and configuration: Node version, config, data directory, secrets, database, Redis, plugin sandbox, port, voice edge (Kamailio, rtpengine)',
    )
    .action(async () => {
      const checks: Check[] = []
      const add = (c: Check) => {
        checks.push(c)
        process.stdout.write(
          `${c.ok ? '✔' : '✖'} ${c.name}: ${c.detail}\n${!c.ok && c.fix ? `    fix: ${c.fix}\n` : ''}`,
        )
      }
      const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
      const nodeOk = major > MIN_NODE[0]! || (major === MIN_NODE[0] && minor >= MIN_NODE[1]!)
      add({
        name: 'Node.js',
        ok: nodeOk,
        detail: process.versions.node,
        fix: 'install Node.js 20.19 or newer (22 or 24 LTS recommended)',
      })

      let config: Config
      try {
        config = loadConfig()
        add({
          name: 'configuration',
          ok: true,
          detail: config.configFile ? `valid (file ${config.configFile})` : 'valid (environment and defaults)',
        })
      } catch (error) {
        add({
          name: 'configuration',
          ok: false,
          detail: (error as Error).message,
          fix: 'correct the named key (docs/configuration.md lists every setting)',
        })
        return finish(checks)
      }

      add(checkDataDir(config.data.dir))
      try {
        loadSecrets(config)
        add({ name: 'secrets', ok: true, detail: 'cookie secret and PII keys present' })
      } catch (error) {
        add({
          name: 'secrets',
          ok: false,
          detail: (error as Error).message,
          fix: 'run `switchboard init` (or `npm start`, which does it)',
        })
      }
      add(await checkDatabase(config))
      if (config.redis.url) add(await checkRedis(config.redis.url))
      else add({ name: 'Redis', ok: true, detail: 'not configured: shared state is in-process (one instance)' })
      add(checkPluginSandbox(config.plugins.enabled))
      add(await checkPort(config.server.host, config.server.port))
      // voice: the programs, `kamailio -c` on the generated configuration, the ports (answered or free)
      for (const check of await checkVoiceEdge(config.voice, config.data.dir))
        add({ ...check, name: check.name === 'voice' ? 'voice' : `voice: ${check.name}` })
      finish(checks)
    })
}

function finish(checks: Check[]): void {
  const failed = checks.filter((c) => !c.ok).length
  process.stdout.write(failed ? `\n${failed} problem(s) found.\n` : '\nAll checks passed.\n')
  process.exitCode = failed ? 1 : 0
}

function checkDataDir(dir: string): Check {
  try {
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true })
    accessSync(dir, constants.W_OK)
    return { name: 'data directory', ok: true, detail: `${dir} (writable)` }
  } catch (error) {
    return {
      name: 'data directory',
      ok: false,
      detail: `${dir}: ${(error as Error).message}`,
      fix: 'set SWITCHBOARD_DATA_DIR to a directory this user can write',
    }
  }
}

async function checkDatabase(config: Config): Promise<Check> {
  const target = databaseTarget(config)
  const where = target.provider === 'sqlite' ? target.file : redactUrl(target.url)
  if (target.provider === 'sqlite' && !existsSync(target.file)) {
    return {
      name: 'database',
      ok: false,
      detail: `SQLite file ${where} does not exist yet`,
      fix: 'run `switchboard init` or `npm start`',
    }
  }
  try {
    const db = await openDatabase(target)
    try {
      const rows = (await db.$queryRawUnsafe(
        'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL',
      )) as Array<{ migration_name: string }>
      const applied = new Set(rows.map((r) => r.migration_name))
      const pending = readMigrations(target.provider).filter((m) => !applied.has(m.name))
      if (pending.length) {
        return {
          name: 'database',
          ok: false,
          detail: `${target.provider} ${where}: ${pending.length} migration(s) pending`,
          fix: 'run `switchboard migrate` (or start the server)',
        }
      }
      return {
        name: 'database',
        ok: true,
        detail: `${target.provider} ${where}, schema up to date (${applied.size} migration(s))`,
      }
    } finally {
      await db.$disconnect()
    }
  } catch (error) {
    const message = (error as Error).message
    return {
      name: 'database',
      ok: false,
      detail: `${target.provider} ${where}: ${message.split('\n')[0]}`,
      fix: /_prisma_migrations/.test(message)
        ? 'run `switchboard migrate`'
        : 'check DATABASE_URL and that the database server is running and reachable',
    }
  }
}

async function checkRedis(url: string): Promise<Check> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: () => null,
  })
  client.on('error', () => undefined)
  try {
    await client.connect()
    const info = await client.info('server')
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?'
    return { name: 'Redis', ok: true, detail: `${redactUrl(url)} (Redis ${version})` }
  } catch (error) {
    return {
      name: 'Redis',
      ok: false,
      detail: `${redactUrl(url)}: ${(error as Error).message}`,
      fix: 'start redis-server, or unset REDIS_URL to run a single instance without Redis',
    }
  } finally {
    client.disconnect()
  }
}

function checkPort(host: string, port: number): Promise<Check> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) =>
      resolve({
        name: 'port',
        ok: false,
        detail: `${host}:${port} is not free (${error.code})${error.code === 'EADDRINUSE' ? ' — is Switchboard already running?' : ''}`,
        fix: 'stop what uses it, or set PORT to another port',
      }),
    )
    probe.listen(port, host, () =>
      probe.close(() => resolve({ name: 'port', ok: true, detail: `${host}:${port} is free` })),
    )
  })
}

/** isolated-vm: which build loaded (6.x on Node 22/24, 5.0.4 on Node 20), or why none did. */
function checkPluginSandbox(enabled: boolean): Check {
  if (!enabled)
    return { name: 'plugin sandbox', ok: true, detail: 'plugins are turned off (SWITCHBOARD_PLUGINS=false)' }
  const engine = sandboxEngineInfo()
  if (!engine.loaded)
    return {
      name: 'plugin sandbox',
      ok: false,
      detail: `no isolated-vm build loads on Node ${process.versions.node}: ${engine.tried
        .map((t) => `${t.name}: ${t.error}`)
        .join('; ')}`,
      fix: 'use Node 20, 22 or 24 LTS and run `npm ci` again (isolated-vm builds from source on Node 20: it needs make, g++ and python3)',
    }
  const flag = engine.noNodeSnapshot
    ? ''
    : ' (start Node with --no-node-snapshot, as `npm start` and the switchboard command do)'
  return { name: 'plugin sandbox', ok: true, detail: `isolated-vm ${engine.version} (${engine.loaded})${flag}` }
}
