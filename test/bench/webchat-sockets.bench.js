// Web chat widget sockets: how many a server holds, and how fast a visitor's message is stored and answered.
//
// The built server is started the way a user would (`switchboard start`, SQLite in a temporary data
// directory, LOG_LEVEL=warn, demo data loaded: channel-webchat and demo-shop enabled, channel 'webchat'
// routed to the order-status bot). The bench then opens widget sockets
// (`/hooks/channel-webchat/ws/chat?visitor=…`, Origin = the server's own host, so allowed), a distinct
// visitor each, and keeps them all open while it grows to each size in BENCH_SOCKETS. For every newly
// opened socket it measures the time to `open` (HTTP upgrade) and to `welcome` (the plugin accepted
// it); then each new socket sends one `message` frame, BENCH_WAVE at a time, and the bench measures
// the time to the server's `ack{id}` (stored) and to the bot's first reply `message` (bot round trip).
// With every socket still held it reads the server's RSS (/proc) and checks none was dropped.
//
// The first BENCH_SERIAL (50) messages of each size are sent 1 at a time: their latency has no queueing in it.
//
// BENCH_SOCKETS (500,2000), BENCH_WAVE (50 connects or messages in flight), BENCH_TIMEOUT_MS (30000 per
// connect or reply), BENCH_DEADLINE_S (900: the whole run; the server is killed when it passes).
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'

const root = fileURLToPath(new URL('../../', import.meta.url))
const cli = join(root, 'cli/dist/main.js')
const sizes = String(process.env.BENCH_SOCKETS ?? '500,2000')
  .split(',')
  .map((s) => Math.min(20_000, Math.max(1, Math.floor(Number(s)))))
  .filter((n) => Number.isFinite(n))
  .sort((a, b) => a - b)
const serial = Math.min(1000, Math.max(0, Number(process.env.BENCH_SERIAL ?? 50)))
const wave = Math.min(500, Math.max(1, Number(process.env.BENCH_WAVE ?? 50)))
const timeoutMs = Number(process.env.BENCH_TIMEOUT_MS ?? 30_000)
const deadlineS = Number(process.env.BENCH_DEADLINE_S ?? 900)
const text = 'Hi, where is my order 2026111812345?'

// ── the server and every socket: always ended, also when the benchmark fails ─────────────
let server
const sockets = []
process.on('exit', () => {
  for (const s of sockets) s.ws.terminate()
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130))
setTimeout(() => {
  console.error(`deadline of ${deadlineS} s passed: stopping`)
  process.exit(1)
}, deadlineS * 1000).unref()

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

function percentiles(values) {
  const sorted = Float64Array.from(values).sort()
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] }
}

/** Runs `task(i)` for i in [0, count), at most `limit` at a time. */
async function pool(count, limit, task) {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await task(next++)
    }),
  )
}

/** One widget: a ws client that resolves waiters on matching frames. */
function openWidget(url, origin) {
  const t0 = performance.now()
  const ws = new WebSocket(url, { origin, perMessageDeflate: false })
  const widget = { ws, waiters: new Set(), openMs: NaN, welcomeMs: NaN, dropped: false, closedByUs: false }
  widget.waitFor = (test) =>
    new Promise((resolve, reject) => {
      const waiter = { test, resolve }
      waiter.timer = setTimeout(() => {
        widget.waiters.delete(waiter)
        reject(new Error('timed out'))
      }, timeoutMs)
      widget.waiters.add(waiter)
    })
  ws.on('message', (data) => {
    const at = performance.now()
    const frame = JSON.parse(String(data))
    for (const w of widget.waiters)
      if (w.test(frame)) {
        clearTimeout(w.timer)
        widget.waiters.delete(w)
        w.resolve({ frame, at })
      }
  })
  ws.on('close', () => {
    if (!widget.closedByUs) widget.dropped = true
  })
  const welcome = widget.waitFor((f) => f.type === 'welcome')
  const ready = new Promise((resolve, reject) => {
    ws.once('open', () => (widget.openMs = performance.now() - t0))
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    welcome.then(({ at }) => resolve((widget.welcomeMs = at - t0)), reject)
  })
  widget.ready = ready
  return widget
}

async function startServer(env) {
  const proc = spawn(process.execPath, ['--no-node-snapshot', cli, 'start'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server = proc
  let out = ''
  proc.stdout.on('data', (d) => (out += d))
  proc.stderr.on('data', (d) => (out += d))
  const began = performance.now()
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`switchboard start exited with ${proc.exitCode}:\n${out}`)
    try {
      if ((await fetch(`http://127.0.0.1:${env.PORT}/health`)).ok && out.includes('Switchboard is running at')) break
    } catch {
      // not listening yet
    }
    if (performance.now() - began > 120_000) throw new Error(`switchboard start did not start in 120 s:\n${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return { proc, output: () => out, startMs: performance.now() - began }
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise((r) => server.once('exit', r))
  server.kill('SIGTERM')
  const timer = setTimeout(() => server.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

// ── the run ───────────────────────────────────────────────────────────────────────────────
const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-webchat-'))
const port = await freePort()
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME ?? dataDir,
  SWITCHBOARD_DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  PORT: String(port),
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
}
const origin = `http://127.0.0.1:${port}`
const tag = randomBytes(4).toString('hex')
const url = (i) =>
  `ws://127.0.0.1:${port}/hooks/channel-webchat/ws/chat?visitor=bench_${tag}_${String(i).padStart(6, '0')}`
const fmt = (ms) => (Number.isFinite(ms) ? (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)) : '—')
const startLoad = loadavg()[0].toFixed(2)
const rows = []
try {
  console.log(
    `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}; sockets ${sizes.join(', ')}, ` +
      `${wave} connects or messages in flight (the first ${serial} messages of each size 1 at a time); client and server on the same machine; load average ${startLoad}\n`,
  )
  const started = await startServer(env)
  const pid = started.proc.pid
  // the demo installs and enables channel-webchat while starting: wait for a socket to be accepted
  for (let tries = 0; ; tries++) {
    const probe = openWidget(url(999_999), origin)
    try {
      await probe.ready
      probe.closedByUs = true
      probe.ws.close()
      break
    } catch (error) {
      probe.closedByUs = true
      probe.ws.terminate()
      if (tries >= 50) throw new Error(`the web chat socket was never accepted: ${error.message}\n${started.output()}`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  const idleRss = rssMiB(pid)
  console.log(
    `server started in ${Math.round(started.startMs)} ms (new data dir, demo data); idle ${Math.round(idleRss)} MiB RSS`,
  )

  let firstReply
  for (const size of sizes) {
    // connect: the sockets from sockets.length up to size, `wave` handshakes in flight
    const from = sockets.length
    let connectErrors = 0
    await pool(size - from, wave, async (k) => {
      const widget = openWidget(url(from + k), origin)
      sockets.push(widget)
      try {
        await widget.ready
      } catch {
        connectErrors++
      }
    })
    const fresh = sockets.slice(from).filter((w) => Number.isFinite(w.welcomeMs))
    const connect = percentiles(fresh.map((w) => w.openMs))
    const welcome = percentiles(fresh.map((w) => w.welcomeMs))

    // one message per new socket: the first `serial` 1 at a time (latency without queueing), the rest
    // `wave` in flight; time to ack{id} (stored) and to the bot's first reply
    const send = async (widget, n, acks, replies) => {
      const id = `m_${tag}_${n}`
      const acked = widget.waitFor((f) => f.type === 'ack' && f.id === id)
      const replied = widget.waitFor((f) => f.type === 'message' && f.by === 'bot')
      const t0 = performance.now()
      widget.ws.send(JSON.stringify({ type: 'message', id, text }))
      try {
        const [ack, reply] = await Promise.all([acked, replied])
        acks.push(ack.at - t0)
        replies.push(reply.at - t0)
        firstReply ??= reply.frame.text
      } catch {
        messageErrors++
      }
    }
    let messageErrors = 0
    const serialCount = Math.min(serial, fresh.length)
    const serialAcks = []
    const serialReplies = []
    for (let k = 0; k < serialCount; k++) await send(fresh[k], from + k, serialAcks, serialReplies)
    const acks = []
    const replies = []
    const cpuBefore = cpuSeconds(pid)
    const began = performance.now()
    await pool(fresh.length - serialCount, wave, (k) =>
      send(fresh[serialCount + k], from + serialCount + k, acks, replies),
    )
    const elapsed = (performance.now() - began) / 1000
    const cpuMs = ((cpuSeconds(pid) - cpuBefore) * 1000) / Math.max(1, replies.length)

    await new Promise((r) => setTimeout(r, 1000))
    const held = sockets.filter((w) => w.ws.readyState === WebSocket.OPEN).length
    const rss = rssMiB(pid)
    rows.push({
      size,
      held,
      dropped: sockets.filter((w) => w.dropped).length,
      connectErrors,
      messageErrors,
      connect,
      welcome,
      serialAck: percentiles(serialAcks),
      serialReply: percentiles(serialReplies),
      ack: percentiles(acks),
      reply: percentiles(replies),
      perSecond: replies.length / elapsed,
      cpuMs,
      rss,
      load: loadavg()[0].toFixed(2),
    })
    console.log(
      `${size} sockets: ${held} held, ${serialReplies.length} + ${replies.length} bot round trips in ${elapsed.toFixed(1)} s, RSS ${Math.round(rss)} MiB, load ${loadavg()[0].toFixed(2)}`,
    )
    if (connectErrors > size / 10) {
      console.log(`more than 10 % of the connections failed at ${size}: not going further`)
      break
    }
  }

  console.log(`\nfirst bot reply: ${JSON.stringify(firstReply)}\n`)
  console.log('| sockets held | measure | n | p50 ms | p95 ms | p99 ms | max ms |')
  console.log('|---:|---|---:|---:|---:|---:|---:|')
  for (const r of rows)
    for (const [name, p] of [
      ['connect (upgrade → open)', r.connect],
      ['connect (upgrade → welcome)', r.welcome],
      ['message → ack (stored), 1 at a time', r.serialAck],
      ['message → first bot reply, 1 at a time', r.serialReply],
      [`message → ack (stored), ${wave} in flight`, r.ack],
      [`message → first bot reply, ${wave} in flight`, r.reply],
    ])
      console.log(`| ${r.size} | ${name} | ${p.n} | ${fmt(p.p50)} | ${fmt(p.p95)} | ${fmt(p.p99)} | ${fmt(p.max)} |`)

  console.log(
    '\n| sockets held | still open | dropped | connect errors | message errors | bot replies/s | server CPU ms/message | RSS MiB | sockets per MiB of RSS | sockets per MiB above idle | load (1 min) |',
  )
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of rows)
    console.log(
      `| ${r.size} | ${r.held} | ${r.dropped} | ${r.connectErrors} | ${r.messageErrors} | ${r.perSecond.toFixed(1)} | ${r.cpuMs.toFixed(1)} | ${Math.round(r.rss)} | ${(r.held / r.rss).toFixed(1)} | ${(r.held / Math.max(1, r.rss - idleRss)).toFixed(1)} | ${r.load} |`,
    )
  console.log(
    `\nidle server ${Math.round(idleRss)} MiB RSS; load average (1 min) at the start ${startLoad}, at the end ${loadavg()[0].toFixed(2)}`,
  )
} finally {
  for (const w of sockets) {
    w.closedByUs = true
    for (const waiter of w.waiters) clearTimeout(waiter.timer)
    w.ws.terminate()
  }
  await stopServer()
  rmSync(dataDir, { recursive: true, force: true })
}
process.exit(process.exitCode ?? 0)
