import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './load-config.js'

const dir = () => mkdtempSync(join(tmpdir(), 'sb-config-'))
const messageOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected an error')
}

describe('loadConfig', () => {
  it('has working defaults: port 3000 on 127.0.0.1, ./data, SQLite, no Redis', () => {
    const cwd = dir()
    const config = loadConfig({ env: {}, cwd })
    expect(config.server).toMatchObject({ port: 3000, host: '127.0.0.1' })
    expect(config.data.dir).toBe(join(cwd, 'data'))
    expect(config.database.url).toBeUndefined()
    expect(config.redis.url).toBeUndefined()
    expect(config.sources['server.port']).toBe('default')
  })

  it('reads environment variables and converts their types', () => {
    const config = loadConfig({
      env: {
        PORT: '8080',
        SWITCHBOARD_SESSION_TTL: '30m',
        SWITCHBOARD_MIGRATE_ON_START: 'false',
        REDIS_URL: 'redis://127.0.0.1:6379/2',
      },
      cwd: dir(),
    })
    expect(config.server.port).toBe(8080)
    expect(config.auth.sessionTtl).toBe(30 * 60_000)
    expect(config.database.migrateOnStart).toBe(false)
    expect(config.redis.url).toBe('redis://127.0.0.1:6379/2')
    expect(config.sources['server.port']).toBe('env')
  })

  it('names the bad key, the variable and what it expects, in one line', () => {
    const message = messageOf(() => loadConfig({ env: { PORT: 'eighty' }, cwd: dir() }))
    expect(message).toBe(
      'Invalid configuration: PORT (server.port) must be a whole number from 0 to 65535; got "eighty"',
    )
    expect(message).not.toContain('\n')
  })

  it('reports every problem at once and hides secret values', () => {
    const message = messageOf(() =>
      loadConfig({
        env: { PORT: '-1', LOG_LEVEL: 'loud', SWITCHBOARD_COOKIE_SECRET: 'short-secret', DATABASE_URL: 'mysql://x' },
        cwd: dir(),
      }),
    )
    expect(message).toContain('PORT (server.port)')
    expect(message).toContain(
      'LOG_LEVEL (log.level) must be one of fatal, error, warn, info, debug, trace, silent; got "loud"',
    )
    expect(message).toContain(
      'DATABASE_URL (database.url) must be a URL starting with file: or postgresql:// or postgres://',
    )
    expect(message).toContain(
      'SWITCHBOARD_COOKIE_SECRET (auth.cookieSecret) must be a text of at least 32 characters; (secret value hidden)',
    )
    expect(message).not.toContain('short-secret')
  })

  it('reads switchboard.json in the data directory; environment variables win', () => {
    const cwd = dir()
    const data = join(cwd, 'data')
    mkdirSync(data)
    writeFileSync(
      join(data, 'switchboard.json'),
      JSON.stringify({ server: { port: 4000, host: '0.0.0.0' }, log: { level: 'warn' } }),
    )
    const config = loadConfig({ env: { PORT: '5000' }, cwd })
    expect(config.server).toMatchObject({ port: 5000, host: '0.0.0.0' })
    expect(config.log.level).toBe('warn')
    expect(config.sources['server.host']).toBe('file')
    expect(config.configFile).toBe(join(data, 'switchboard.json'))
  })

  it('names unknown keys and bad values in the config file', () => {
    const cwd = dir()
    const file = join(cwd, 'custom.json')
    writeFileSync(file, JSON.stringify({ server: { prot: 1, port: 'x' }, databse: {} }))
    const message = messageOf(() => loadConfig({ env: { SWITCHBOARD_CONFIG: file }, cwd }))
    expect(message).toContain(`server.port in ${file} must be a whole number`)
    expect(message).toContain(`unknown key "server.prot" in ${file}`)
    expect(message).toContain(`unknown section "databse" in ${file}`)
  })

  it('says so when the config file is not JSON or does not exist', () => {
    const cwd = dir()
    writeFileSync(join(cwd, 'broken.json'), '{ port: 1 ')
    expect(messageOf(() => loadConfig({ env: { SWITCHBOARD_CONFIG: 'broken.json' }, cwd }))).toMatch(
      /broken\.json is not valid JSON/,
    )
    expect(messageOf(() => loadConfig({ env: { SWITCHBOARD_CONFIG: 'missing.json' }, cwd }))).toMatch(
      /SWITCHBOARD_CONFIG points to .*missing\.json, which does not exist/,
    )
  })
})
