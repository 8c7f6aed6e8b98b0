// The foundation's costs on this machine: first start (migrations, secrets, admin, demo data),
// a restart, and HTTP throughput for a public route and for authenticated API calls (a bearer
// token looked up in SQLite on every request), with the server's memory after the load.
// Load generator (autocannon) and server share the machine; bounded runs of 10 s each.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'

const cli = new URL('../../cli/dist/main.js', import.meta.url).pathname
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = 50

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

async function start(env) {
  const began = performance.now()
  const proc = spawn(process.execPath, [cli, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  proc.stdout.on('data', (d) => (out += d))
  proc.stderr.on('data', (d) => (out += d))
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${env.PORT}/health`)).ok) break
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null) throw new Error(out)
    await new Promise((r) => setTimeout(r, 20))
  }
  return { proc, ms: performance.now() - began, output: () => out }
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024)
}

async function load(title, url, headers = {}) {
  const r = await autocannon({ url, connections, duration: seconds, headers })
  const errors = r.errors + r.non2xx
  console.log(
    `| ${title} | ${Math.round(r.requests.average).toLocaleString('en')} | ${r.latency.p50} | ${r.latency.p99} | ${errors} |`,
  )
  return r
}

const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-'))
const env = {
  PATH: process.env.PATH,
  SWITCHBOARD_DATA_DIR: dataDir,
  PORT: String(await freePort()),
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
}
try {
  const first = await start(env)
  const admin = /email:\s+(\S+)[\s\S]*?password:\s+(\S+)/.exec(first.output())
  first.proc.kill('SIGTERM')
  await new Promise((r) => first.proc.once('exit', r))
  const server = await start(env)
  console.log(`first start (new data dir: secrets, migrations, admin, demo data): ${Math.round(first.ms)} ms`)
  console.log(`restart (existing data dir): ${Math.round(server.ms)} ms`)
  console.log(`memory after start: ${rssMiB(server.proc.pid)} MiB RSS\n`)

  const base = `http://127.0.0.1:${env.PORT}`
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin[1], password: admin[2] }),
  })
  const { token } = await login.json()
  const auth = { authorization: `Bearer ${token}` }

  console.log(`${connections} connections, ${seconds} s each, node ${process.version}\n`)
  console.log('| route | req/s | p50 ms | p99 ms | errors |')
  console.log('|---|---:|---:|---:|---:|')
  await load('GET /health (database ping)', `${base}/health`)
  await load('GET /api/v1/auth/me (bearer token → session in SQLite)', `${base}/api/v1/auth/me`, auth)
  await load('GET /api/v1/users (5 users with teams)', `${base}/api/v1/users`, auth)
  await load('GET /api/v1/contacts?phone=… (keyed hash + decrypt)', `${base}/api/v1/contacts?phone=13800138000`, auth)
  console.log(`\nmemory after the load: ${rssMiB(server.proc.pid)} MiB RSS`)
  server.proc.kill('SIGTERM')
  await new Promise((r) => server.proc.once('exit', r))
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
