// The Switchboard side of voice-calls.bench.js, run as its child process (IPC): the built server
// (cli/dist bootstrap + app.start(), the same as `switchboard start --no-demo`) with the voice edge on,
// the bench's IVR flow imported and published as the voice entry flow, and, while calls run, the
// facts of every finished call (voiceCalls.recent() keeps the last 100: read every 200 ms and kept
// here in a compact form) and the event loop's delay. Settings come from the environment the bench
// gives it. Messages: → {ready, pids, sipPort}; ← 'facts' → {facts}; ← 'stop' → stops and exits.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

const root = fileURLToPath(new URL('../../', import.meta.url))
const { bootstrap } = await import(join(root, 'cli/dist/support/bootstrap.js'))

const ivrFlow = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'welcome', type: 'play', config: { text: 'Welcome to the test line. Press 1 to continue.' } },
    { id: 'menu', type: 'gather', config: { maxDigits: 1, timeout: '30s', variable: 'choice' } },
    { id: 'route', type: 'switch', config: { cases: [{ port: 'one', when: "vars.choice = '1'" }] } },
    { id: 'thanks', type: 'play', config: { text: 'Thank you. Please stay on the line.' } },
    // the caller holds here (a gather that waits for a key no one presses) until they hang up
    { id: 'hold', type: 'gather', config: { maxDigits: 1, timeout: '600s', variable: 'more' } },
    { id: 'bye', type: 'hangup', config: {} },
  ],
  edges: [
    { from: 'start', port: 'next', to: 'welcome' },
    { from: 'welcome', port: 'next', to: 'menu' },
    { from: 'menu', port: 'next', to: 'route' },
    { from: 'menu', port: 'timeout', to: 'bye' },
    { from: 'route', port: 'one', to: 'thanks' },
    { from: 'route', port: 'default', to: 'bye' },
    { from: 'thanks', port: 'next', to: 'hold' },
    { from: 'hold', port: 'next', to: 'bye' },
    { from: 'hold', port: 'timeout', to: 'bye' },
  ],
}

const send = (message) => process.send?.(message)
const die = (error) => {
  send({ error: String(error?.stack ?? error) })
  process.exit(1)
}

let app
try {
  const started = await bootstrap({ demo: false, quiet: true })
  app = started.app
  await app.start()
  const inject = async (method, url, payload, token) => {
    const res = await app.server.inject({
      method,
      url,
      payload,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.payload}`)
    return JSON.parse(res.payload)
  }
  const { token } = await inject('POST', '/api/v1/auth/login', {
    email: started.firstRun.admin.email,
    password: started.firstRun.admin.password,
  })
  const flow = await inject(
    'POST',
    '/api/v1/flows/import',
    { flow: { name: 'Bench IVR', kind: 'bot', document: ivrFlow }, publish: true },
    token,
  )
  await inject(
    'POST',
    `/api/v1/flows/${flow.id}/triggers`,
    { kind: 'channel-entry', config: { channel: 'voice' } },
    token,
  )
} catch (error) {
  await app?.stop().catch(() => undefined)
  die(error)
}

const calls = app.services.voiceCalls
const edge = calls.edge()
const loopDelay = monitorEventLoopDelay({ resolution: 5 })
loopDelay.enable()

/** callId → what the bench needs of a finished call */
const finished = new Map()
let maxActive = 0
const collect = () => {
  maxActive = Math.max(maxActive, calls.active().length)
  for (const f of calls.recent()) {
    if (finished.has(f.callId)) continue
    finished.set(f.callId, {
      callId: f.callId,
      end: f.end,
      keys: f.keys,
      prompts: f.prompts.map((p) => ({ packets: p.packets, finished: p.finished })),
      media: f.media,
      answeredMs: f.answeredAt ? f.answeredAt.getTime() : null,
      endedMs: f.endedAt ? f.endedAt.getTime() : null,
      conversationId: f.conversationId,
    })
  }
}
const collector = setInterval(collect, 200)

send({
  ready: true,
  pids: { switchboard: process.pid, kamailio: edge.status().kamailio.pid, rtpengine: edge.status().rtpengine.pid },
})

process.on('message', async (message) => {
  if (message === 'facts') {
    collect()
    // the conversations' own record of each call (ivrPath, callOutcome), from the database
    const rows = await app.db.conversation.findMany({
      where: { channel: 'voice' },
      select: { status: true, attributes: true },
    })
    const attributes = rows.map((r) => ({ status: r.status, ...(r.attributes ?? {}) }))
    send({
      facts: [...finished.values()],
      active: calls.active().length,
      maxActive,
      conversations: attributes.map((a) => ({
        status: a.status,
        callOutcome: a.callOutcome ?? null,
        ivrPath: a.ivrPath ?? null,
      })),
      loopDelayMs: {
        p50: loopDelay.percentile(50) / 1e6,
        p99: loopDelay.percentile(99) / 1e6,
        max: loopDelay.max / 1e6,
      },
    })
  } else if (message === 'reset-loop') {
    loopDelay.reset()
  } else if (message === 'stop') {
    clearInterval(collector)
    await app.stop().catch(() => undefined)
    process.exit(0)
  }
})
// the bench went away without saying stop: stop anyway (the edge's daemons with the server)
process.on('disconnect', async () => {
  await app.stop().catch(() => undefined)
  process.exit(0)
})
