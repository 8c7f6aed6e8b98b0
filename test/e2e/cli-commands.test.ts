import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { api, cliEnv, freePort, login, runCli, startServer } from '../support/cli-process.js'

let db: TestDatabase
let env: Record<string, string>
beforeAll(async () => {
  db = await createTestDatabase()
  env = cliEnv(db, await freePort(), { LOG_LEVEL: 'warn' })
})
afterAll(() => db.drop())

describe('switchboard CLI', () => {
  it('--help lists every command, and each command has its own help', () => {
    const help = runCli(['--help'], env)
    expect(help.status).toBe(0)
    for (const command of ['start', 'init', 'migrate', 'user', 'doctor', 'pii', 'config'])
      expect(help.stdout).toContain(command)
    for (const args of [
      ['start'],
      ['init'],
      ['migrate'],
      ['user', 'create'],
      ['user', 'list'],
      ['doctor'],
      ['pii', 'rotate-key'],
      ['config'],
    ]) {
      const sub = runCli([...args, '--help'], env)
      expect(sub.status, args.join(' ')).toBe(0)
      expect(sub.stdout).toMatch(/^Usage: switchboard/)
    }
  })

  it('bad configuration is one clear line naming the key, exit code 2', () => {
    const res = runCli(['start'], { ...env, PORT: 'eighty' })
    expect(res.status).toBe(2)
    expect(res.stderr.trim().split('\n')).toEqual([
      'switchboard: Invalid configuration: PORT (server.port) must be a whole number from 0 to 65535; got "eighty"',
    ])
  })

  it('init creates secrets.json (0600), migrates, creates the given admin; running it again changes nothing', () => {
    const first = runCli(
      ['init', '--admin-email', 'boss@shop.cn', '--admin-password', 'a long enough password', '--no-demo'],
      env,
    )
    expect(first.status, first.stderr).toBe(0)
    expect(first.stdout).toContain('Created secrets.json')
    const secrets = join(db.dataDir, 'secrets.json')
    expect(statSync(secrets).mode & 0o777).toBe(0o600)
    expect(Object.keys(JSON.parse(readFileSync(secrets, 'utf8'))).sort()).toEqual([
      'cookieSecret',
      'piiHashKey',
      'piiKeys',
    ])
    const again = runCli(['init'], env)
    expect(again.status).toBe(0)
    expect(again.stdout).toContain('Already initialised; nothing to do.')
    expect(runCli(['migrate'], env).stdout).toMatch(/Up to date \(\d+ migration\(s\) applied earlier\)/)
  })

  it('user create / user list, with clear errors for bad input', { timeout: 90_000 }, () => {
    const ok = runCli(
      [
        'user',
        'create',
        '--email',
        'agent.zhao@shop.cn',
        '--password',
        'another long password',
        '--role',
        'agent',
        '--name',
        '赵六',
      ],
      env,
    )
    expect(ok.status, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(/Created agent agent\.zhao@shop\.cn/)
    const badRole = runCli(
      ['user', 'create', '--email', 'x@shop.cn', '--password', 'another long password', '--role', 'boss'],
      env,
    )
    expect(badRole.status).toBe(2)
    expect(badRole.stderr).toMatch(/role/)
    const missing = runCli(['user', 'create', '--email', 'x@shop.cn'], env)
    expect(missing.status).not.toBe(0)
    expect(missing.stderr).toMatch(/required option '--password <password>' not specified/)
    const duplicate = runCli(
      ['user', 'create', '--email', 'AGENT.ZHAO@shop.cn', '--password', 'another long password', '--role', 'agent'],
      env,
    )
    expect(duplicate.stderr.trim()).toBe('switchboard: A user with email agent.zhao@shop.cn already exists')
    const list = runCli(['user', 'list'], env)
    expect(list.stdout).toMatch(/boss@shop\.cn\s+Administrator\s+admin/)
    expect(list.stdout).toMatch(/agent\.zhao@shop\.cn\s+赵六\s+agent/)
    const json = JSON.parse(runCli(['user', 'list', '--json', '--role', 'agent'], env).stdout) as Array<{
      email: string
    }>
    expect(json.map((u) => u.email)).toEqual(['agent.zhao@shop.cn'])
  })

  it('doctor passes on a healthy install and explains what is wrong otherwise', () => {
    const healthy = runCli(['doctor'], env)
    expect(healthy.status, healthy.stdout).toBe(0)
    expect(healthy.stdout).toContain('All checks passed.')
    expect(healthy.stdout).toMatch(/✔ database: (sqlite|postgresql) .*schema up to date/)

    const broken = runCli(['doctor'], {
      ...env,
      DATABASE_URL: 'postgresql://nobody:wrong@127.0.0.1:1/none',
      REDIS_URL: 'redis://127.0.0.1:1',
    })
    expect(broken.status).toBe(1)
    expect(broken.stdout).toMatch(/✖ database: postgresql .*\n\s+fix: check DATABASE_URL/)
    expect(broken.stdout).toMatch(/✖ Redis: redis:\/\/127\.0\.0\.1:1.*\n\s+fix: start redis-server/)
    expect(broken.stdout).toMatch(/2 problem\(s\) found/)
    const badConfig = runCli(['doctor'], { ...env, LOG_LEVEL: 'loud' })
    expect(badConfig.stdout).toMatch(/✖ configuration: Invalid configuration: LOG_LEVEL \(log\.level\)/)
  })

  it('pii rotate-key re-encrypts every contact under a new key; retire-keys drops the old one; data still reads', async () => {
    // some personal data to rotate: start the server once and create a contact through the API
    let server = await startServer(env)
    let token = await login(server.url, 'boss@shop.cn', 'a long enough password')
    const created = await api<{ id: string }>(server.url, '/api/v1/contacts', token, {
      method: 'POST',
      body: { name: '周先生', phone: '13700001111', identities: [{ channel: 'phone', address: '13700001111' }] },
    })
    expect(created.status).toBe(201)
    await server.stop()

    const keysBefore = JSON.parse(readFileSync(join(db.dataDir, 'secrets.json'), 'utf8')).piiKeys as Array<{
      id: string
    }>
    const rotate = runCli(['pii', 'rotate-key'], env)
    expect(rotate.status, rotate.stderr).toBe(0)
    expect(rotate.stdout).toMatch(/Re-encrypted \d+ record\(s\) with key (k\S+)\./)
    const keysAfter = JSON.parse(readFileSync(join(db.dataDir, 'secrets.json'), 'utf8')).piiKeys as Array<{
      id: string
    }>
    expect(keysAfter).toHaveLength(2)
    expect(keysAfter[1]!.id).toBe(keysBefore[0]!.id)
    const status = runCli(['pii', 'status'], env).stdout
    expect(status).toMatch(new RegExp(`${keysAfter[0]!.id}\\s+active\\s+[1-9]`))
    expect(status).toMatch(new RegExp(`${keysBefore[0]!.id}\\s+decrypt-only\\s+0`))

    expect(runCli(['pii', 'retire-keys'], env).status).toBe(0)
    expect(JSON.parse(readFileSync(join(db.dataDir, 'secrets.json'), 'utf8')).piiKeys).toHaveLength(1)

    server = await startServer(env)
    token = await login(server.url, 'boss@shop.cn', 'a long enough password')
    const found = await api<Array<{ id: string; name: string }>>(
      server.url,
      '/api/v1/contacts?phone=137-0000-1111',
      token,
    )
    expect(found.body.map((c) => c.name)).toEqual(['周先生'])
    await server.stop()
    expect(existsSync(join(db.dataDir, 'secrets.json'))).toBe(true)
  })

  it('config shows each value and where it comes from, hiding secrets', () => {
    const out = runCli(['config'], { ...env, SWITCHBOARD_COOKIE_SECRET: 'x'.repeat(40) }).stdout
    expect(out).toMatch(/server\.port\s+PORT\s+\d+\s+env/)
    expect(out).toMatch(/auth\.cookieSecret\s+SWITCHBOARD_COOKIE_SECRET\s+\(set, hidden\)\s+env/)
    expect(out).not.toContain('x'.repeat(40))
  })
})
