import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findProgram } from '../../core/src/voice/edge/programs.js'
import { espeakAvailable, openMediaSockets, type CallFacts } from '../../core/src/voice/index.js'
import { mulawToLinear, wavHeader } from '../../core/src/voice/recordings/index.js'
import { callWithScript, isSilentFrame, type RecordingCaller } from '../support/sip-recording-caller.js'
import { freeSipPort, rtpPortRange } from '../support/sip-ports.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const NUMBER = '+861012345678'
const CALLER = '+8613812345678'

const missing = [
  ['kamailio', findProgram('kamailio')],
  ['rtpengine', findProgram('rtpengine')],
  ['espeak-ng and sox', espeakAvailable() ? 'yes' : undefined],
]
  .filter(([, path]) => !path)
  .map(([name]) => name)
if (missing.length > 0)
  console.warn(
    `test/voice/recording-consent.test.ts skipped: ${missing.join(', ')} not installed (apt-get install kamailio kamailio-websocket-modules rtpengine-daemon espeak-ng sox)`,
  )

async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 20_000, what = 'a condition') {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The entry flow: a welcome, then a long wait for keys (the caller talks, then hangs up). */
const flow = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'welcome', type: 'play', config: { text: 'Welcome to the shop.' } },
    { id: 'menu', type: 'gather', config: { maxDigits: 1, timeout: '25s', variable: 'choice' } },
    { id: 'bye', type: 'hangup', config: {} },
  ],
  edges: [
    { from: 'start', port: 'next', to: 'welcome' },
    { from: 'welcome', port: 'next', to: 'menu' },
    { from: 'menu', port: 'next', to: 'bye' },
  ],
}

/** 1.5 s of a 440 Hz tone as the consent announcement: every frame of it has sound, none is like speech */
function consentWav(): Buffer {
  const samples = 12_000
  const data = Buffer.alloc(samples * 2)
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)), i * 2)
  return Buffer.concat([wavHeader(data.length, 1), data])
}

/** what the caller says: a 1 kHz tone (8 samples a period) */
const TONE = (() => {
  const frame = Buffer.alloc(160)
  for (let i = 0; i < 160; i++) frame[i] = linearToMulaw(Math.round(12_000 * Math.sin((2 * Math.PI * i) / 8)))
  return frame
})()
function linearToMulaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0
  const magnitude = Math.min(Math.abs(sample), 32_635) + 0x84
  let exponent = 7
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f
  return ~(sign | (exponent << 4) | mantissa) & 0xff
}
/** what the caller "says" before: chatter frames numbered in their bytes 1–2, so a recorded one can be traced */
const CHATTER = 0x22
function chatter(index: number): Buffer {
  const frame = Buffer.alloc(160, CHATTER)
  frame.writeUInt16BE(index & 0x3fff, 1)
  return frame
}
const SILENCE = Buffer.alloc(160, 0xff)
/** the RMS of the difference of two µ-law frames, as linear samples */
function difference(a: Buffer, b: Buffer): number {
  const x = mulawToLinear(a)
  const y = mulawToLinear(b)
  let sum = 0
  for (let i = 0; i < x.length; i++) sum += (x[i]! - (y[i] ?? 0)) ** 2
  return Math.sqrt(sum / x.length)
}
const rms = (payload: Buffer) => {
  const samples = mulawToLinear(payload)
  let sum = 0
  for (const s of samples) sum += s * s
  return Math.sqrt(sum / samples.length)
}

describe.skipIf(missing.length > 0)('recording with consent: the announcement first, the recording after it', () => {
  let t: TestApp
  let admin: string
  let webSocketUrl: string
  let consentAudio: Buffer
  const used = new Set<number>()
  let caller: RecordingCaller | undefined

  beforeAll(async () => {
    const wsPort = await freeSipPort(used)
    t = await createTestApp({
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHBOARD_VOICE: 'on',
      SWITCHBOARD_VOICE_SIP_PORT: String(await freeSipPort(used)),
      SWITCHBOARD_VOICE_WS_PORT: String(wsPort),
      SWITCHBOARD_VOICE_RTPENGINE_PORT: String(await freeSipPort(used)),
      SWITCHBOARD_VOICE_RTP_PORTS: rtpPortRange(),
      SWITCHBOARD_VOICE_TRUNKS: '127.0.0.1',
      SWITCHBOARD_VOICE_NUMBERS: NUMBER,
      SWITCHBOARD_VOICE_RECORDING: 'calls',
      SWITCHBOARD_VOICE_RECORDING_CONSENT_FILE: 'consent.wav',
    })
    const audioDir = join(t.config.data.dir, 'voice', 'audio')
    mkdirSync(audioDir, { recursive: true })
    writeFileSync(join(audioDir, 'consent.wav'), consentWav())
    // what the caller must hear first: the file as the prompt cache converts it
    consentAudio = execFileSync('/usr/bin/sox', [
      '-V1',
      join(audioDir, 'consent.wav'),
      '-r',
      '8000',
      '-c',
      '1',
      '-e',
      'u-law',
      '-t',
      'raw',
      '-',
    ])
    await t.app.start()
    admin = (await t.tokenFor('admin')).token
    const imported = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/flows/import',
      headers: bearer(admin),
      payload: { flow: { name: 'Welcome', kind: 'bot', document: flow }, publish: true },
    })
    expect(imported.statusCode, imported.payload).toBe(201)
    const flowId = (JSON.parse(imported.payload) as { id: string }).id
    const trigger = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/flows/${flowId}/triggers`,
      headers: bearer(admin),
      payload: { kind: 'channel-entry', config: { channel: 'voice' } },
    })
    expect(trigger.statusCode, trigger.payload).toBe(201)
    await t.app.services.contacts.create({ name: '王女士', phone: '138 1234 5678' })
    webSocketUrl = `ws://127.0.0.1:${wsPort}`
  }, 90_000)

  afterAll(async () => {
    await caller?.stop()
    await t?.close()
  })

  it('plays the consent first, starts recording after its last packet, and records only what came after', async () => {
    // the caller chatters until the prompts are over, then says its tone for 1 s, then is quiet and hangs up
    let phase: 'chatter' | 'tone' | 'quiet' = 'chatter'
    let toneFrames = 0
    caller = await callWithScript({
      webSocketUrl,
      user: CALLER,
      domain: '127.0.0.1',
      number: NUMBER,
      next(index) {
        if (phase === 'tone' && toneFrames++ >= 50) phase = 'quiet'
        if (phase === 'chatter') return { kind: 'chatter', payload: chatter(index) }
        if (phase === 'tone') return { kind: 'tone', payload: TONE }
        return { kind: 'quiet', payload: SILENCE }
      },
    })
    await caller.established
    const handler = caller.handler()!
    const live = () => t.app.services.voiceCalls.active()[0]
    // the consent and the welcome played (the caller keeps chattering meanwhile)
    const facts = await until(
      () => live(),
      (f) => Boolean(f && f.prompts.length >= 2 && f.prompts.every((p) => p.finished)),
      30_000,
      'the consent and the welcome to be played',
    )
    expect(facts!.prompts[0]).toMatchObject({ file: 'consent.wav', text: null, finished: true })
    expect(facts!.prompts[1]).toMatchObject({ text: 'Welcome to the shop.', finished: true })
    const conversationId = facts!.conversationId!
    // a moment of quiet after the welcome, then the tone
    await new Promise((resolve) => setTimeout(resolve, 300))
    phase = 'tone'
    await until(
      () => phase,
      (p) => p === 'quiet',
      10_000,
      'the tone to be sent',
    )
    await new Promise((resolve) => setTimeout(resolve, 400))
    await caller.bye()
    await caller.ended

    const recording = await until(
      () => t.app.db.callRecording.findFirst({ where: { conversationId } }),
      (r) => r?.status === 'complete',
      15_000,
      'the recording to be complete',
    )

    // ── what the caller heard: the consent's audio is the first sound, frame for frame ──
    const heard = handler.heard
    const first = heard.findIndex((h) => !h.silent)
    expect(first).toBeGreaterThanOrEqual(0)
    const consentFrames = Math.ceil(consentAudio.length / 160)
    expect(facts!.prompts[0]!.packets).toBe(consentFrames)
    // (sox dithers when it converts, so the same file's audio differs in the last bit: compared as sound)
    for (let f = 0; f < consentFrames - 1; f++)
      expect(
        difference(heard[first + f]!.payload, consentAudio.subarray(f * 160, f * 160 + 160)),
        `consent frame ${f}`,
      ).toBeLessThan(600)
    const lastConsent = heard[first + consentFrames - 1]!
    const firstConsent = heard[first]!

    // ── the recording started once the consent had been played to its end ──
    const consentPlayedAt = recording!.consentPlayedAt!.getTime()
    expect(consentPlayedAt).not.toBeNaN()
    // at most one frame's transit before the caller got the consent's last packet, and never before it was all sent
    expect(consentPlayedAt).toBeGreaterThanOrEqual(lastConsent.at - 20)
    expect(consentPlayedAt).toBeGreaterThanOrEqual(firstConsent.at + (consentFrames - 2) * 20 - 40)
    expect(recording!.startedAt.getTime()).toBeGreaterThanOrEqual(consentPlayedAt)
    expect(recording!.keyId).toBe(t.app.pii.activeKeyId)

    // ── what was recorded ──
    const { caller: callerSide, other } = await t.app.services.recordings.readRecording(recording!.id)
    const frames = (audio: Buffer) =>
      Array.from({ length: Math.floor(audio.length / 160) }, (_, i) => audio.subarray(i * 160, i * 160 + 160))
    const callerFrames = frames(callerSide)
    const otherFrames = frames(other)
    expect(recording!.durationMs).toBe(callerFrames.length * 20)

    // nothing the caller said before the consent ended: every recorded chatter frame was sent after it
    const sentChatter = handler.sent.filter((s) => s.kind === 'chatter')
    const sentAt = new Map(sentChatter.map((s) => [s.payload.readUInt16BE(1), s.at]))
    const chatterBefore = sentChatter.filter((s) => s.at < consentPlayedAt - 100)
    expect(chatterBefore.length).toBeGreaterThan(50) // the caller did talk during the consent
    const recordedChatter = callerFrames.filter((f) => f[0] === CHATTER && f[159] === CHATTER)
    for (const frame of recordedChatter) {
      const at = sentAt.get(frame.readUInt16BE(1))
      expect(at, 'a recorded chatter frame the caller sent').toBeDefined()
      expect(at!).toBeGreaterThanOrEqual(lastConsent.at - 60)
    }
    // the consent itself is not in the other side either
    const consentParts = Array.from({ length: consentFrames - 1 }, (_, f) =>
      consentAudio.subarray(f * 160, f * 160 + 160),
    )
    const likeConsent = otherFrames.filter(
      (frame) => !isSilentFrame(frame) && consentParts.some((c) => difference(frame, c) < 600),
    )
    expect(likeConsent).toHaveLength(0)
    // the welcome is on the other side, with sound
    expect(otherFrames.filter((f) => !isSilentFrame(f)).length).toBeGreaterThan(20)

    // the tone: 1 s with energy, where the caller said it
    const toneAt = callerFrames.map((f, i) => (f.equals(TONE) ? i : -1)).filter((i) => i >= 0)
    expect(toneAt.length).toBeGreaterThanOrEqual(45)
    expect(toneAt.length).toBeLessThanOrEqual(51)
    expect(rms(TONE)).toBeGreaterThan(5000)
    const toneSentAt = handler.sent.find((s) => s.kind === 'tone')!.at
    const expectedIndex = (toneSentAt - recording!.startedAt.getTime()) / 20
    expect(Math.abs(toneAt[0]! - expectedIndex)).toBeLessThan(15) // within 300 ms
    // the rest of the caller side: quiet or (after the consent) chatter, nothing else
    const elsewhere = callerFrames.filter((f) => !f.equals(TONE) && !(f[0] === CHATTER && f[159] === CHATTER))
    expect(elsewhere.filter((f) => rms(f) > 100)).toHaveLength(0)

    // the conversation knows its recording
    const conversation = await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })
    const attributes = conversation.attributes as { recordingIds?: string[]; callOutcome?: string }
    expect(attributes.recordingIds).toEqual([recording!.id])
    await until(
      () => openMediaSockets(),
      (n) => n === 0,
      10_000,
      'the call media to close',
    )
    const finished = t.app.services.voiceCalls.recent().at(-1) as CallFacts
    expect(finished.prompts.map((p) => p.file ?? p.text)).toEqual(['consent.wav', 'Welcome to the shop.'])
  }, 90_000)
})
