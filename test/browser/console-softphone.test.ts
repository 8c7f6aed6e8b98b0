import { execFileSync } from 'node:child_process'
import { createSocket, type Socket } from 'node:dgram'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { findProgram } from '../../core/src/voice/edge/programs.js'
import { espeakAvailable } from '../../core/src/voice/index.js'
import { chromiumInstalled, chromiumPath } from '../support/chromium.js'
import { consoleBuilt } from '../support/console-browser.js'
import { freeSipPort, rtpPortRange } from '../support/sip-ports.js'
import { describeSippRun, runSipp, sippPath, type SippRun } from '../support/sipp.js'
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js'

// a browser, Kamailio, rtpengine and SIPp on a loaded 2-core machine: give each step room
vi.setConfig({ testTimeout: 120_000 })

const root = join(import.meta.dirname, '../..')
const imagesDir = join(root, 'docs', 'images', 'console')
const NUMBER = '+861012345678'
const CALLER = '+8613812345678'
const MASKED = '+86138****5678'
/** the caller of the full test: a customer of their own (the others' conversations stay open with their agents) */
const CALLER_2 = '+8613900001111'
const MASKED_2 = '+86139****1111'

/** The number's entry flow: a menu whose key 2 hands the caller to the Phone support queue. */
const ivrFlow = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    {
      id: 'menu',
      type: 'gather',
      config: { prompt: 'Press 2 for an agent.', maxDigits: 1, timeout: '25s', variable: 'choice' },
    },
    { id: 'route', type: 'switch', config: { cases: [{ port: 'agent', when: "vars.choice = '2'" }] } },
    { id: 'queue', type: 'handoff', config: { queue: 'Phone support' } },
    { id: 'bye', type: 'hangup', config: {} },
  ],
  edges: [
    { from: 'start', port: 'next', to: 'menu' },
    { from: 'menu', port: 'next', to: 'route' },
    { from: 'route', port: 'agent', to: 'queue' },
    { from: 'route', port: 'default', to: 'bye' },
  ],
}

const missing = [
  ['chromium', chromiumInstalled ? chromiumPath : undefined],
  ['console build (npm run build)', consoleBuilt ? 'yes' : undefined],
  ['kamailio', findProgram('kamailio')],
  ['rtpengine', findProgram('rtpengine')],
  ['sipp', sippPath],
  ['espeak-ng and sox', espeakAvailable() ? 'yes' : undefined],
]
  .filter(([, found]) => !found)
  .map(([name]) => name)
if (missing.length > 0)
  console.warn(
    `test/browser/console-softphone.test.ts skipped: ${missing.join(', ')} missing (apt-get install chromium kamailio kamailio-websocket-modules rtpengine-daemon sip-tester espeak-ng sox)`,
  )

type Locale = 'en' | 'zh-CN'

async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (ok(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

// ---------------------------------------------------------------------------------------------
// The caller's media: a Node UDP socket named in SIPp's SDP. It sends a 440 Hz PCMU tone (and RFC
// 4733 keys) to where the 200 OK's SDP says, and counts what arrives and how much of it is sound.

/** G.711 µ-law of a 16-bit sample */
function muLaw(sample: number): number {
  const BIAS = 0x84
  const sign = sample < 0 ? 0x80 : 0
  const s = Math.min(Math.abs(sample), 32635) + BIAS
  let exponent = 7
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--
  const mantissa = (s >> (exponent + 3)) & 0x0f
  return ~(sign | (exponent << 4) | mantissa) & 0xff
}

/** the 16-bit sample of a µ-law byte */
function muLawSample(byte: number): number {
  const u = ~byte & 0xff
  const exponent = (u >> 4) & 0x07
  const mantissa = u & 0x0f
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
  return u & 0x80 ? -magnitude : magnitude
}

/** The share of a packet's energy at `frequency` (Goertzel): near 1 for a pure tone of it. */
function toneShare(samples: number[], frequency: number): number {
  const n = samples.length
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / 8000)
  let s1 = 0
  let s2 = 0
  let energy = 0
  for (const x of samples) {
    const s0 = x + coefficient * s1 - s2
    s2 = s1
    s1 = s0
    energy += x * x
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
  return energy === 0 ? 0 : (2 * power) / (n * energy)
}

interface CallerMedia {
  port: number
  received: number
  /** packets whose audio rises above -36 dBFS (not silence or comfort noise) */
  loud: number
  /** loud packets that are the browser's fake microphone: mostly its 660 Hz tone */
  microphone: number
  /** RFC 4733 events received: key → packets */
  events: Map<number, number>
  sent: number
  /** where the 200 OK told us to send (SIPp writes it to `portFile`) */
  portFile: string
  startSending(): Promise<void>
  /** one RFC 4733 key, sent as 8 event packets (3 of them ending it) */
  press(key: string): Promise<void>
  close(): void
}

async function callerMedia(dir: string): Promise<CallerMedia> {
  const socket: Socket = createSocket('udp4')
  const port = await new Promise<number>((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)))
  const portFile = join(dir, `rtp-port-${port}`)
  let seq = Math.floor(Math.random() * 1000)
  let timestamp = Math.floor(Math.random() * 100_000)
  const ssrc = Math.floor(Math.random() * 0xffffffff)
  let phase = 0
  let timer: NodeJS.Timeout | undefined
  let target: number | undefined
  let pausedForKey = false
  const media: CallerMedia = {
    port,
    received: 0,
    loud: 0,
    microphone: 0,
    events: new Map(),
    sent: 0,
    portFile,
    async startSending() {
      const file = await until(
        () => (existsSync(portFile) ? readFileSync(portFile, 'utf8').trim() : ''),
        (text) => /^\d+$/.test(text),
        60_000,
      )
      if (!/^\d+$/.test(file)) throw new Error('SIPp never wrote the answer’s media port')
      target = Number(file)
      timer = setInterval(() => {
        if (pausedForKey) return
        const payload = Buffer.alloc(160)
        for (let i = 0; i < 160; i++) {
          payload[i] = muLaw(Math.round(8000 * Math.sin(phase)))
          phase += (2 * Math.PI * 440) / 8000
        }
        send(0, payload, false)
        timestamp += 160
      }, 20)
    },
    async press(key) {
      const event = key === '*' ? 10 : key === '#' ? 11 : Number(key)
      pausedForKey = true
      const start = timestamp
      for (let i = 0; i < 8; i++) {
        const end = i >= 5
        const payload = Buffer.from([event, (end ? 0x80 : 0) | 10, 0, 0])
        payload.writeUInt16BE(Math.min(160 * (i + 1), 0xffff), 2)
        send(101, payload, i === 0, start)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      timestamp += 160 * 8
      pausedForKey = false
    },
    close() {
      if (timer) clearInterval(timer)
      socket.close()
    },
  }
  function send(pt: number, payload: Buffer, marker: boolean, ts = timestamp) {
    if (target === undefined) return
    const header = Buffer.alloc(12)
    header[0] = 0x80
    header[1] = (marker ? 0x80 : 0) | pt
    header.writeUInt16BE(seq++ & 0xffff, 2)
    header.writeUInt32BE(ts >>> 0, 4)
    header.writeUInt32BE(ssrc >>> 0, 8)
    socket.send(Buffer.concat([header, payload]), target, '127.0.0.1')
    media.sent++
  }
  socket.on('message', (packet) => {
    if (packet.length < 12) return
    const pt = packet[1]! & 0x7f
    media.received++
    if (pt === 101 && packet.length >= 16) media.events.set(packet[12]!, (media.events.get(packet[12]!) ?? 0) + 1)
    if (pt !== 0) return
    const samples = [...packet.subarray(12)].map(muLawSample)
    const peak = Math.max(...samples.map(Math.abs))
    if (peak <= 500) return
    media.loud++
    if (toneShare(samples, 660) > 0.5) media.microphone++
  })
  socket.on('error', () => undefined)
  return media
}

/** a 486 from the agent's Decline: SIPp acknowledges it (the ACK of a failure reuses the INVITE's branch) */
function declined(timeoutMs: number) {
  return `  <recv response="486" timeout="${timeoutMs}"/>
  <send>
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      From: <sip:${CALLER}@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
`
}

/**
 * SIPp as the caller's signalling: INVITE (its SDP names the Node media socket), extra headers,
 * the 200 OK's media port written to a file for the Node socket, ACK, then it waits for the BYE
 * from the other side and answers it.
 */
function callerScenario(options: {
  /** the caller's number (From) */
  caller?: string
  headers?: string
  answerTimeoutMs: number
  byeTimeoutMs: number
  /** the callee refuses (486 Busy Here from Decline): SIPp ACKs the final response and is done */
  declined?: boolean
}) {
  const caller = options.caller ?? CALLER
  const answered = `  <recv response="200" rtd="true" rrs="true" timeout="${options.answerTimeoutMs}">
    <action>
      <ereg regexp="m=audio ([0-9]+)" search_in="body" check_it="true" assign_to="whole,port"/>
      <exec command="echo [$port] > [portfile]"/>
    </action>
  </recv>
  <send>
    <![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:${caller}@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      [routes]
      Contact: <sip:${caller}@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv request="BYE" timeout="${options.byeTimeoutMs}"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:${caller}@[local_ip]:[local_port]>
      Content-Length: 0
    ]]>
  </send>
  <Reference variables="whole"/>
`
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="softphone caller">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:${caller}@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:${caller}@[local_ip]:[local_port]>
      Max-Forwards: 70
${options.headers ?? ''}      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=sipp 53655765 2353687637 IN IP4 127.0.0.1
      s=-
      c=IN IP4 127.0.0.1
      t=0 0
      m=audio [rtpport] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-15
      a=sendrecv
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="180" optional="true"/>
${options.declined ? declined(options.answerTimeoutMs) : answered}
</scenario>
`
}

// ---------------------------------------------------------------------------------------------
// The agents' browsers: Chromium with a fake microphone playing a tone (sox), every
// RTCPeerConnection kept on window.__pcs so getStats can be read.

interface AgentBrowser {
  context: BrowserContext
  page: Page
  errors: string[]
  /** audio RTP the browser received and sent so far (getStats over every peer connection) */
  audioStats(): Promise<{ packetsReceived: number; bytesReceived: number; packetsSent: number }>
}

async function inboundLoud(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let level = 0
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      const stats = await pc.getStats()
      stats.forEach((s: { type: string; kind?: string; audioLevel?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') level = Math.max(level, s.audioLevel ?? 0)
      })
    }
    return level
  })
}

describe.skipIf(missing.length > 0)('console: the agent softphone answers calls in Chromium', () => {
  let t: TestApp
  let browser: Browser
  let base = ''
  let sipPort = 0
  const used = new Set<number>()
  const dir = mkdtempSync(join(tmpdir(), 'sb-softphone-'))
  const tone = join(dir, 'microphone.wav')
  const contexts: BrowserContext[] = []
  const medias: CallerMedia[] = []
  let li: { id: string; email: string }
  let wang: { id: string; email: string }
  let adminToken = ''
  let contactId = ''

  async function user(role: 'agent' | 'admin', name: string) {
    const email = `${role}-${Math.random().toString(36).slice(2, 8)}@test.local`
    const created = await t.app.services.users.create(systemActor('test'), {
      email,
      password: TEST_PASSWORD,
      role,
      name,
    })
    return { id: created.id, email }
  }

  async function signedIn(email: string, locale: Locale): Promise<AgentBrowser> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale,
      deviceScaleFactor: 1,
      permissions: ['microphone'],
    })
    contexts.push(context)
    await context.addInitScript((l) => {
      localStorage.setItem('sb.locale', l)
      const Original = window.RTCPeerConnection
      const kept: RTCPeerConnection[] = []
      ;(window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = kept
      window.RTCPeerConnection = class extends Original {
        constructor(config?: RTCConfiguration) {
          super(config)
          kept.push(this)
        }
      } as typeof RTCPeerConnection
    }, locale)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('Failed to load resource')) errors.push(m.text())
    })
    if (process.env.SWITCHBOARD_TEST_DEBUG)
      page.on('console', (m) => console.warn(`[${email}] ${m.type()} ${m.text()}`))
    await page.goto(`${base}/console/login`)
    await page.fill('#email', email)
    await page.fill('#password', TEST_PASSWORD)
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/login')), page.click('button[type=submit]')])
    return {
      context,
      page,
      errors,
      audioStats: () =>
        page.evaluate(async () => {
          const total = { packetsReceived: 0, bytesReceived: 0, packetsSent: 0 }
          for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
            const stats = await pc.getStats()
            stats.forEach(
              (s: {
                type: string
                kind?: string
                packetsReceived?: number
                bytesReceived?: number
                packetsSent?: number
              }) => {
                if (s.type === 'inbound-rtp' && s.kind === 'audio') {
                  total.packetsReceived += s.packetsReceived ?? 0
                  total.bytesReceived += s.bytesReceived ?? 0
                }
                if (s.type === 'outbound-rtp' && s.kind === 'audio') total.packetsSent += s.packetsSent ?? 0
              },
            )
          }
          return total
        }),
    }
  }

  const shot = async (page: Page, name: string) => {
    mkdirSync(imagesDir, { recursive: true })
    await page.screenshot({ path: join(imagesDir, `${name}.png`) })
  }

  beforeAll(async () => {
    // the fake microphone: a steady 660 Hz tone, so every packet the caller gets from it is sound
    execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', tone, 'synth', '20', 'sine', '660', 'gain', '-8'])
    sipPort = await freeSipPort(used)
    t = await createTestApp({
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHBOARD_VOICE: 'on',
      SWITCHBOARD_VOICE_SIP_PORT: String(sipPort),
      SWITCHBOARD_VOICE_WS_PORT: String(await freeSipPort(used)),
      SWITCHBOARD_VOICE_RTPENGINE_PORT: String(await freeSipPort(used)),
      SWITCHBOARD_VOICE_RTP_PORTS: rtpPortRange(),
      SWITCHBOARD_VOICE_TRUNKS: '127.0.0.1',
      SWITCHBOARD_VOICE_NUMBERS: NUMBER,
    })
    await t.app.start()
    base = t.app.server.info.uri
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--autoplay-policy=no-user-gesture-required',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${tone}`,
        '--allow-loopback-in-peer-connection',
      ],
    })
    const admin = await user('admin', 'Admin')
    adminToken = await t.login(admin.email, TEST_PASSWORD)
    li = await user('agent', 'Li Na')
    wang = await user('agent', 'Wang Wei')
    contactId = (await t.app.services.contacts.create({ name: '王女士', phone: '138 1234 5678' })).id
    const probe = await t.app.server.inject({
      method: 'GET',
      url: '/api/v1/voice/softphone',
      headers: bearer(adminToken),
    })
    expect(probe.statusCode, probe.payload).toBe(200)
  }, 120_000)

  afterAll(async () => {
    for (const m of medias) m.close()
    for (const c of contexts) await c.close().catch(() => undefined)
    await browser?.close().catch(() => undefined)
    await t?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** SIPp calls agent-<id> straight (the edge lets an allow-listed trunk call any registered user) */
  async function callAgent(agentId: string, conversationId: string, options: { declined?: boolean } = {}) {
    const media = await callerMedia(dir)
    medias.push(media)
    const running: Promise<SippRun> = runSipp({
      scenario: callerScenario({
        headers: `      X-Switchboard-Conversation: ${conversationId}\n      X-Switchboard-Caller: ${MASKED}\n`,
        answerTimeoutMs: 60_000,
        byeTimeoutMs: 60_000,
        declined: options.declined,
      }),
      target: `127.0.0.1:${sipPort}`,
      service: `agent-${agentId}`,
      localPort: await freeSipPort(used),
      timeoutMs: 110_000,
      keys: { rtpport: String(media.port), portfile: media.portFile },
    })
    return { media, running }
  }

  async function ringsAt(agent: AgentBrowser, running: Promise<SippRun>) {
    await agent.page
      .locator('[data-test=softphone-ringing]')
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        const run = await running
        const calls = JSON.stringify(t.app.services.voiceCalls.recent().slice(-2), null, 1)
        throw new Error(`${String(error)}\ncalls: ${calls}\n${describeSippRun(run).slice(0, 1500)}`)
      })
  }

  /** The number's entry flow (key 2 → the Phone support queue), set up once; the queue's id. */
  let phoneSupportQueue: Promise<string> | undefined
  function phoneSupport(): Promise<string> {
    phoneSupportQueue ??= (async () => {
      const imported = await t.app.server.inject({
        method: 'POST',
        url: '/api/v1/flows/import',
        headers: bearer(adminToken),
        payload: { flow: { name: 'Phone menu', kind: 'bot', document: ivrFlow }, publish: true },
      })
      expect(imported.statusCode, imported.payload).toBe(201)
      const trigger = await t.app.server.inject({
        method: 'POST',
        url: `/api/v1/flows/${(JSON.parse(imported.payload) as { id: string }).id}/triggers`,
        headers: bearer(adminToken),
        payload: { kind: 'channel-entry', config: { channel: 'voice' } },
      })
      expect(trigger.statusCode, trigger.payload).toBe(201)
      return (await t.app.services.queues.create(systemActor('test'), { name: 'Phone support' })).id
    })()
    return phoneSupportQueue
  }

  /** SIPp calls the number as `caller`; the Node socket sends their tone and presses 2 for an agent */
  async function callTheNumber(caller: string) {
    const media = await callerMedia(dir)
    medias.push(media)
    const running = runSipp({
      scenario: callerScenario({ caller, answerTimeoutMs: 30_000, byeTimeoutMs: 100_000 }),
      target: `127.0.0.1:${sipPort}`,
      service: NUMBER,
      localPort: await freeSipPort(used),
      timeoutMs: 150_000,
      keys: { rtpport: String(media.port), portfile: media.portFile },
    })
    await media.startSending()
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await media.press('2')
    return { media, running }
  }

  async function presence(who: { email: string }, value: string) {
    const res = await t.app.server.inject({
      method: 'PUT',
      url: '/api/v1/agents/me/presence',
      headers: bearer(await t.login(who.email, TEST_PASSWORD)),
      payload: { presence: value },
    })
    expect(res.statusCode, res.payload).toBeLessThan(300)
  }

  const assignedCall = (agentId: string) =>
    t.app.db.conversation.create({
      data: { contactId, channel: 'voice', status: 'assigned', assigneeId: agentId, assignedAt: new Date() },
    })

  it('registers, rings for an INVITE to the agent, pops the conversation, answers with audio both ways, mutes, transfers, hangs up, after-call work', async () => {
    const conversation = await assignedCall(li.id)
    const agent = await signedIn(li.email, 'en')
    await agent.page.locator('.softphone[data-status=registered]').waitFor({ timeout: 30_000 })
    expect(await agent.page.locator('[data-test=softphone-status]').innerText()).toContain('Phone ready')
    await agent.page.goto(`${base}/console/tickets`)
    await agent.page.locator('.softphone[data-status=registered]').waitFor({ timeout: 30_000 })

    const { media, running } = await callAgent(li.id, conversation.id)
    // it rings with the caller's masked number, and the conversation opens with the customer panel
    await ringsAt(agent, running)
    expect(await agent.page.locator('[data-test=softphone-caller]').innerText()).toBe(MASKED)
    await agent.page.waitForURL((u) => u.pathname.endsWith(`/inbox/${conversation.id}`), { timeout: 15_000 })
    await agent.page.getByText('王女士').first().waitFor({ timeout: 15_000 })
    await shot(agent.page, 'softphone-ringing-en')

    await agent.page.click('[data-test=softphone-answer]')
    await agent.page.locator('[data-test=softphone-call]').waitFor({ timeout: 20_000 })
    await media.startSending()

    // audio both ways: the browser gets the caller's tone, the caller gets the fake microphone's
    const first = await agent.audioStats()
    const later = await until(
      () => agent.audioStats(),
      (s) => s.packetsReceived > first.packetsReceived + 50 && s.bytesReceived > first.bytesReceived + 4000,
    )
    expect(later.packetsReceived, JSON.stringify(later)).toBeGreaterThan(first.packetsReceived + 50)
    expect(later.bytesReceived).toBeGreaterThan(first.bytesReceived + 4000)
    expect(
      await until(
        () => inboundLoud(agent.page),
        (level) => level > 0.01,
      ),
    ).toBeGreaterThan(0.01)
    await until(
      () => media.microphone,
      (n) => n > 50,
    )
    expect(
      media.microphone,
      `caller got ${media.received} packets, ${media.loud} with sound, ${media.microphone} of the microphone's tone`,
    ).toBeGreaterThan(50)
    // the audio element plays the remote stream
    expect(
      await agent.page.$eval('[data-test=softphone-audio]', (a) => (a as HTMLAudioElement).srcObject !== null),
    ).toBe(true)
    await until(
      () => agent.page.locator('[data-test=softphone-timer]').innerText(),
      (text) => text !== '0:00',
    )
    await shot(agent.page, 'softphone-call-en')

    // mute: the microphone's packets stop carrying sound (the track is disabled); unmute: sound again
    await agent.page.click('[data-test=softphone-mute]')
    expect(await agent.page.getAttribute('[data-test=softphone-mute]', 'aria-pressed')).toBe('true')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const loudAtMute = media.loud
    const receivedAtMute = media.received
    await until(
      () => media.received,
      (n) => n > receivedAtMute + 50,
    )
    expect(media.loud - loudAtMute, 'sound while muted').toBeLessThan(10)
    await agent.page.click('[data-test=softphone-mute]')
    await until(
      () => media.loud,
      (n) => n > loudAtMute + 50,
    )
    expect(media.loud).toBeGreaterThan(loudAtMute + 50)

    // the keypad opens under the call
    await agent.page.click('[data-test=softphone-keypad]')
    await agent.page.locator('[data-test=softphone-keypad-panel] [data-key="#"]').waitFor({ timeout: 5000 })
    await agent.page.screenshot({ path: join(root, 'test-results', 'softphone-keypad-en.png') })
    await agent.page.click('[data-test=softphone-keypad]', { force: true })

    // the transfer dialog: colleagues (not herself), talking first only to a colleague, and a blind
    // transfer hands the conversation to Wang (with the core's voice side, his phone then rings)
    await agent.page.click('[data-test=softphone-transfer]')
    const agents = agent.page.locator('[data-test=softphone-transfer-agents]')
    await agents.locator('input[data-agent="Wang Wei"]').waitFor({ timeout: 10_000 })
    expect(await agents.locator('input[data-agent="Li Na"]').count()).toBe(0)
    await agent.page.click('[data-test=softphone-transfer-attended]')
    expect(await agent.page.isDisabled('[data-test=softphone-transfer-kind-queue]')).toBe(true)
    await agent.page.click('[data-test=softphone-transfer-blind]')
    await agents.locator('input[data-agent="Wang Wei"]').check()
    await shot(agent.page, 'softphone-transfer-en')
    await agent.page.click('[data-test=softphone-transfer-submit]')
    await agent.page.locator('[data-test=softphone-transfer-submit]').waitFor({ state: 'detached', timeout: 10_000 })
    expect((await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).assigneeId).toBe(wang.id)

    // the agent hangs up: the caller gets the BYE
    await agent.page.click('[data-test=softphone-hangup]')
    const run = await running
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    expect(run.stats).toMatchObject({ successful: 1, failed: 0 })
    await agent.page.locator('[data-test=softphone-call]').waitFor({ state: 'detached', timeout: 15_000 })

    // after a call the softphone follows the presence: after-call work shows with its timer, and
    // Ready makes the agent available again
    await presence(li, 'after-call-work')
    const acw = agent.page.locator('[data-test=softphone-acw]')
    await acw.waitFor({ timeout: 15_000 })
    expect(await acw.innerText()).toMatch(/After-call work · \d+:\d\d/)
    await agent.page.click('[data-test=softphone-ready]')
    await acw.waitFor({ state: 'detached', timeout: 15_000 })
    expect((await t.app.services.routing.agent(li.id)).presence).toBe('available')
    expect(agent.errors).toEqual([])
  })

  it('a caller through the IVR and the queue: the agent answers in the browser, audio both ways, a blind transfer to a colleague who answers, after-call work, hang-up', async () => {
    const queueId = await phoneSupport()
    const chenContact = (await t.app.services.contacts.create({ name: '陈先生', phone: '139 0000 1111' })).id
    const chen = await user('agent', 'Chen Jie')
    const zhou = await user('agent', 'Zhou Min')
    await t.app.db.queueMember.createMany({
      data: [
        { queueId, userId: chen.id },
        { queueId, userId: zhou.id },
      ],
    })
    // Chen takes the call; Zhou is away until the transfer
    await presence(zhou, 'away')
    const first = await signedIn(chen.email, 'en')
    const second = await signedIn(zhou.email, 'en')
    for (const agent of [first, second])
      await agent.page.locator('.softphone[data-status=registered]').waitFor({ timeout: 30_000 })
    await presence(chen, 'available')

    // SIPp calls the number; the Node socket sends the caller's tone and presses 2
    const { media, running } = await callTheNumber(CALLER_2)

    // Chen's softphone rings and the call's conversation pops up
    await ringsAt(first, running)
    const conversation = await until(
      () =>
        t.app.db.conversation.findFirst({
          where: { channel: 'voice', contactId: chenContact },
          orderBy: { createdAt: 'desc' },
        }),
      (c) => c?.status === 'assigned',
    )
    expect(conversation?.assigneeId).toBe(chen.id)
    await first.page.waitForURL((u) => u.pathname.endsWith(`/inbox/${conversation!.id}`), { timeout: 15_000 })
    expect(await first.page.locator('[data-test=softphone-caller]').innerText()).toBe(MASKED_2)
    await first.page.getByText('陈先生').first().waitFor({ timeout: 15_000 })
    await first.page.click('[data-test=softphone-answer]')
    await first.page.locator('[data-test=softphone-call]').waitFor({ timeout: 20_000 })

    // audio both ways: the caller hears Chen's microphone, Chen's browser receives the caller
    const heardBefore = media.microphone
    await until(
      () => media.microphone,
      (n) => n > heardBefore + 50,
    )
    expect(
      media.microphone,
      `caller: ${media.received} packets, ${media.microphone} of the microphone`,
    ).toBeGreaterThan(heardBefore + 50)
    const chenStart = await first.audioStats()
    const chenLater = await until(
      () => first.audioStats(),
      (s) => s.packetsReceived > chenStart.packetsReceived + 50,
    )
    expect(chenLater.packetsReceived).toBeGreaterThan(chenStart.packetsReceived + 50)
    expect(chenLater.bytesReceived).toBeGreaterThan(chenStart.bytesReceived)

    // hold: the caller no longer hears Chen (music or nothing instead); resume: Chen again
    await first.page.click('[data-test=softphone-hold]')
    await first.page.locator('[data-test=softphone-call].held').waitFor({ timeout: 10_000 })
    expect(await first.page.locator('[data-test=softphone-call]').innerText()).toContain('On hold')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const heardAtHold = media.microphone
    const receivedAtHold = media.received
    await until(
      () => media.received,
      (n) => n > receivedAtHold + 75,
    )
    expect(media.microphone - heardAtHold, 'Chen heard while the caller holds').toBeLessThan(10)
    await first.page.click('[data-test=softphone-hold]')
    await first.page.locator('[data-test=softphone-call]:not(.held)').waitFor({ timeout: 10_000 })
    const heardAtResume = media.microphone
    await until(
      () => media.microphone,
      (n) => n > heardAtResume + 50,
    )
    expect(media.microphone).toBeGreaterThan(heardAtResume + 50)

    // the keypad: 7 reaches the caller as RFC 4733 events
    await first.page.click('[data-test=softphone-keypad]')
    await first.page.click('[data-test=softphone-keypad-panel] [data-key="7"]')
    await until(
      () => media.events.get(7) ?? 0,
      (n) => n >= 3,
    )
    expect(media.events.get(7) ?? 0).toBeGreaterThanOrEqual(3)
    await first.page.keyboard.press('Escape')
    await first.page.locator('.softphone .scrim').click()

    // a blind transfer to Zhou, now available
    await presence(zhou, 'available')
    await first.page.click('[data-test=softphone-transfer]')
    await first.page.locator('[data-test=softphone-transfer-agents] input[data-agent="Zhou Min"]').check()
    await first.page.click('[data-test=softphone-transfer-submit]')
    await ringsAt(second, running)
    await second.page.waitForURL((u) => u.pathname.endsWith(`/inbox/${conversation!.id}`), { timeout: 15_000 })
    await second.page.click('[data-test=softphone-answer]')
    await second.page.locator('[data-test=softphone-call]').waitFor({ timeout: 20_000 })
    // Chen's leg has ended
    await first.page.locator('[data-test=softphone-call]').waitFor({ state: 'detached', timeout: 20_000 })

    // the caller now hears Zhou's microphone and Zhou's browser receives the caller
    const heardAtTransfer = media.microphone
    await until(
      () => media.microphone,
      (n) => n > heardAtTransfer + 50,
    )
    expect(media.microphone).toBeGreaterThan(heardAtTransfer + 50)
    const zhouStart = await second.audioStats()
    const zhouLater = await until(
      () => second.audioStats(),
      (s) => s.packetsReceived > zhouStart.packetsReceived + 50,
    )
    expect(zhouLater.packetsReceived).toBeGreaterThan(zhouStart.packetsReceived + 50)

    // Zhou hangs up: the caller gets the BYE
    await second.page.click('[data-test=softphone-hangup]')
    const run = await running
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    expect(run.stats).toMatchObject({ successful: 1, failed: 0 })
    await second.page.locator('[data-test=softphone-call]').waitFor({ state: 'detached', timeout: 20_000 })
    // Zhou's call has ended: after-call work counts down from voice.afterCallWorkSeconds
    const acw = second.page.locator('[data-test=softphone-acw]')
    await acw.waitFor({ timeout: 20_000 })
    const left = /After-call work · (\d+):(\d\d)/.exec(await acw.innerText())
    expect(left, await acw.innerText()).not.toBeNull()
    expect(Number(left![1]) * 60 + Number(left![2])).toBeLessThanOrEqual(t.config.voice.afterCallWorkSeconds)
    expect((await t.app.services.routing.agent(zhou.id)).presence).toBe('after-call-work')
    expect(first.errors).toEqual([])
    expect(second.errors).toEqual([])
  })

  it('an attended transfer: the caller holds while the agent talks to a colleague, who then takes the call', async () => {
    const queueId = await phoneSupport()
    const sun = await user('agent', 'Sun Li')
    const ma = await user('agent', 'Ma Lin')
    await t.app.db.queueMember.createMany({
      data: [
        { queueId, userId: sun.id },
        { queueId, userId: ma.id },
      ],
    })
    // only Sun takes calls from the queue now
    for (const other of await t.app.db.queueMember.findMany({ where: { queueId } }))
      if (other.userId !== sun.id) {
        const row = await t.app.db.user.findUniqueOrThrow({ where: { id: other.userId } })
        await presence(row, 'away')
      }
    const callerContact = (await t.app.services.contacts.create({ name: '孙女士', phone: '137 0000 2222' })).id
    const first = await signedIn(sun.email, 'en')
    const second = await signedIn(ma.email, 'en')
    for (const agent of [first, second])
      await agent.page.locator('.softphone[data-status=registered]').waitFor({ timeout: 30_000 })
    await presence(sun, 'available')

    const { media, running } = await callTheNumber('+8613700002222')
    await ringsAt(first, running)
    const conversation = await until(
      () =>
        t.app.db.conversation.findFirst({
          where: { channel: 'voice', contactId: callerContact },
          orderBy: { createdAt: 'desc' },
        }),
      (c) => c?.status === 'assigned',
    )
    expect(conversation?.assigneeId).toBe(sun.id)
    await first.page.click('[data-test=softphone-answer]')
    await first.page.locator('[data-test=softphone-call]').waitFor({ timeout: 20_000 })
    const heardAtAnswer = media.microphone
    await until(
      () => media.microphone,
      (n) => n > heardAtAnswer + 50,
    )

    // Talk first: Ma's phone rings for the same conversation; Sun's shows the consult
    await presence(ma, 'available')
    await first.page.click('[data-test=softphone-transfer]')
    await first.page.click('[data-test=softphone-transfer-attended]')
    await first.page.locator('[data-test=softphone-transfer-agents] input[data-agent="Ma Lin"]').check()
    await first.page.click('[data-test=softphone-transfer-submit]')
    await first.page.locator('[data-test=softphone-consult-complete]').waitFor({ timeout: 10_000 })
    expect(await first.page.locator('[data-test=softphone-call]').innerText()).toContain('Consulting Ma Lin')
    await ringsAt(second, running)
    await second.page.waitForURL((u) => u.pathname.endsWith(`/inbox/${conversation!.id}`), { timeout: 15_000 })
    await second.page.click('[data-test=softphone-answer]')
    await second.page.locator('[data-test=softphone-call]').waitFor({ timeout: 20_000 })
    // Sun and Ma hear each other; the caller, holding, hears neither
    const maStart = await second.audioStats()
    const maLater = await until(
      () => second.audioStats(),
      (s) => s.packetsReceived > maStart.packetsReceived + 50,
    )
    expect(maLater.packetsReceived).toBeGreaterThan(maStart.packetsReceived + 50)
    expect(
      await until(
        () => inboundLoud(second.page),
        (level) => level > 0.01,
      ),
    ).toBeGreaterThan(0.01)
    const heardAtConsult = media.microphone
    const receivedAtConsult = media.received
    await until(
      () => media.received,
      (n) => n > receivedAtConsult + 75,
    )
    expect(media.microphone - heardAtConsult, 'the holding caller heard an agent').toBeLessThan(10)

    // Complete: Sun leaves, the caller and Ma talk
    await first.page.click('[data-test=softphone-consult-complete]')
    await first.page.locator('[data-test=softphone-call]').waitFor({ state: 'detached', timeout: 20_000 })
    const heardAtComplete = media.microphone
    await until(
      () => media.microphone,
      (n) => n > heardAtComplete + 50,
    )
    expect(media.microphone).toBeGreaterThan(heardAtComplete + 50)
    expect((await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversation!.id } })).assigneeId).toBe(ma.id)

    await second.page.click('[data-test=softphone-hangup]')
    const run = await running
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    expect(first.errors).toEqual([])
    expect(second.errors).toEqual([])
  })

  it('in Chinese: rings, answers and hangs up; a declined call answers 486 Busy Here', async () => {
    const agent = await signedIn(wang.email, 'zh-CN')
    await agent.page.locator('.softphone[data-status=registered]').waitFor({ timeout: 30_000 })
    expect(await agent.page.locator('[data-test=softphone-status]').innerText()).toContain('话机就绪')

    const conversation = await assignedCall(wang.id)
    const { media, running } = await callAgent(wang.id, conversation.id)
    await ringsAt(agent, running)
    await agent.page.waitForURL((u) => u.pathname.endsWith(`/inbox/${conversation.id}`), { timeout: 15_000 })
    await agent.page.getByText('王女士').first().waitFor({ timeout: 15_000 })
    expect(await agent.page.locator('[data-test=softphone-ringing]').innerText()).toContain('来电')
    await shot(agent.page, 'softphone-ringing-zh-CN')
    await agent.page.click('[data-test=softphone-answer]')
    await agent.page.locator('[data-test=softphone-call]').waitFor({ timeout: 20_000 })
    await media.startSending()
    await until(
      () => media.loud,
      (n) => n > 50,
    )
    await until(
      () => agent.page.locator('[data-test=softphone-timer]').innerText(),
      (text) => text !== '0:00',
    )
    expect(await agent.page.locator('[data-test=softphone-call]').innerText()).toContain('通话中')
    await shot(agent.page, 'softphone-call-zh-CN')
    await agent.page.click('[data-test=softphone-hangup]')
    const run = await running
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    await agent.page.locator('[data-test=softphone-call]').waitFor({ state: 'detached', timeout: 15_000 })

    // Decline: SIPp gets 486 Busy Here and the widget is back to ready
    const second = await callAgent(wang.id, conversation.id, { declined: true })
    await ringsAt(agent, second.running)
    await agent.page.click('[data-test=softphone-decline]')
    const declinedRun = await second.running
    expect(declinedRun.exitCode, describeSippRun(declinedRun)).toBe(0)
    await agent.page.locator('.softphone[data-status=registered][data-call=idle]').waitFor({ timeout: 15_000 })
    expect(agent.errors).toEqual([])
  })

  it('explains a blocked microphone instead of answering', async () => {
    // a colleague of their own (one registration: a call to Li would ring her other browsers too)
    const zhao = await user('agent', 'Zhao Lei')
    const agent = await signedIn(zhao.email, 'en')
    // the browser refuses the microphone, as when the agent clicked "Block"
    await agent.page.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
    })
    await agent.page.reload()
    await agent.page.locator('.softphone[data-status=registered]').waitFor({ timeout: 30_000 })
    const conversation = await assignedCall(zhao.id)
    const { running } = await callAgent(zhao.id, conversation.id, { declined: true })
    await ringsAt(agent, running)
    await agent.page.click('[data-test=softphone-answer]')
    const problem = agent.page.locator('[data-test=softphone-mic-problem]')
    await problem.waitFor({ timeout: 15_000 })
    expect(await problem.innerText()).toContain('blocks the microphone')
    // still ringing: the agent can fix the permission and answer, or decline
    await agent.page.locator('[data-test=softphone-ringing]').waitFor({ timeout: 5000 })
    await agent.page.click('[data-test=softphone-decline]')
    const run = await running
    expect(run.exitCode, describeSippRun(run)).toBe(0)
  })
})
