import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findProgram } from '../../core/src/voice/edge/programs.js'
import { espeakAvailable, openMediaSockets, type CallFacts } from '../../core/src/voice/index.js'
import { freeSipPort, rtpPortRange } from '../support/sip-ports.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

// baresip (Debian package baresip-core) as a real SIP phone: it registers at the voice edge with
// the time-limited credentials Switchboard issues (digest auth, no trunk), calls the IVR number,
// hears the menu, presses 2 (RFC 4733, baresip's own sender), and is hung up on by the flow.
// Headless: no sound card; the microphone is the ausine module (a 440 Hz tone), the speaker
// aufile, and the sndfile module writes what the phone decoded to a WAV file. It is driven over
// its ctrl_tcp interface (netstring-framed JSON commands and events).

const NUMBER = '+861012345678'
const PHONE = 'phone1'
const baresipPath = ['/usr/bin/baresip', '/usr/local/bin/baresip'].find((p) => existsSync(p))
const moduleDir = ['/usr/lib/baresip/modules', '/usr/lib/x86_64-linux-gnu/baresip/modules'].find((d) =>
  existsSync(join(d, 'ctrl_tcp.so')),
)

const missing = [
  ['kamailio', findProgram('kamailio')],
  ['rtpengine', findProgram('rtpengine')],
  ['baresip (with its ctrl_tcp module)', baresipPath && moduleDir],
  ['espeak-ng and sox', espeakAvailable() ? 'yes' : undefined],
]
  .filter(([, path]) => !path)
  .map(([name]) => name)
if (missing.length > 0)
  console.warn(
    `test/voice/baresip-smoke.test.ts skipped: ${missing.join(', ')} not installed (apt-get install kamailio kamailio-websocket-modules rtpengine-daemon baresip-core espeak-ng sox)`,
  )

const phoneFlow = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'welcome', type: 'play', config: { text: 'Hello from the phone test. Press 2 to hear the answer.' } },
    { id: 'menu', type: 'gather', config: { maxDigits: 1, timeout: '30s', variable: 'choice' } },
    { id: 'route', type: 'switch', config: { cases: [{ port: 'two', when: "vars.choice = '2'" }] } },
    { id: 'answer', type: 'play', config: { text: 'You pressed two. Goodbye.' } },
    { id: 'bye', type: 'hangup', config: {} },
  ],
  edges: [
    { from: 'start', port: 'next', to: 'welcome' },
    { from: 'welcome', port: 'next', to: 'menu' },
    { from: 'menu', port: 'next', to: 'route' },
    { from: 'menu', port: 'timeout', to: 'bye' },
    { from: 'route', port: 'two', to: 'answer' },
    { from: 'route', port: 'default', to: 'bye' },
    { from: 'answer', port: 'next', to: 'bye' },
  ],
}

async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (ok(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

interface BaresipEvent {
  event?: boolean
  type?: string
  response?: boolean
  ok?: boolean
  data?: string
  param?: string
  [key: string]: unknown
}

/** baresip's ctrl_tcp: netstrings (`<length>:<json>,`) both ways; keeps every message it got. */
class BaresipControl {
  readonly messages: BaresipEvent[] = []
  private buffer = Buffer.alloc(0)
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk])
      for (;;) {
        const colon = this.buffer.indexOf(':')
        if (colon < 0) break
        const length = Number(this.buffer.subarray(0, colon).toString())
        if (this.buffer.length < colon + 1 + length + 1) break
        const body = this.buffer.subarray(colon + 1, colon + 1 + length).toString()
        this.buffer = this.buffer.subarray(colon + 1 + length + 1)
        try {
          this.messages.push(JSON.parse(body) as BaresipEvent)
        } catch {
          this.messages.push({ data: body })
        }
      }
    })
    socket.on('error', () => undefined)
  }

  static async open(port: number, ms = 10_000): Promise<BaresipControl> {
    const deadline = Date.now() + ms
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(port, '127.0.0.1', () => resolve(s))
          s.once('error', reject)
        })
        return new BaresipControl(socket)
      } catch (error) {
        if (Date.now() > deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  }

  command(command: string, params?: string): void {
    const body = JSON.stringify({ command, ...(params !== undefined ? { params } : {}), token: command })
    this.socket.write(`${Buffer.byteLength(body)}:${body},`)
  }

  /** Waits (bounded) for an event of this type; returns it or undefined. */
  event(type: string, ms = 15_000): Promise<BaresipEvent | undefined> {
    return until(
      () => this.messages.find((m) => m.event && m.type === type),
      (m) => m !== undefined,
      ms,
    )
  }

  close(): void {
    this.socket.destroy()
  }
}

/** Mean absolute amplitude of a 16-bit PCM WAV file's samples (0 = silence). */
function wavLoudness(file: string): number {
  const data = readFileSync(file)
  const start = data.indexOf('data') + 8
  let sum = 0
  let n = 0
  for (let i = start; i + 1 < data.length; i += 2) {
    sum += Math.abs(data.readInt16LE(i))
    n += 1
  }
  return n === 0 ? 0 : sum / n
}

describe.skipIf(missing.length > 0)('baresip as a real phone: registers, calls the IVR, presses a key', () => {
  let t: TestApp
  let sipPort: number
  let dir: string
  let phone: ChildProcess | undefined
  let control: BaresipControl | undefined
  let phoneOutput = ''
  const used = new Set<number>()

  beforeAll(async () => {
    sipPort = await freeSipPort(used)
    // no trunk: every INVITE must come from a phone that authenticates
    t = await createTestApp({
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHBOARD_VOICE: 'on',
      SWITCHBOARD_VOICE_SIP_PORT: String(sipPort),
      SWITCHBOARD_VOICE_WS_PORT: String(await freeSipPort(used)),
      SWITCHBOARD_VOICE_RTPENGINE_PORT: String(await freeSipPort(used)),
      SWITCHBOARD_VOICE_RTP_PORTS: rtpPortRange(),
      SWITCHBOARD_VOICE_NUMBERS: NUMBER,
    })
    await t.app.start()
    const { token } = await t.tokenFor('admin')
    const imported = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/flows/import',
      headers: bearer(token),
      payload: { flow: { name: 'Phone test', kind: 'bot', document: phoneFlow }, publish: true },
    })
    expect(imported.statusCode, imported.payload).toBe(201)
    const flowId = (JSON.parse(imported.payload) as { id: string }).id
    const trigger = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/flows/${flowId}/triggers`,
      headers: bearer(token),
      payload: { kind: 'channel-entry', config: { channel: 'voice' } },
    })
    expect(trigger.statusCode, trigger.payload).toBe(201)
    dir = mkdtempSync(join(tmpdir(), 'sb-baresip-'))
  }, 60_000)

  afterAll(async () => {
    control?.close()
    if (phone && phone.exitCode === null && phone.signalCode === null) phone.kill('SIGKILL')
    await t?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('registers with time-limited credentials, hears the menu, presses 2, hears the answer and is hung up on', async () => {
    // the credentials the edge issues to a phone (the agent's softphone gets the same kind)
    const edge = t.app.services.voiceCalls.edge()!
    const credentials = edge.credentials(PHONE, new Date(Date.now() + 10 * 60_000))
    const phoneSipPort = await freeSipPort(used)
    const controlPort = await freeSipPort(used)
    const rtp = rtpPortRange(20)
    writeFileSync(
      join(dir, 'accounts'),
      `<sip:${PHONE}@127.0.0.1:${sipPort}>;auth_user=${credentials.username};auth_pass=${credentials.password};` +
        `regint=600;audio_codecs=PCMU;answermode=manual\n`,
    )
    writeFileSync(
      join(dir, 'config'),
      [
        `sip_listen 127.0.0.1:${phoneSipPort}`,
        'sip_transports udp',
        `ctrl_tcp_listen 127.0.0.1:${controlPort}`,
        'audio_source ausine,440',
        // ausine makes 48 kHz stereo only; baresip resamples to the call's 8 kHz mono PCMU
        'ausrc_srate 48000',
        'ausrc_channels 2',
        `audio_player aufile,${join(dir, 'speaker.wav')}`,
        `rtp_ports ${rtp}`,
        `snd_path ${dir}`,
        `module_path ${moduleDir}`,
        'module g711.so',
        'module ausine.so',
        'module aufile.so',
        'module sndfile.so',
        'module_app account.so',
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        '',
      ].join('\n'),
    )
    phone = spawn(baresipPath!, ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    phone.stdout!.on('data', (d: Buffer) => (phoneOutput = (phoneOutput + d.toString()).slice(-20_000)))
    phone.stderr!.on('data', (d: Buffer) => (phoneOutput = (phoneOutput + d.toString()).slice(-20_000)))
    const exited = new Promise<number | null>((resolve) => phone!.once('exit', (code) => resolve(code)))

    control = await BaresipControl.open(controlPort)
    // registered at Kamailio with the digest credentials (often before the control connection is up,
    // so the event may have gone by: baresip also prints the registrar's answer)
    const registered = await until(
      () => control!.messages.some((m) => m.event && m.type === 'REGISTER_OK') || / 200 OK .*binding/.test(phoneOutput),
      (ok) => ok,
    )
    expect(registered, phoneOutput).toBe(true)

    control.command('dial', `sip:${NUMBER}@127.0.0.1:${sipPort}`)
    expect(await control.event('CALL_ESTABLISHED'), phoneOutput).toBeDefined()

    // the menu plays; once the flow waits for a key, the phone presses 2
    const active = await until(
      () => t.app.services.voiceCalls.active()[0],
      (c) => c !== undefined && c.prompts.length === 1 && c.prompts[0]!.packets > 50,
    )
    expect(active?.from).toBe(PHONE)
    control.command('sndcode', '2')

    // the flow answers and hangs up: the phone sees its call closed
    expect(await control.event('CALL_CLOSED', 30_000), phoneOutput).toBeDefined()
    const facts = (await until(
      () => t.app.services.voiceCalls.recent().find((c) => c.callId === active!.callId),
      (c) => c !== undefined,
    )) as CallFacts
    expect(facts).toMatchObject({ from: PHONE, to: NUMBER, phase: 'ended', end: 'flow-hangup', keys: ['2'] })
    expect(facts.prompts.map((p) => p.text)).toEqual([
      'Hello from the phone test. Press 2 to hear the answer.',
      'You pressed two. Goodbye.',
    ])
    expect(facts.prompts[1]!.finished).toBe(true)
    expect(facts.prompts.every((p) => p.packets > 50)).toBe(true)
    // the phone's microphone (the tone) reached Switchboard; its key came as RFC 4733 events
    expect(facts.media!.receivedNonSilent).toBeGreaterThan(100)
    expect(facts.media!.dtmfPackets).toBeGreaterThanOrEqual(1)

    // the conversation: the voice channel, resolved, the path through the menu's branch 2
    const conversation = await until(
      () => t.app.db.conversation.findUniqueOrThrow({ where: { id: facts.conversationId! } }),
      (c) => c.status === 'resolved',
    )
    expect(conversation).toMatchObject({ channel: 'voice', status: 'resolved' })
    expect(conversation.attributes).toMatchObject({
      callOutcome: 'completed',
      ivrPath: ['start', 'welcome', 'menu:2', 'route', 'answer', 'bye'],
    })
    expect(openMediaSockets()).toBe(0)
    expect(t.app.services.voiceCalls.active()).toEqual([])

    // what the phone decoded (sndfile's dump) is the prompts, not silence
    const heard = readdirSync(dir).filter((f) => f.startsWith('dump-') && f.endsWith('-dec.wav'))
    expect(heard, readdirSync(dir).join(', ')).toHaveLength(1)
    expect(wavLoudness(join(dir, heard[0]!))).toBeGreaterThan(100)

    // the phone shuts down cleanly (unregisters and exits 0) when told to
    control.command('quit')
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 8000))])
    if (code === 'timeout') phone.kill('SIGTERM')
    const finalCode = code === 'timeout' ? await exited : code
    expect(finalCode, phoneOutput).toBe(0)
  }, 90_000)
})
