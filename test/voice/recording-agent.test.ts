import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { findProgram } from '../../core/src/voice/edge/programs.js'
import { espeakAvailable, type SoftphoneConfig } from '../../core/src/voice/index.js'
import { startTestPhone, type TestPhone } from '../support/sip-phone.js'
import { freeSipPort, rtpPortRange } from '../support/sip-ports.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const NUMBER = '+861012345678'
const CALLER = '+8613812345678'
/** what each phone's frames are made of */
const VOICE = { caller: 0x55, agent: 0x22 }

const missing = [
  ['kamailio', findProgram('kamailio')],
  ['rtpengine', findProgram('rtpengine')],
  ['espeak-ng and sox', espeakAvailable() ? 'yes' : undefined],
]
  .filter(([, path]) => !path)
  .map(([name]) => name)
if (missing.length > 0)
  console.warn(
    `test/voice/recording-agent.test.ts skipped: ${missing.join(', ')} not installed (apt-get install kamailio kamailio-websocket-modules rtpengine-daemon espeak-ng sox)`,
  )

async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 20_000, what = 'a condition') {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const queueFlow = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'queue', type: 'handoff', config: { queue: 'Phone support' } },
  ],
  edges: [{ from: 'start', port: 'next', to: 'queue' }],
}

describe.skipIf(missing.length > 0)('recording a call with an agent (consent off)', () => {
  let t: TestApp
  let caller: TestPhone
  let agentPhone: TestPhone
  let agentId: string
  let agentToken: string
  const used = new Set<number>()

  beforeAll(async () => {
    t = await createTestApp({
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHBOARD_VOICE: 'on',
      SWITCHBOARD_VOICE_SIP_PORT: String(await freeSipPort(used)),
      SWITCHBOARD_VOICE_WS_PORT: String(await freeSipPort(used)),
      SWITCHBOARD_VOICE_RTPENGINE_PORT: String(await freeSipPort(used)),
      SWITCHBOARD_VOICE_RTP_PORTS: rtpPortRange(),
      SWITCHBOARD_VOICE_TRUNKS: '127.0.0.1',
      SWITCHBOARD_VOICE_NUMBERS: NUMBER,
      SWITCHBOARD_VOICE_RECORDING: 'calls',
      SWITCHBOARD_VOICE_RECORDING_CONSENT: 'off',
      SWITCHBOARD_VOICE_AGENTS_HEAR_OWN_RECORDINGS: 'true',
    })
    await t.app.start()
    const admin = (await t.tokenFor('admin')).token
    const imported = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/flows/import',
      headers: bearer(admin),
      payload: { flow: { name: 'To the queue', kind: 'bot', document: queueFlow }, publish: true },
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
    const queueId = (await t.app.services.queues.create(systemActor('test'), { name: 'Phone support' })).id
    await t.app.services.contacts.create({ name: '王女士', phone: '138 1234 5678' })
    const agent = await t.tokenFor('agent')
    agentId = agent.userId
    agentToken = agent.token
    await t.app.services.queues.setMember(systemActor('test'), queueId, agentId)
    const res = await t.app.server.inject({
      method: 'GET',
      url: '/api/v1/voice/softphone',
      headers: bearer(agentToken),
    })
    const config = JSON.parse(res.payload) as SoftphoneConfig
    if (!config.enabled) throw new Error('voice is on: the softphone should be enabled')
    agentPhone = await startTestPhone({ ...config, voice: VOICE.agent, answerAfterMs: 1500 })
    expect(await agentPhone.register()).toBe(200)
    await t.app.services.routing.setPresence(systemActor('test'), agentId, { presence: 'available' })
    caller = await startTestPhone({
      webSocketUrl: config.webSocketUrl,
      user: CALLER,
      domain: '127.0.0.1',
      voice: VOICE.caller,
    })
  }, 90_000)

  afterAll(async () => {
    await caller?.stop()
    await agentPhone?.stop()
    await t?.close()
  })

  it('records the caller on one channel and the hold prompt and the agent on the other', async () => {
    const call = caller.call(NUMBER)
    await call.established
    const ringing = await agentPhone.nextCall()
    const conversationId = ringing.header('X-Switchboard-Conversation')!
    await ringing.established
    // both hear each other for a while
    const from = call.handler()!.heard.length
    await until(
      () => call.handler()!.heardFrom(VOICE.agent, from),
      (n) => n >= 50,
      15_000,
      'the agent at the caller',
    )
    await call.bye()
    await call.ended

    const recording = await until(
      () => t.app.db.callRecording.findFirst({ where: { conversationId } }),
      (r) => r?.status === 'complete',
      15_000,
      'the recording to be complete',
    )
    // consent off: recording from the answer
    expect(recording!.consentPlayedAt).toBeNull()
    const { caller: callerSide, other } = await t.app.services.recordings.readRecording(recording!.id)
    const frames = (audio: Buffer) =>
      Array.from({ length: Math.floor(audio.length / 160) }, (_, i) => audio.subarray(i * 160, i * 160 + 160))
    const all = (voice: number) => (f: Buffer) => f.every((b) => b === voice)
    const callerFrames = frames(callerSide)
    const otherFrames = frames(other)
    // the caller talked all along; the agent only once connected, after the hold prompt
    expect(callerFrames.filter(all(VOICE.caller)).length).toBeGreaterThan(callerFrames.length * 0.8)
    expect(callerFrames.filter(all(VOICE.agent))).toHaveLength(0)
    const agentFrames = otherFrames.map((f, i) => (all(VOICE.agent)(f) ? i : -1)).filter((i) => i >= 0)
    expect(agentFrames.length).toBeGreaterThanOrEqual(45)
    const firstAgent = agentFrames[0]!
    const promptFrames = otherFrames
      .slice(0, firstAgent)
      .filter((f) => !f.every((b) => b === 0xff || b === 0x7f) && !all(VOICE.agent)(f))
    expect(promptFrames.length, 'the hold prompt before the agent').toBeGreaterThan(25)
    expect(otherFrames.filter(all(VOICE.caller))).toHaveLength(0)

    // the agent who took it may play it (voice.agentsHearOwnRecordings is on here)
    const audio = await t.app.server.inject({
      method: 'GET',
      url: `/api/v1/recordings/${recording!.id}/audio`,
      headers: bearer(agentToken),
    })
    expect(audio.statusCode).toBe(200)
    expect(audio.rawPayload.length).toBe(44 + (recording!.durationMs / 20) * 640)
    // the finished call's facts carry the recording
    await until(
      () => t.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } }),
      (c) => (c.attributes as { callOutcome?: string }).callOutcome !== undefined,
      15_000,
      'the call facts',
    )
    const conversation = await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })
    expect(conversation.attributes).toMatchObject({ recordingIds: [recording!.id], agentId })
  }, 90_000)
})
