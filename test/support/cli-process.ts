import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { TestDatabase } from './test-database.js'
import { appUsesRedis, testRedisUrl } from './test-env.js'

/** The built CLI, exactly as `npx switchboard` runs it (the suite builds first: `npm test`). */
export const cliPath = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url))

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/** Environment for a CLI run against a test database (and Redis in the PostgreSQL + Redis variant). */
export function cliEnv(db: TestDatabase, port: number, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    SWITCHBOARD_DATA_DIR: db.dataDir,
    DATABASE_URL: db.url,
    PORT: String(port),
    LOG_FORMAT: 'json',
    SWITCHBOARD_PASSWORD_COST: '10',
    ...extra,
  }
  if (appUsesRedis && testRedisUrl) {
    env.REDIS_URL = testRedisUrl
    env.SWITCHBOARD_REDIS_PREFIX = `sbtest:${randomBytes(4).toString('hex')}:`
  }
  return env
}

export function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { env, encoding: 'utf8', timeout: 60_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

export interface RunningServer {
  proc: ChildProcess
  url: string
  output(): string
  /** SIGTERM, and the exit code */
  stop(): Promise<number | null>
  /** SIGKILL: no shutdown at all */
  kill9(): Promise<void>
}

/** `switchboard start`, resolved once /health answers. */
export async function startServer(env: Record<string, string>, timeoutMs = 45_000): Promise<RunningServer> {
  // as the CLI's own shebang starts it: isolated-vm (the plugin sandbox) needs --no-node-snapshot
  const proc = spawn(process.execPath, ['--no-node-snapshot', cliPath, 'start'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${env.PORT}`
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`switchboard start exited with ${proc.exitCode}:\n${out}`)
    try {
      const res = await fetch(`${url}/health`)
      if (res.ok && out.includes('Switchboard is running at')) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL')
      throw new Error(`switchboard start did not become healthy in ${timeoutMs} ms:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    proc,
    url,
    output: () => out,
    async stop() {
      proc.kill('SIGTERM')
      return exited
    },
    async kill9() {
      proc.kill('SIGKILL')
      await exited
    },
  }
}

export async function login(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

export async function api<T = unknown>(
  url: string,
  path: string,
  token: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
}

export function printedAdmin(output: string): { email: string; password: string } {
  const email = /email:\s+(\S+)/.exec(output)?.[1]
  const password = /password:\s+(\S+)/.exec(output)?.[1]
  if (!email || !password) throw new Error(`no admin credentials in the output:\n${output}`)
  return { email, password }
}

export function cliAvailable(): boolean {
  return spawnSync(process.execPath, [cliPath, '--version']).status === 0
}
