// One chat-bot turn, Switchboard against Node-RED, side by side on this machine.
//
// Switchboard: the built server (`switchboard start`, SQLite in a temporary data directory,
// LOG_LEVEL=warn, no demo data) runs an order-status bot. One turn is
//   ask (resume with the customer's text) → switch ($contains on input.text) → extract-entity
//   (order number) → send-message ({{ }} template) → ask (wait for the next input)
// and ends with the run, its trace (the five steps, one row) and the idempotency key saved in one
// transaction (shared with the other turns of the same tick), answered after the COMMIT.
// N runs are started first; autocannon then POSTs /api/v1/runs/{id}/events (admin bearer token,
// a unique key per request), every request a turn of a run no other connection is using.
// The same turns are also driven in-process (engine.deliver, no HTTP) to separate HTTP and
// authentication from engine + persistence, and a short instrumented pass counts the SQL
// statements of a turn and times its parts. Each server's CPU time per turn (all its threads, from
// /proc) is printed as well: on a busy shared machine it varies less than the turns per second.
//
// Node-RED 4.1.8 (installed once into .tmp/bench-node-red, reused afterwards): http in →
// switch → change (JSONata) → template → http response, and the same with one function node;
// nothing is persisted. Same connections, duration, URL shape and body.
//
// BENCH_SECONDS (10), BENCH_CONNECTIONS (50), BENCH_RUNS (200); BENCH_PROFILE=1 (or a directory to
// keep it in) also records a CPU profile of the Switchboard server during its load and prints where the time went.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const root = fileURLToPath(new URL('../../', import.meta.url))
const cli = join(root, 'cli/dist/main.js')
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
const runCount = Math.max(Number(process.env.BENCH_RUNS ?? 200), 2 * connections)
// BENCH_PROFILE=1: profile into a temporary directory; BENCH_PROFILE=<dir>: keep the profile there
const profile = process.env.BENCH_PROFILE
const warmupSeconds = Math.min(2, seconds)
const NODE_RED = '4.1.8'
const nodeRedDir = join(root, '.tmp/bench-node-red')
const text = 'Hi, where is my order 12345678? It has not arrived yet.'
const reply = 'Order 12345678 has shipped and should arrive tomorrow.'

// ── child processes: always ended, also when the benchmark fails ──────────────────────────
const children = new Set()
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130))

function launch(args, options) {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options })
  let out = ''
  proc.stdout.on('data', (d) => (out += d))
  proc.stderr.on('data', (d) => (out += d))
  children.add(proc)
  const exited = new Promise((resolve) => proc.once('exit', resolve))
  exited.then(() => children.delete(proc))
  return {
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    },
  }
}

async function until(what, child, probe, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.proc.exitCode !== null) throw new Error(`${what} exited with ${child.proc.exitCode}:\n${child.output()}`)
    try {
      if (await probe()) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not start in ${timeoutMs} ms:\n${child.output()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

async function call(url, { method = 'GET', headers = {}, body } = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const raw = await res.text()
  let json
  try {
    json = raw ? JSON.parse(raw) : undefined
  } catch {
    json = raw
  }
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${raw}`)
  return json
}

// autocannon stops without waiting for the answers in flight: let the server finish them first
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500))

// ── load: every request a turn of a run that no other connection is using ─────────────────
async function drive({ port, pathFor, headers = {}, runIds, duration }) {
  const busy = new Uint8Array(runIds.length)
  const tag = randomBytes(4).toString('hex')
  let next = 0
  let seq = 0
  // a saturated Node server accepts new connections slowly (about one per event-loop turn), so a
  // connection's first answer also measures the connection ramp-up; percentiles leave it out
  const latencies = []
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    setupClient(client) {
      let first = true
      client.on('response', (_status, _bytes, responseTime) => {
        if (first) first = false
        else latencies.push(responseTime)
      })
    },
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        setupRequest(req, context) {
          let i = next
          for (let k = 0; k < runIds.length && busy[i]; k++) i = (i + 1) % runIds.length
          next = (i + 1) % runIds.length
          busy[i] = 1
          context.run = i
          const key = `bench:${tag}:${++seq}`
          return { ...req, path: pathFor(runIds[i]), body: JSON.stringify({ kind: 'input', text, key }) }
        },
        onResponse(_status, _body, context) {
          busy[context.run] = 0
        },
      },
    ],
  })
  return {
    turns: result['2xx'],
    perSecond: result['2xx'] / result.duration,
    ...percentiles(latencies),
    p99WithRampUp: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  }
}

// ── Switchboard ───────────────────────────────────────────────────────────────────────────
const botFlow = {
  name: 'Bench order-status bot',
  kind: 'bot',
  document: {
    schemaVersion: 1,
    variables: {},
    nodes: [
      { id: 'start', type: 'start', config: {} },
      { id: 'greet', type: 'ask', config: { prompt: 'Hi! How can I help?', variable: 'message' } },
      {
        id: 'route',
        type: 'switch',
        config: {
          cases: [
            { port: 'order', when: '$contains($lowercase(input.text), "order") or $contains(input.text, "订单")' },
            { port: 'refund', when: '$contains($lowercase(input.text), "refund")' },
          ],
        },
      },
      { id: 'orderNo', type: 'extract-entity', config: { entity: 'order-number', variable: 'orderNumber' } },
      {
        id: 'status',
        type: 'send-message',
        config: { text: 'Order {{ vars.orderNumber }} has shipped and should arrive tomorrow.' },
      },
      { id: 'askNo', type: 'send-message', config: { text: 'What is your order number?' } },
      { id: 'refund', type: 'send-message', config: { text: 'I can help with a refund.' } },
      { id: 'other', type: 'send-message', config: { text: 'Sorry, I did not get that.' } },
      { id: 'more', type: 'ask', config: { prompt: 'Anything else?', variable: 'message' } },
    ],
    edges: [
      { from: 'start', port: 'next', to: 'greet' },
      { from: 'greet', port: 'next', to: 'route' },
      { from: 'route', port: 'order', to: 'orderNo' },
      { from: 'route', port: 'refund', to: 'refund' },
      { from: 'route', port: 'default', to: 'other' },
      { from: 'orderNo', port: 'found', to: 'status' },
      { from: 'orderNo', port: 'not-found', to: 'askNo' },
      { from: 'status', port: 'next', to: 'more' },
      { from: 'askNo', port: 'next', to: 'more' },
      { from: 'refund', port: 'next', to: 'more' },
      { from: 'other', port: 'next', to: 'more' },
      { from: 'more', port: 'next', to: 'route' },
    ],
  },
}

function checkTurn(body, who) {
  const texts = (body?.outputs ?? []).map((o) => o.text)
  if (body?.status !== 'waiting' || texts[0] !== reply || texts[1] !== 'Anything else?')
    throw new Error(`${who}: unexpected turn ${JSON.stringify(body)}`)
}

async function switchboardOverHttp(env, profileDir) {
  const args = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), cli, 'start', '--no-demo']
  const spawnedAt = performance.now()
  const server = launch(args, { env })
  const base = `http://127.0.0.1:${env.PORT}`
  try {
    await until('switchboard start', server, async () => {
      const res = await fetch(`${base}/health`)
      return res.ok && server.output().includes('Switchboard is running at')
    })
    const email = /email:\s+(\S+)/.exec(server.output())?.[1]
    const password = /password:\s+(\S+)/.exec(server.output())?.[1]
    const { token } = await call(`${base}/api/v1/auth/login`, { method: 'POST', body: { email, password } })
    const auth = { authorization: `Bearer ${token}` }
    await call(`${base}/api/v1/flows/import`, { method: 'POST', headers: auth, body: { flow: botFlow, publish: true } })

    const runIds = []
    for (let i = 0; i < runCount; i += 20) {
      const batch = Array.from({ length: Math.min(20, runCount - i) }, (_, k) =>
        call(`${base}/api/v1/runs`, {
          method: 'POST',
          headers: auth,
          body: { flow: botFlow.name, key: `bench:start:${i + k}` },
        }),
      )
      for (const started of await Promise.all(batch)) runIds.push(started.runId)
    }
    const first = await call(`${base}/api/v1/runs/${runIds[0]}/events`, {
      method: 'POST',
      headers: auth,
      body: { kind: 'input', text, key: 'bench:check' },
    })
    checkTurn(first, 'Switchboard')

    const pathFor = (id) => `/api/v1/runs/${id}/events`
    await drive({ port: env.PORT, pathFor, headers: auth, runIds, duration: warmupSeconds })
    await settle()
    const loadStart = performance.now() - spawnedAt
    const cpuBefore = cpuSeconds(server.proc.pid)
    const result = await drive({ port: env.PORT, pathFor, headers: auth, runIds, duration: seconds })
    result.cpuUs = cpuPerTurn(server.proc.pid, cpuBefore, result)
    const loadEnd = performance.now() - spawnedAt
    const rss = Math.round(
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.proc.pid}/status`, 'utf8'))[1]) / 1024,
    )
    return { result, runIds, rss, window: [loadStart, loadEnd] }
  } finally {
    await server.stop()
  }
}

/** CPU seconds a process has used so far, all its threads (user + system, /proc/<pid>/stat). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}
const cpuPerTurn = (pid, before, result) => ((cpuSeconds(pid) - before) * 1e6) / result.turns

function percentiles(latencies) {
  const sorted = Float64Array.from(latencies).sort()
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) }
}

/** Turns through engine.deliver, `concurrency` at a time, each worker on its own runs. */
async function deliverLoop(engine, runIds, concurrency, duration) {
  const latencies = []
  let errors = 0
  let seq = 0
  const tag = randomBytes(4).toString('hex')
  const cpuBefore = process.cpuUsage()
  const began = performance.now()
  const end = began + duration * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      const mine = runIds.filter((_, i) => i % concurrency === w)
      for (let i = 0; performance.now() < end; i++) {
        const t0 = performance.now()
        try {
          await engine.deliver(mine[i % mine.length], { kind: 'input', text }, { eventKey: `inproc:${tag}:${++seq}` })
          latencies.push(performance.now() - t0)
        } catch {
          errors++
        }
      }
    }),
  )
  const elapsed = (performance.now() - began) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length
  return {
    perSecond: latencies.length / elapsed,
    mean,
    ...percentiles(latencies),
    errors,
    turns: latencies.length,
    cpuUs: (cpu.user + cpu.system) / latencies.length,
  }
}

/** Counts and times what one turn does: store calls, SQL statements (at the better-sqlite3 level), nodes. */
async function instrumentedTurns(app, runIds, concurrency, duration) {
  // better-sqlite3 as Prisma's adapter loads it and as core loads it (the same module, normally)
  const coreRequire = createRequire(join(root, 'core/package.json'))
  const adapterRequire = createRequire(coreRequire.resolve('@prisma/adapter-better-sqlite3'))
  const classes = [...new Set([adapterRequire('better-sqlite3'), coreRequire('better-sqlite3')])].map((Database) => {
    const scratch = new Database(':memory:')
    const Statement = scratch.prepare('SELECT 1').constructor
    scratch.close()
    return { Database, Statement }
  })

  const t = { statements: 0, prepares: 0, prepareMs: 0, executeMs: 0, txHoldMs: 0, txCount: 0, nodesMs: 0, steps: 0 }
  const bySql = new Map()
  const calls = {}
  let txOpenedAt = 0
  const restore = []
  for (const { Database, Statement } of classes) {
    const prepare = Database.prototype.prepare
    restore.push(() => (Database.prototype.prepare = prepare))
    Database.prototype.prepare = function (sql) {
      const t0 = performance.now()
      try {
        return prepare.call(this, sql)
      } finally {
        t.prepareMs += performance.now() - t0
        t.prepares++
      }
    }
    for (const name of ['run', 'all', 'get', 'iterate']) {
      const original = Statement.prototype[name]
      restore.push(() => (Statement.prototype[name] = original))
      Statement.prototype[name] = function (...args) {
        const sql = this.source
        const t0 = performance.now()
        if (sql === 'BEGIN' || sql.startsWith('BEGIN ')) txOpenedAt = t0
        try {
          return original.apply(this, args)
        } finally {
          const t1 = performance.now()
          t.executeMs += t1 - t0
          t.statements++
          const shape = sql
            .replace(/\s+/g, ' ')
            .replace(/[`"]/g, '')
            .replace(/main\./g, '')
            .slice(0, 60)
          const entry = bySql.get(shape) ?? bySql.set(shape, { count: 0, ms: 0 }).get(shape)
          entry.count++
          entry.ms += t1 - t0
          if (sql === 'COMMIT' || sql === 'ROLLBACK') {
            t.txHoldMs += t1 - txOpenedAt
            t.txCount++
          }
        }
      }
    }
  }
  const store = app.services.flowRuntime.store
  const storeOriginals = {}
  for (const name of ['loadForDelivery', 'loadVersion', 'saveTurn']) {
    storeOriginals[name] = store[name]
    calls[name] = 0
    store[name] = async function (...args) {
      if (name === 'saveTurn') {
        for (const step of args[1]) t.nodesMs += step.durationMs
        t.steps += args[1].length
      }
      const t0 = performance.now()
      try {
        return await storeOriginals[name].apply(this, args)
      } finally {
        calls[name] += performance.now() - t0
      }
    }
  }
  try {
    const result = await deliverLoop(app.services.flowRuntime.engine, runIds, concurrency, duration)
    const n = result.turns
    const us = (ms) => Math.round((ms / n) * 1000)
    return {
      concurrency,
      turns: n,
      statements: t.statements / n,
      prepares: t.prepares / n,
      sql: [...bySql].map(([shape, { count, ms }]) => [shape, count / n, us(ms)]),
      perSecond: result.perSecond,
      turnUs: Math.round(result.mean * 1000),
      storeUs: Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, us(v)])),
      sqliteUs: us(t.prepareMs + t.executeMs),
      prepareUs: us(t.prepareMs),
      txHoldUs: t.txCount ? Math.round((t.txHoldMs / t.txCount) * 1000) : 0,
      turnsPerCommit: t.txCount ? n / t.txCount : 0,
      nodesUs: us(t.nodesMs),
      steps: t.steps / n,
    }
  } finally {
    for (const undo of restore) undo()
    Object.assign(store, storeOriginals)
  }
}

async function switchboardInProcess(env, runIds) {
  const core = await import(join(root, 'core/dist/index.js'))
  const app = await core.createApp(core.loadConfig({ env }))
  try {
    const engine = app.services.flowRuntime.engine
    await deliverLoop(engine, runIds, connections, warmupSeconds)
    const parallel = await deliverLoop(engine, runIds, connections, seconds)
    const serial = await deliverLoop(engine, runIds, 1, seconds)
    const profiled = [
      await instrumentedTurns(app, runIds, 1, Math.min(3, seconds)),
      await instrumentedTurns(app, runIds, connections, Math.min(3, seconds)),
    ]
    return { parallel, serial, profiled }
  } finally {
    await app.stop()
  }
}

// ── Node-RED ──────────────────────────────────────────────────────────────────────────────
function installNodeRed() {
  mkdirSync(nodeRedDir, { recursive: true })
  // a CommonJS scope for the settings file: the repository's package.json says "type": "module"
  writeFileSync(join(nodeRedDir, 'package.json'), '{ "private": true, "type": "commonjs" }\n')
  const manifest = join(nodeRedDir, 'node_modules/node-red/package.json')
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).version === NODE_RED) return
  console.log(`installing node-red@${NODE_RED} into .tmp/bench-node-red (once) …`)
  const npm = spawnSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', nodeRedDir, `node-red@${NODE_RED}`],
    { cwd: nodeRedDir, encoding: 'utf8', timeout: 300_000 },
  )
  if (npm.status !== 0) throw new Error(`npm install node-red@${NODE_RED} failed:\n${npm.stdout}\n${npm.stderr}`)
}

// the same answer as Switchboard's: run id, status, both messages, the variables, what it waits for
const answer =
  '{"runId":"{{{req.params.id}}}","status":"waiting","outputs":[' +
  '{"kind":"message","text":"Order {{{orderNumber}}} has shipped and should arrive tomorrow."},' +
  '{"kind":"message","text":"Anything else?"}],' +
  '"variables":{"message":"{{{payload.text}}}","orderNumber":"{{{orderNumber}}}"},' +
  '"waitingFor":{"nodeId":"more","spec":{"for":"input"},"state":{"attempts":0}},"error":null,"duplicate":false}'
const orderRegex = String.raw`/(?:订单号?|order(?:\s*(?:no\.?|number|#))?)\s*[:：#]?\s*([A-Z0-9-]{5,24})|\b(\d{5,20})\b/i`
const template = (id, body, wires) => ({
  id,
  type: 'template',
  z: 'bench',
  field: 'payload',
  fieldType: 'msg',
  format: 'handlebars',
  syntax: 'mustache',
  template: body,
  output: 'json',
  wires: [wires],
})
const nodeRedFlows = [
  { id: 'bench', type: 'tab', label: 'bot turn' },
  // nodes: switch → change (JSONata) → template
  { id: 'in', type: 'http in', z: 'bench', url: '/api/v1/runs/:id/events', method: 'post', wires: [['route']] },
  {
    id: 'route',
    type: 'switch',
    z: 'bench',
    property: 'payload.text',
    propertyType: 'msg',
    rules: [
      { t: 'regex', v: 'order|订单', vt: 'str', case: true },
      { t: 'regex', v: 'refund', vt: 'str', case: true },
      { t: 'else' },
    ],
    checkall: 'false',
    outputs: 3,
    wires: [['extract'], ['refund'], ['other']],
  },
  {
    id: 'extract',
    type: 'change',
    z: 'bench',
    rules: [
      {
        t: 'set',
        p: 'orderNumber',
        pt: 'msg',
        to: `( $m := $match(payload.text, ${orderRegex})[0]; $m.groups[0] ? $m.groups[0] : $m.groups[1] )`,
        tot: 'jsonata',
      },
    ],
    wires: [['status']],
  },
  template('status', answer, ['out']),
  template('refund', answer.replace(/Order .*? tomorrow\./, 'I can help with a refund.'), ['out']),
  template('other', answer.replace(/Order .*? tomorrow\./, 'Sorry, I did not get that.'), ['out']),
  { id: 'out', type: 'http response', z: 'bench', statusCode: '', headers: {}, wires: [] },
  // the same in one function node
  { id: 'fnIn', type: 'http in', z: 'bench', url: '/fn/api/v1/runs/:id/events', method: 'post', wires: [['fn']] },
  {
    id: 'fn',
    type: 'function',
    z: 'bench',
    outputs: 1,
    func: `const input = String(msg.payload.text ?? '')
const lower = input.toLowerCase()
let text
let orderNumber
if (lower.includes('order') || input.includes('订单')) {
  const m = ${orderRegex}.exec(input)
  orderNumber = m ? (m[1] ?? m[2]) : undefined
  text = orderNumber ? 'Order ' + orderNumber + ' has shipped and should arrive tomorrow.' : 'What is your order number?'
} else if (lower.includes('refund')) text = 'I can help with a refund.'
else text = 'Sorry, I did not get that.'
msg.payload = {
  runId: msg.req.params.id,
  status: 'waiting',
  outputs: [{ kind: 'message', text }, { kind: 'message', text: 'Anything else?' }],
  variables: { message: input, orderNumber },
  waitingFor: { nodeId: 'more', spec: { for: 'input' }, state: { attempts: 0 } },
  error: null,
  duplicate: false,
}
return msg`,
    wires: [['fnOut']],
  },
  { id: 'fnOut', type: 'http response', z: 'bench', statusCode: '', headers: {}, wires: [] },
]

async function nodeRed(runIds) {
  installNodeRed()
  const userDir = mkdtempSync(join(nodeRedDir, 'run-'))
  const port = await freePort()
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(nodeRedFlows, null, 2))
  writeFileSync(
    join(userDir, 'settings.js'),
    `module.exports = ${JSON.stringify(
      {
        uiHost: '127.0.0.1',
        uiPort: port,
        userDir,
        flowFile: join(userDir, 'flows.json'),
        credentialSecret: false,
        httpAdminRoot: false,
        logging: { console: { level: 'warn', metrics: false, audit: false } },
        telemetry: { enabled: false },
        diagnostics: { enabled: false },
        externalModules: { autoInstall: false, palette: { allowInstall: false } },
      },
      null,
      2,
    )}\n`,
  )
  const red = launch([join(nodeRedDir, 'node_modules/node-red/red.js'), '--settings', join(userDir, 'settings.js')], {
    cwd: userDir,
    env: { PATH: process.env.PATH, HOME: userDir, NODE_ENV: 'production' },
  })
  try {
    const base = `http://127.0.0.1:${port}`
    const probe = (prefix) =>
      call(`${base}${prefix}/api/v1/runs/${runIds[0]}/events`, {
        method: 'POST',
        body: { kind: 'input', text, key: 'bench:check' },
      })
    await until('node-red', red, async () => Boolean(await probe('')))
    checkTurn(await probe(''), 'Node-RED (nodes)')
    checkTurn(await probe('/fn'), 'Node-RED (function)')
    const results = {}
    for (const [name, prefix] of [
      ['nodes', ''],
      ['function', '/fn'],
    ]) {
      const pathFor = (id) => `${prefix}/api/v1/runs/${id}/events`
      await drive({ port, pathFor, runIds, duration: warmupSeconds })
      await settle()
      const cpuBefore = cpuSeconds(red.proc.pid)
      results[name] = await drive({ port, pathFor, runIds, duration: seconds })
      results[name].cpuUs = cpuPerTurn(red.proc.pid, cpuBefore, results[name])
    }
    results.rss = Math.round(
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${red.proc.pid}/status`, 'utf8'))[1]) / 1024,
    )
    return results
  } finally {
    await red.stop()
    rmSync(userDir, { recursive: true, force: true })
  }
}

// ── CPU profile of the server under load: self time by package or core module ─────────────
const sqliteCalls = new Set(['run', 'get', 'all', 'iterate', 'exec', 'prepare'])
function summariseProfile(dir, [from, to]) {
  // CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile: thread 0 is the main thread (the WAL checkpoints run on another)
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile') && f.split('.')[4] === '0')
    .sort()
    .at(-1)
  if (!file) return console.log('no CPU profile was written')
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8'))
  const byId = new Map(prof.nodes.map((n) => [n.id, n]))
  const category = new Map()
  const label = new Map()
  const categorise = (node, inherited) => {
    const { url, functionName, lineNumber } = node.callFrame
    let c = inherited
    if (['(garbage collector)', '(idle)', '(program)'].includes(functionName)) c = functionName
    else if (!url && sqliteCalls.has(functionName) && inherited !== 'node internals')
      c = 'SQLite (better-sqlite3 native calls)'
    else if (url.includes('/generated/prisma/')) c = '@prisma/client (generated)'
    else if (url.includes('/node_modules/')) {
      const parts = url.split('/node_modules/').at(-1).split('/')
      c = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]
    } else if (url.includes('/core/dist/'))
      c = `core/${url.split('/core/dist/')[1].split('/').slice(0, 2).join('/').replace(/\.js$/, '')}`
    else if (url.startsWith('node:')) c = 'node internals'
    else if (url) c = url
    category.set(node.id, c)
    label.set(
      node.id,
      `${functionName || '(anonymous)'} (${url.split('/').slice(-2).join('/') || c}:${lineNumber + 1})`,
    )
    for (const child of node.children ?? []) categorise(byId.get(child), c)
  }
  categorise(prof.nodes[0], '(root)')
  const self = new Map()
  const selfByFunction = new Map()
  let clock = 0
  let total = 0
  const fromUs = from * 1000
  const toUs = to * 1000
  prof.samples.forEach((id, i) => {
    clock += prof.timeDeltas[i]
    if (clock < fromUs || clock > toUs) return
    const dt = prof.timeDeltas[i + 1] ?? 0
    self.set(category.get(id), (self.get(category.get(id)) ?? 0) + dt)
    selfByFunction.set(label.get(id), (selfByFunction.get(label.get(id)) ?? 0) + dt)
    total += dt
  })
  const idle = self.get('(idle)') ?? 0
  const busy = total - idle
  const top = (map, n) =>
    [...map]
      .filter(([c]) => !c.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
  console.log(`\nCPU profile of the server during the load (${file}): self time, share of busy time\n`)
  console.log('| where | share |')
  console.log('|---|---:|')
  for (const [c, us] of top(self, 16)) console.log(`| ${c} | ${((us / busy) * 100).toFixed(1)} % |`)
  console.log(`| (idle: ${((idle / total) * 100).toFixed(1)} % of the window) | |`)
  console.log('\ntop functions (self time):')
  for (const [f, us] of top(selfByFunction, 12)) console.log(`  ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${f}`)
}

// ── the run ───────────────────────────────────────────────────────────────────────────────
const row = (name, r) =>
  `| ${name} | ${Math.round(r.perSecond).toLocaleString('en')} | ${r.p50.toFixed(1)} | ${r.p90.toFixed(1)} | ${r.p99.toFixed(1)} | ${Math.round(r.cpuUs)} | ${r.errors} |`

const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-bot-'))
const keepProfile = Boolean(profile && profile !== '1')
const profileDir = !profile ? undefined : keepProfile ? profile : mkdtempSync(join(tmpdir(), 'sb-bench-prof-'))
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME ?? dataDir,
  SWITCHBOARD_DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  PORT: String(await freePort()),
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
  SWITCHBOARD_DEMO: 'false',
}
const startLoad = loadavg()[0].toFixed(2)
try {
  console.log(
    `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}; ${connections} connections, ` +
      `${seconds} s per measure after a ${warmupSeconds} s warm-up, ${runCount} runs; load generator on the same machine\n`,
  )
  const http = await switchboardOverHttp(env, profileDir)
  const inProcess = await switchboardInProcess(env, http.runIds)
  const red = await nodeRed(http.runIds)

  console.log('| one bot turn | turns/s | p50 ms | p90 ms | p99 ms | CPU µs/turn | errors |')
  console.log('|---|---:|---:|---:|---:|---:|---:|')
  console.log(row('Switchboard, HTTP (state + trace persisted)', http.result))
  console.log(row(`Switchboard, in-process engine.deliver, ${connections} at a time`, inProcess.parallel))
  console.log(row('Switchboard, in-process engine.deliver, 1 at a time', inProcess.serial))
  console.log(row(`Node-RED ${NODE_RED}, switch → change → template (nothing persisted)`, red.nodes))
  console.log(row(`Node-RED ${NODE_RED}, one function node (nothing persisted)`, red.function))
  const ratio = (a, b) => (a.perSecond / b.perSecond).toFixed(2)
  const cpuRatio = (a, b) => (b.cpuUs / a.cpuUs).toFixed(2)
  console.log(
    `\nSwitchboard over HTTP ÷ Node-RED: ${ratio(http.result, red.nodes)}× (nodes), ${ratio(http.result, red.function)}× (function node); goal > 1×, NOTES target 1.5×`,
  )
  console.log(
    `Node-RED's CPU per turn ÷ Switchboard's: ${cpuRatio(http.result, red.nodes)}× (nodes), ${cpuRatio(http.result, red.function)}× (function node)`,
  )
  console.log(
    `p99 with each connection's first answer (connection ramp-up) included: Switchboard ${http.result.p99WithRampUp} ms, ` +
      `Node-RED ${red.nodes.p99WithRampUp} ms (nodes), ${red.function.p99WithRampUp} ms (function node)`,
  )
  console.log(`memory after the load: Switchboard ${http.rss} MiB RSS, Node-RED ${red.rss} MiB RSS`)

  console.log('\nWhere a turn goes (in-process, instrumented; µs per turn, BEGIN → COMMIT per transaction):\n')
  console.log(
    '| concurrency | turns/s | turn (mean latency) | SQL statements | of them prepared anew | SQLite (prepare + step) | of it prepare | BEGIN → COMMIT | turns per COMMIT |',
  )
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const p of inProcess.profiled)
    console.log(
      `| ${p.concurrency} | ${Math.round(p.perSecond).toLocaleString('en')} | ${p.turnUs} | ${p.statements.toFixed(1)} | ${p.prepares.toFixed(1)} | ${p.sqliteUs} | ${p.prepareUs} | ${p.txHoldUs} | ${p.turnsPerCommit.toFixed(1)} |`,
    )
  const serial = inProcess.profiled[0]
  console.log(
    `\n1 at a time: a turn takes ${serial.turnUs} µs: loadForDelivery (run + event key) ${serial.storeUs.loadForDelivery}, ` +
      `loadVersion ${serial.storeUs.loadVersion} (cached), saveTurn ${serial.storeUs.saveTurn}, ` +
      `${serial.steps.toFixed(1)} nodes ${serial.nodesUs}, the rest (lock, engine, scope) ${serial.turnUs - serial.storeUs.loadForDelivery - serial.storeUs.loadVersion - serial.storeUs.saveTurn - serial.nodesUs}`,
  )
  console.log('\nSQL statements per turn (1 at a time), with their time at the better-sqlite3 level:')
  for (const [shape, count, us] of serial.sql) console.log(`  ${count.toFixed(2)} × ${shape} … ${us} µs`)
  if (profileDir) summariseProfile(profileDir, http.window)
  console.log(`\nload average (1 min) at the start ${startLoad}, at the end ${loadavg()[0].toFixed(2)}`)
} finally {
  rmSync(dataDir, { recursive: true, force: true })
  if (profileDir && !keepProfile) rmSync(profileDir, { recursive: true, force: true })
}
process.exit(process.exitCode ?? 0)
