// Concurrent IVR phone calls through the voice edge: how many one Switchboard holds on this machine.
//
// Switchboard is the built server (cli/dist bootstrap + start, as `switchboard start --no-demo`;
// SQLite in a temporary data directory, LOG_LEVEL=warn) with voice on: it starts Kamailio and
// rtpengine itself (free SIP/WebSocket/ng ports on 127.0.0.1, rtpengine media ports 20000-31999),
// and its user agent answers the number +861012345678 with this IVR flow (test/bench/voice-server.js):
//   play "Welcome to the test line. Press 1 to continue." → gather 1 key → switch (1) →
//   play "Thank you. Please stay on the line." → gather (holds until the caller hangs up).
// SIPp (UAC, UDP, through Kamailio) places BENCH_CALLS calls at BENCH_RATE calls/s, each from its
// own caller number; every caller echoes the audio it hears back (-rtp_echo), presses 1 after
// BENCH_LISTEN_MS (RFC 4733, SIPp's dtmf_2833_1.pcap), holds, and hangs up BENCH_HOLD_S after it
// was answered. With a rate of 25/s and 45 s calls, 500 calls are all up at once for ~25 s.
// A few more callers (BENCH_PROBES, a second SIPp placed at the peak) send their media to a Node
// socket of this bench instead: it echoes what it hears, presses 1 itself, and measures the
// RTP Switchboard sends through rtpengine: interarrival jitter (RFC 3550), gaps and lost packets.
//
// Printed: SIPp's calls created / successful / failed and retransmissions (its -trace_stat CSV),
// the most calls up at once, call set-up time (INVITE sent → 200 OK received, SIPp's -trace_rtt,
// every call), whether each caller heard the prompt (Switchboard's facts of each call: prompt
// packets sent, the caller's echo received back) and whether its key was recognised (keys ['1'],
// the conversation's ivrPath menu:1), RTP pacing (packets sent ÷ 50 per second of the call;
// the server's event loop delay), and CPU (from /proc/<pid>/stat deltas: % of one core) and
// memory (RSS; Kamailio's processes as PSS) of Switchboard, Kamailio (all its processes) and rtpengine.
//
// BENCH_CALLS (500), BENCH_RATE (25 calls/s), BENCH_HOLD_S (45), BENCH_LISTEN_MS (7000),
// BENCH_PROBES (5), BENCH_DEADLINE_S (600: the whole run; everything is killed when it passes),
// BENCH_KEEP=1 keeps the working directory (SIPp's CSVs and logs, the data directory), BENCH_PROFILE=<dir>
// writes a CPU profile of the server there (.cpuprofile, for Chrome DevTools).
// Needs kamailio, rtpengine, sipp, espeak-ng and sox (the voice tests' programs); exits 0 with a
// notice when one is missing.
import { fork, spawn, spawnSync } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const int = (name, fallback, min, max) =>
  Math.min(max, Math.max(min, Math.floor(Number(process.env[name] ?? fallback) || fallback)))
const calls = int('BENCH_CALLS', 500, 1, 5000)
const rate = int('BENCH_RATE', 25, 1, 200)
const holdS = int('BENCH_HOLD_S', 45, 10, 600)
const listenMs = int('BENCH_LISTEN_MS', 7000, 1000, 60_000)
const probes = int('BENCH_PROBES', 5, 0, 50)
const deadlineS = int('BENCH_DEADLINE_S', 600, 60, 3600)
const NUMBER = '+861012345678'
const DTMF_PCAP = '/usr/share/sip-tester/dtmf_2833_1.pcap'

const have = (program) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0
const missing = ['kamailio', 'rtpengine', 'sipp', 'espeak-ng', 'sox'].filter((p) => !have(p))
if (!existsSync(join(root, 'cli/dist/support/bootstrap.js'))) missing.push('the built server (npm run build)')
if (missing.length > 0) {
  console.log(`skipped: ${missing.join(', ')} missing (see docs/voice-setup.md)`)
  process.exit(0)
}

// ── every process started here is ended, also when the benchmark fails ───────────────────
const work = mkdtempSync(join(tmpdir(), 'sb-bench-voice-'))
const children = new Set()
let server
let daemonPids = []
function killAll() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
  // Kamailio and rtpengine run in process groups of their own (the server stops them; if it could not)
  for (const pid of daemonPids) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  if (process.env.BENCH_KEEP) console.log(`kept: ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
process.on('exit', killAll)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130))
setTimeout(() => {
  console.error(`deadline of ${deadlineS} s passed: stopping`)
  process.exit(1)
}, deadlineS * 1000).unref()

const freeTcpPort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
const udpFree = (port) =>
  new Promise((resolve) => {
    const s = createSocket('udp4')
    s.once('error', () => resolve(false))
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
const tcpFree = (port) =>
  new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
/** An even port in 12000-19999 free for UDP and TCP, with the next three (SIPp's RTCP, video) kept out. */
const taken = new Set()
async function freeSipPort() {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = 12_000 + 4 * Math.floor(Math.random() * 2000)
    if (taken.has(port)) continue
    if ((await udpFree(port)) && (await tcpFree(port))) {
      for (let i = 0; i < 4; i++) taken.add(port + i)
      return port
    }
  }
  throw new Error('no free SIP port in 12000-19999')
}

// ── /proc: CPU and memory of a process (Kamailio: all processes of its group) ─────────────
const TICKS = 100
function statOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return { cpu: (Number(fields[11]) + Number(fields[12])) / TICKS, pgrp: Number(fields[2]) }
  } catch {
    return undefined
  }
}
function groupPids(pgrp) {
  const pids = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    if (statOf(name)?.pgrp === pgrp) pids.push(Number(name))
  }
  return pids
}
const cpuOf = (pids) => pids.reduce((sum, pid) => sum + (statOf(pid)?.cpu ?? 0), 0)
function memoryMiB(pid, field) {
  try {
    const text = readFileSync(`/proc/${pid}/${field === 'Pss' ? 'smaps_rollup' : 'status'}`, 'utf8')
    return Number(new RegExp(`${field === 'Pss' ? 'Pss' : 'VmRSS'}:\\s+(\\d+)`).exec(text)[1]) / 1024
  } catch {
    return 0
  }
}

function percentiles(values) {
  if (values.length === 0) return { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN }
  const sorted = Float64Array.from(values).sort()
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] }
}
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–')

// ── the SIPp caller ───────────────────────────────────────────────────────────────────────
/** INVITE from [field0] (one caller number per call), 200, ACK, listen, press 1, hold, BYE. */
function callerScenario({ mediaPort, pressKey }) {
  const dialog = (method, cseq) => `
  <send${method === 'BYE' ? ' retrans="500"' : ''}>
    <![CDATA[
      ${method} [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[field0]@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: ${cseq} ${method}
      [routes]
      Contact: <sip:[field0]@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>`
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="bench IVR caller">
  <send retrans="500" start_rtd="true">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[field0]@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:[field0]@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=sipp 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio ${mediaPort} RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-15
      a=sendrecv
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true" rrs="true"/>
  ${dialog('ACK', 1)}
  <pause milliseconds="${listenMs}"/>
  ${pressKey ? `<nop><action><exec play_pcap_audio="${DTMF_PCAP}"/></action></nop>` : ''}
  <pause milliseconds="${holdS * 1000 - listenMs}"/>
  ${dialog('BYE', 2)}
  <recv response="200" crlf="true"/>
</scenario>
`
}

/** Starts SIPp placing `count` calls at `cps`; resolves with its stats, set-up times and exit code. */
function startSipp({ name, count, cps, sipPort, firstNumber, mediaPort, echo, mediaTo }) {
  const dir = join(work, name)
  rmSync(dir, { recursive: true, force: true })
  spawnSync('mkdir', ['-p', dir])
  const numbers = ['SEQUENTIAL', ...Array.from({ length: count }, (_, i) => `+86${firstNumber + i};`)]
  writeFileSync(join(dir, 'callers.csv'), numbers.join('\n') + '\n')
  writeFileSync(join(dir, 'caller.xml'), callerScenario({ mediaPort: mediaTo ?? '[media_port]', pressKey: echo }))
  const timeoutS = Math.ceil(count / cps + holdS + 60)
  const args = [
    `127.0.0.1:${sipPort}`,
    ...['-sf', 'caller.xml', '-inf', 'callers.csv', '-s', NUMBER],
    ...['-i', '127.0.0.1', '-p', String(mediaPort - 2), '-t', 'u1'],
    ...['-mi', '127.0.0.1', '-mp', String(mediaPort)],
    ...(echo ? ['-rtp_echo'] : []),
    ...['-m', String(count), '-l', String(count), '-r', String(cps), '-rp', '1000'],
    ...['-cid_str', `bench-${name}-%u-%p@%s`],
    ...['-timeout', `${timeoutS}s`, '-timeout_error', '-recv_timeout', '30000'],
    '-nostdin',
    ...['-trace_stat', '-stf', 'stats.csv', '-fd', '2'],
    ...['-trace_rtt', '-rtt_freq', '1'],
    ...['-trace_err', '-error_file', 'errors.log'],
  ]
  const proc = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  children.add(proc)
  let stderr = ''
  proc.stderr.on('data', (d) => (stderr = (stderr + d).slice(-5000)))
  const done = new Promise((resolve) => {
    const killer = setTimeout(() => proc.kill('SIGKILL'), (timeoutS + 10) * 1000)
    proc.once('exit', (code) => {
      clearTimeout(killer)
      children.delete(proc)
      resolve(readSipp(dir, code, stderr))
    })
  })
  return { proc, dir, done, stats: () => lastStats(dir) }
}

function csvRows(file) {
  if (!existsSync(file)) return []
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
  if (lines.length < 2) return []
  const header = lines[0].split(';')
  return lines.slice(1).map((line) => {
    const cells = line.split(';')
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]))
  })
}
const lastStats = (dir) => {
  const file = readdirSync(dir).find((f) => f === 'stats.csv')
  return file ? csvRows(join(dir, file)).at(-1) : undefined
}

function readSipp(dir, exitCode, stderr) {
  const rows = csvRows(join(dir, 'stats.csv'))
  const last = rows.at(-1) ?? {}
  const n = (key) => Number(last[key] ?? NaN)
  const rttFile = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'))
  // -trace_rtt: one row per call, response_time in ms (INVITE sent → 200 OK received, the rtd)
  const setup = rttFile ? csvRows(join(dir, rttFile)).map((r) => Number(r.response_time_ms)) : []
  const errors = existsSync(join(dir, 'errors.log')) ? readFileSync(join(dir, 'errors.log'), 'utf8') : ''
  return {
    exitCode,
    created: n('TotalCallCreated'),
    successful: n('SuccessfulCall(C)'),
    failed: n('FailedCall(C)'),
    retransmissions: n('Retransmissions(C)'),
    maxConcurrent: Math.max(0, ...rows.map((r) => Number(r.CurrentCall) || 0)),
    setupMs: setup.filter((v) => Number.isFinite(v)),
    errors: errors.slice(-2000),
    stderr,
  }
}

// ── probe callers' media: a Node socket that hears the prompt, echoes it and presses 1 ───────
function startProbeMedia(port) {
  const socket = createSocket('udp4')
  /** per sender (one per probe call): RFC 3550 jitter, gaps, sequence numbers seen */
  const streams = new Map()
  const timers = new Set()
  socket.on('message', (packet, from) => {
    if (packet.length < 12 || packet[1] & 0x7f) return // PCMU (PT 0) only
    const now = performance.now()
    const key = `${from.address}:${from.port}`
    let s = streams.get(key)
    if (!s) {
      s = { packets: 0, first: 0, last: 0, lastTs: 0, jitter: 0, maxJitter: 0, maxGapMs: 0, late: 0, seqs: new Set() }
      s.firstSeq = packet.readUInt16BE(2)
      streams.set(key, s)
      // the caller presses 1 after listening, like the SIPp callers
      const timer = setTimeout(() => {
        timers.delete(timer)
        sendKey(socket, from, '1')
      }, listenMs)
      timers.add(timer)
    }
    const ts = packet.readUInt32BE(4)
    if (s.packets > 0) {
      const transit = (now - s.last) * 8 - ((ts - s.lastTs) | 0) // 8 kHz timestamp units; reordering: negative
      s.jitter += (Math.abs(transit) - s.jitter) / 16
      s.maxJitter = Math.max(s.maxJitter, s.jitter)
      const gap = now - s.last
      s.maxGapMs = Math.max(s.maxGapMs, gap)
      if (gap > 40) s.late += 1
    }
    s.packets += 1
    s.last = now
    s.lastTs = ts
    s.seqs.add(packet.readUInt16BE(2))
    s.lastSeq = packet.readUInt16BE(2)
    socket.send(packet, from.port, from.address) // the echo: the caller is heard
  })
  const bound = new Promise((resolve) => socket.bind(port, '127.0.0.1', resolve))
  return {
    bound,
    results: () =>
      [...streams.values()].map((s) => ({
        packets: s.packets,
        expected: ((s.lastSeq - s.firstSeq) & 0xffff) + 1,
        jitterMs: s.jitter / 8,
        maxJitterMs: s.maxJitter / 8,
        maxGapMs: s.maxGapMs,
        late: s.late,
      })),
    close: () => {
      for (const t of timers) clearTimeout(t)
      socket.close()
    },
  }
}

/** RFC 4733: one key, 3 updates and 3 end packets, one timestamp, PT 101. */
function sendKey(socket, to, key) {
  const event = '0123456789*#'.indexOf(key)
  const ssrc = 0x5eed0000 + Math.floor(Math.random() * 0xffff)
  const ts = Math.floor(Math.random() * 0xffffffff)
  let seq = Math.floor(Math.random() * 0xffff)
  const packet = (duration, end, marker) => {
    const b = Buffer.alloc(16)
    b[0] = 0x80
    b[1] = (marker ? 0x80 : 0) | 101
    b.writeUInt16BE(seq++ & 0xffff, 2)
    b.writeUInt32BE(ts >>> 0, 4)
    b.writeUInt32BE(ssrc >>> 0, 8)
    b[12] = event
    b[13] = (end ? 0x80 : 0) | 10
    b.writeUInt16BE(duration, 14)
    return b
  }
  const plan = [
    [160, false, true],
    [320, false, false],
    [480, false, false],
    [640, true, false],
    [640, true, false],
    [640, true, false],
  ]
  plan.forEach(([duration, end, marker], i) =>
    setTimeout(() => socket.send(packet(duration, end, marker), to.port, to.address), i * 20),
  )
}

// ── the run ───────────────────────────────────────────────────────────────────────────────
try {
  const sipPort = await freeSipPort()
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SWITCHBOARD_DATA_DIR: join(work, 'data'),
    PORT: String(await freeTcpPort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    SWITCHBOARD_VOICE: 'on',
    SWITCHBOARD_VOICE_SIP_PORT: String(sipPort),
    SWITCHBOARD_VOICE_WS_PORT: String(await freeSipPort()),
    SWITCHBOARD_VOICE_RTPENGINE_PORT: String(await freeSipPort()),
    SWITCHBOARD_VOICE_RTP_PORTS: '20000-31999',
    SWITCHBOARD_VOICE_TRUNKS: '127.0.0.1',
    SWITCHBOARD_VOICE_NUMBERS: NUMBER,
  }
  const startedAt = performance.now()
  server = fork(join(root, 'test/bench/voice-server.js'), [], {
    env,
    // BENCH_PROFILE=<dir>: a CPU profile of the server (written when it stops)
    execArgv: [
      '--no-node-snapshot',
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let serverLog = ''
  server.stdout.on('data', (d) => (serverLog = (serverLog + d).slice(-20_000)))
  server.stderr.on('data', (d) => (serverLog = (serverLog + d).slice(-20_000)))
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 120 s\n${serverLog}`)), 120_000)
    server.once('message', (m) => {
      clearTimeout(timer)
      if (m.error) reject(new Error(`${m.error}\n${serverLog}`))
      else resolve(m)
    })
    server.once('exit', (code) => reject(new Error(`the server exited (${code})\n${serverLog}`)))
  })
  const { pids } = ready
  daemonPids = [pids.kamailio, pids.rtpengine].filter(Boolean)
  const ask = (question) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${question} in 60 s`)), 60_000)
      server.once('message', (m) => {
        clearTimeout(timer)
        resolve(m)
      })
      server.send(question)
    })
  console.log(
    `server with voice edge up in ${Math.round(performance.now() - startedAt)} ms (Kamailio pid ${pids.kamailio}, rtpengine pid ${pids.rtpengine})`,
  )
  console.log(
    `${calls} calls at ${rate}/s, each held ${holdS} s (key 1 after ${listenMs / 1000} s), + ${probes} probe calls; ` +
      `${cpus().length} × ${cpus()[0]?.model.trim()}, node ${process.version}, load average before ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
  )

  // CPU and memory, sampled every second while the calls run
  const groups = {
    switchboard: () => [pids.switchboard],
    kamailio: () => groupPids(pids.kamailio),
    rtpengine: () => [pids.rtpengine],
  }
  const samples = []
  const sample = () => {
    const row = { at: performance.now(), load: loadavg()[0] }
    for (const [name, list] of Object.entries(groups)) {
      const members = list()
      row[name] = {
        cpu: cpuOf(members),
        mem:
          name === 'kamailio'
            ? members.reduce((sum, pid) => sum + memoryMiB(pid, 'Pss'), 0)
            : memoryMiB(members[0], 'VmRSS'),
      }
    }
    samples.push(row)
  }
  sample()
  const sampler = setInterval(sample, 1000)
  server.send('reset-loop')

  const mainPort = await freeSipPort()
  const main = startSipp({
    name: 'main',
    count: calls,
    cps: rate,
    sipPort,
    firstNumber: 13_900_000_000,
    mediaPort: mainPort + 2 + 0,
    echo: true,
  })
  // the probe callers join when most of the calls are up
  let probe
  let probeMedia
  if (probes > 0) {
    const rampS = calls / rate
    await new Promise((r) => setTimeout(r, Math.max(1, rampS * 0.8) * 1000))
    const probePort = await freeSipPort()
    probeMedia = startProbeMedia(probePort + 2)
    await probeMedia.bound
    probe = startSipp({
      name: 'probe',
      count: probes,
      cps: Math.min(probes, 5),
      sipPort,
      firstNumber: 13_700_000_000,
      mediaPort: (await freeSipPort()) + 2,
      echo: false,
      mediaTo: String(probePort + 2),
    })
  }
  const mainRun = await main.done
  const probeRun = probe ? await probe.done : undefined
  clearInterval(sampler)
  sample()
  const probeStreams = probeMedia?.results() ?? []
  probeMedia?.close()

  // every call's facts: wait (bounded) until Switchboard has finished all of them
  const attempted = mainRun.created + (probeRun?.created ?? 0)
  let facts
  for (const until = performance.now() + 60_000; ;) {
    facts = await ask('facts')
    // finished: no call up, every call's facts, and every conversation's record of it written
    const recorded = facts.conversations.filter((c) => c.callOutcome !== null).length
    if ((facts.facts.length >= attempted && facts.active === 0 && recorded >= attempted) || performance.now() > until)
      break
    await new Promise((r) => setTimeout(r, 1000))
  }

  // ── figures ─────────────────────────────────────────────────────────────────────────────
  const all = facts.facts
  const heard = all.filter((f) => (f.prompts[0]?.packets ?? 0) > 0 && (f.media?.receivedNonSilent ?? 0) > 0)
  const keyed = all.filter((f) => f.keys.length === 1 && f.keys[0] === '1')
  const second = all.filter((f) => f.prompts.length >= 2 && f.prompts[1].finished)
  const menu1 = facts.conversations.filter((c) => Array.isArray(c.ivrPath) && c.ivrPath.includes('menu:1'))
  const ends = {}
  for (const f of all) ends[f.end] = (ends[f.end] ?? 0) + 1
  const pacing = all
    .filter((f) => f.media && f.answeredMs && f.endedMs && f.endedMs - f.answeredMs > 5000)
    .map((f) => f.media.sent / ((f.endedMs - f.answeredMs) / 20))
  const pace = percentiles(pacing.map((p) => -p)) // the worst (lowest) ratios first

  console.log('| SIPp | calls | successful | failed | retransmissions | most up at once | exit |')
  console.log('|---|---:|---:|---:|---:|---:|---:|')
  for (const [title, r] of [
    ['callers (-rtp_echo, pcap key)', mainRun],
    ['probe callers (Node media)', probeRun],
  ])
    if (r)
      console.log(
        `| ${title} | ${r.created} | ${r.successful} | ${r.failed} | ${r.retransmissions} | ${r.maxConcurrent} | ${r.exitCode} |`,
      )
  console.log(`\nmost calls up at once in Switchboard: ${facts.maxActive}`)
  const setup = percentiles([...mainRun.setupMs, ...(probeRun?.setupMs ?? [])])
  console.log(
    `call set-up (INVITE → 200 OK, ${setup.n} calls): p50 ${fmt(setup.p50)} ms, p95 ${fmt(setup.p95)} ms, p99 ${fmt(setup.p99)} ms, max ${fmt(setup.max)} ms`,
  )
  console.log(
    `\nSwitchboard's facts of ${all.length} finished calls (ended: ${Object.entries(ends)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}):`,
  )
  console.log(`  prompt played and the caller's echo of it received back: ${heard.length}`)
  console.log(
    `  key 1 recognised (RFC 4733): ${keyed.length}; conversations whose IVR path has menu:1: ${menu1.length}`,
  )
  console.log(`  second prompt played to its end: ${second.length}`)
  console.log(
    `  RTP pacing, packets sent ÷ (call length / 20 ms): lowest ${fmt(-pace.max * 100, 1)} %, 1st percentile ${fmt(-pace.p99 * 100, 1)} %, median ${fmt(-pace.p50 * 100, 1)} %`,
  )
  console.log(
    `  server event loop delay during the calls: p50 ${fmt(facts.loopDelayMs.p50, 1)} ms, p99 ${fmt(facts.loopDelayMs.p99, 1)} ms, max ${fmt(facts.loopDelayMs.max, 1)} ms`,
  )
  if (probeStreams.length > 0) {
    const jitter = percentiles(probeStreams.map((s) => s.jitterMs))
    const maxJitter = Math.max(...probeStreams.map((s) => s.maxJitterMs))
    const lost = probeStreams.reduce((sum, s) => sum + Math.max(0, s.expected - s.packets), 0)
    const expected = probeStreams.reduce((sum, s) => sum + s.expected, 0)
    const late = probeStreams.reduce((sum, s) => sum + s.late, 0)
    console.log(
      `  RTP as a probe caller hears it (${probeStreams.length} calls, ${expected} packets): jitter (RFC 3550) median ${fmt(jitter.p50, 2)} ms, highest ${fmt(maxJitter, 2)} ms; ` +
        `lost ${lost}; gaps over 40 ms ${late}; longest gap ${fmt(Math.max(...probeStreams.map((s) => s.maxGapMs)), 0)} ms`,
    )
  }

  // CPU: the whole run, and the busiest 5 s; memory: the most seen
  const first = samples[0]
  const last = samples.at(-1)
  const seconds = (last.at - first.at) / 1000
  console.log(`\n| process | CPU, whole run (% of one core) | CPU, busiest 5 s | memory, most (MiB) |`)
  console.log('|---|---:|---:|---:|')
  for (const name of Object.keys(groups)) {
    let busiest = 0
    for (let i = 5; i < samples.length; i++)
      busiest = Math.max(
        busiest,
        (samples[i][name].cpu - samples[i - 5][name].cpu) / ((samples[i].at - samples[i - 5].at) / 1000),
      )
    const mem = Math.max(...samples.map((s) => s[name].mem))
    const label = {
      switchboard: 'Switchboard (Node)',
      kamailio: 'Kamailio (all processes; PSS)',
      rtpengine: 'rtpengine',
    }[name]
    console.log(
      `| ${label} | ${fmt(((last[name].cpu - first[name].cpu) / seconds) * 100)} | ${fmt(busiest * 100)} | ${fmt(mem)} |`,
    )
  }
  console.log(
    `\nload average: highest 1-min seen during the run ${fmt(Math.max(...samples.map((s) => s.load)), 2)}, at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  const odd = all.filter((f) => f.end !== 'caller-hangup' || f.keys.join('') !== '1')
  if (odd.length > 0) {
    console.log(`\ncalls that did not go as planned (${odd.length}; the first 10):`)
    for (const f of odd.slice(0, 10))
      console.log(
        `  ${f.callId}: end ${f.end}, keys ${JSON.stringify(f.keys)}, prompts ${JSON.stringify(f.prompts)}, dtmf packets ${f.media?.dtmfPackets}, ` +
          `answered→ended ${f.answeredMs && f.endedMs ? f.endedMs - f.answeredMs : '?'} ms`,
      )
  }
  if (mainRun.failed > 0 || mainRun.exitCode !== 0) {
    console.log(`\nSIPp errors (last lines):\n${mainRun.errors}\n${mainRun.stderr}`)
    process.exitCode = 1
  }

  await Promise.race([
    new Promise((resolve) => {
      server.once('exit', resolve)
      server.send('stop')
    }),
    new Promise((resolve) => setTimeout(resolve, 30_000)),
  ])
} catch (error) {
  console.error(error)
  process.exitCode = 1
}
process.exit()
