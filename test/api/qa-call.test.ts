import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { loadDefaultQaRules } from '../../core/src/qa/index.js'
import { startFakeTranscriptionServer, type FakeTranscriptionServer } from '../support/openai-transcription-server.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

/**
 * QA on calls: a completed call recording is transcribed by an OpenAI-compatible speech-to-text
 * server (a local one that listens to the WAV it gets) — the recording made by the recorder, sealed
 * with the personal-data key and read back decrypted —, both channels merged by time, and QA
 * inspects what was said: the forbidden phrase at its time in the recording, a long silence,
 * the privacy notice, and the agent's scorecard.
 */

/** ITU-T G.711 µ-law of one 16-bit sample. */
function mulaw(sample: number): number {
  const BIAS = 0x84
  const sign = sample < 0 ? 0x80 : 0
  const magnitude = Math.min(Math.abs(sample), 32635) + BIAS
  let exponent = 7
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f
  return ~(sign | (exponent << 4) | mantissa) & 0xff
}

/** Two channels as the recorder takes them: one byte of each per sample, caller first. */
function stereo(caller: Buffer, other: Buffer): Buffer {
  const out = Buffer.alloc(caller.length * 2)
  for (let i = 0; i < caller.length; i++) {
    out[2 * i] = caller[i]!
    out[2 * i + 1] = other[i]!
  }
  return out
}

/** One channel, 8 kHz µ-law: silence with a tone of `hz` in each [from, to) second range. */
function channel(seconds: number, hz: number, spans: Array<[number, number]>): Buffer {
  const out = Buffer.alloc(seconds * 8000, mulaw(0))
  for (const [from, to] of spans)
    for (let i = Math.round(from * 8000); i < Math.round(to * 8000); i++)
      out[i] = mulaw(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000)))
  return out
}

// the call: the agent greets with the privacy notice, the caller explains, the agent looks it up,
// 12.5 s of silence, then the agent says 没办法
const AGENT_SPANS: Array<[number, number]> = [
  [0.5, 2.5],
  [5.5, 7.5],
  [20, 22],
]
const CALLER_SPANS: Array<[number, number]> = [
  [3, 5],
  [22.5, 24],
]
const SCRIPT = {
  1000: ['您好，为了保护您的隐私，请勿透露验证码。', '请稍等，我查一下。', '这个我们也没办法处理。'],
  440: ['我的快递丢了。', '好吧，太失望了。'],
}

interface Hit {
  ruleId: string
  messageId: string | null
  phrase: string | null
  speaker: string | null
  source: string
  recordingId?: string
  offsetMs?: number | null
  detail?: Record<string, unknown>
}

let t: TestApp
let asr: FakeTranscriptionServer
let admin: { token: string; userId: string }
let agent: { token: string; userId: string }
let silenceRule: string
let sentimentRule: string

beforeAll(async () => {
  asr = await startFakeTranscriptionServer(SCRIPT)
  t = await createTestApp({ SWITCHBOARD_ASR_URL: asr.url, SWITCHBOARD_ASR_MODEL: 'test-whisper' })
  admin = await t.tokenFor('admin')
  agent = await t.tokenFor('agent')
  await t.app.services.qa.ready()
  await t.app.services.callTranscription.ready()
  await loadDefaultQaRules(t.app.services.qa, systemActor('test'))
  const res = await t.app.server.inject({
    method: 'POST',
    url: '/api/v1/qa/rules',
    headers: bearer(admin.token),
    payload: { name: 'Long silence on calls', kind: 'timing', config: { measure: 'call-silence', seconds: 10 } },
  })
  expect(res.statusCode, res.payload).toBe(201)
  silenceRule = JSON.parse(res.payload).id
  const mood = await t.app.server.inject({
    method: 'POST',
    url: '/api/v1/qa/rules',
    headers: bearer(admin.token),
    payload: {
      name: 'Customer leaves unhappy',
      kind: 'sentiment',
      config: { lastMessages: 1, useConversationSentiment: false },
    },
  })
  expect(mood.statusCode, mood.payload).toBe(201)
  sentimentRule = JSON.parse(mood.payload).id
}, 60_000)
afterAll(async () => {
  await t?.close()
  await asr?.close()
})

describe('QA on call transcripts', () => {
  it('transcribes a completed recording and finds the forbidden phrase at its time, the long silence and the privacy notice', async () => {
    const contact = await t.app.services.contacts.create({ name: 'Caller' })
    const callStart = Date.now()
    const conversation = await t.app.db.conversation.create({
      data: {
        contactId: contact.id,
        channel: 'voice',
        status: 'assigned',
        assigneeId: agent.userId,
        createdAt: new Date(callStart - 30_000),
        queuedAt: new Date(callStart - 20_000),
        assignedAt: new Date(callStart - 10_000),
      },
    })
    // the call is recorded through the recorder (encrypted file, as a call's frames would come)
    const session = t.app.services.recordings.begin({
      callId: 'call-1',
      conversationId: conversation.id,
      consentPlayedAt: new Date(),
    })
    const caller = channel(25, 440, CALLER_SPANS)
    const other = channel(25, 1000, AGENT_SPANS)
    for (let at = 0; at < caller.length; at += 160)
      session.write(stereo(caller.subarray(at, at + 160), other.subarray(at, at + 160)))
    // the agent resolves the call; the recording completes (recording.completed on the bus)
    const resolved = await t.app.server.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${conversation.id}`,
      headers: bearer(agent.token),
      payload: { status: 'resolved' },
    })
    expect(resolved.statusCode, resolved.payload).toBe(200)
    await session.finish(25_000)
    const recording = await t.app.db.callRecording.findUniqueOrThrow({ where: { id: session.recordingId } })
    expect(recording.status).toBe('complete')
    const started = recording.startedAt

    // the transcript is stored on the recording, both channels merged by time
    let stored = await t.app.db.callRecording.findUniqueOrThrow({ where: { id: recording.id } })
    for (let i = 0; i < 1200 && !stored.transcribedAt; i++) {
      await new Promise((r) => setTimeout(r, 25))
      stored = await t.app.db.callRecording.findUniqueOrThrow({ where: { id: recording.id } })
    }
    expect(stored.transcribedAt).not.toBeNull()
    expect(asr.requests).toHaveLength(2)
    for (const request of asr.requests)
      expect(request).toMatchObject({ model: 'test-whisper', responseFormat: 'verbose_json', sampleRate: 8000 })
    const transcript = stored.transcript as Array<{ speaker: string; startMs: number; endMs: number; text: string }>
    expect(transcript.map((s) => [s.speaker, s.startMs, s.text])).toEqual([
      ['agent', 500, SCRIPT[1000][0]],
      ['caller', 3000, SCRIPT[440][0]],
      ['agent', 5500, SCRIPT[1000][1]],
      ['agent', 20000, SCRIPT[1000][2]],
      ['caller', 22500, SCRIPT[440][1]],
    ])
    expect(Math.abs(transcript[3]!.endMs - 22000)).toBeLessThanOrEqual(40)

    // QA inspects the call again with what was said
    let hits: Hit[] = []
    let resultId = ''
    for (let i = 0; i < 1200; i++) {
      const row = await t.app.db.qaResult.findUnique({ where: { conversationId: conversation.id } })
      hits = (row?.hits as unknown as Hit[] | undefined) ?? []
      if (row && hits.some((h) => h.recordingId)) {
        resultId = row.id
        break
      }
      await new Promise((r) => setTimeout(r, 25))
    }
    const forbidden = hits.find((h) => h.source === 'phrase' && h.phrase === '没办法')
    expect(forbidden, JSON.stringify(hits)).toMatchObject({
      speaker: 'agent',
      recordingId: recording.id,
      offsetMs: 20000,
    })
    expect(forbidden!.messageId).toBe(`${recording.id}#3`)
    const silence = hits.find((h) => h.ruleId === silenceRule)
    expect(silence, JSON.stringify(hits)).toMatchObject({ recordingId: recording.id, offsetMs: 20000 })
    expect(silence!.detail).toMatchObject({ limit: 10, silenceFromMs: 7500 })
    expect(Number(silence!.detail!.seconds)).toBeGreaterThanOrEqual(12)
    // the caller's last words on the call were unhappy
    expect(
      hits.find((h) => h.ruleId === sentimentRule),
      JSON.stringify(hits),
    ).toMatchObject({
      speaker: 'customer',
      recordingId: recording.id,
      offsetMs: 22500,
    })
    // the privacy notice was said first: no "missing" hit
    expect(hits.filter((h) => h.source === 'missing')).toEqual([])

    // the result shows the call's words with their times
    const detail = await t.app.server.inject({
      method: 'GET',
      url: `/api/v1/qa/results/${resultId}`,
      headers: bearer(admin.token),
    })
    const body = JSON.parse(detail.payload) as {
      score: number
      transcript: Array<{ speaker: string; body: string; at: string }>
    }
    expect(body.transcript.map((l) => l.speaker)).toEqual(['agent', 'customer', 'agent', 'agent', 'customer'])
    expect(new Date(body.transcript[3]!.at).getTime()).toBe(started.getTime() + 20_000)
    expect(body.score).toBeLessThan(100)

    // the agent's scorecard counts both hits
    const cards = await t.app.server.inject({
      method: 'GET',
      url: `/api/v1/qa/scorecards/me?from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`,
      headers: bearer(agent.token),
    })
    expect(cards.statusCode, cards.payload).toBe(200)
    const card = JSON.parse(cards.payload)
    const mine = card.scorecards.find((c: { agentId: string }) => c.agentId === agent.userId)
    expect(mine).toMatchObject({ conversations: 1, categories: { compliance: 100 } })
    expect(mine.averageScore).toBe(body.score)
    const byRule = Object.fromEntries(mine.hitsByRule.map((r: { ruleId: string; hits: number }) => [r.ruleId, r.hits]))
    expect(byRule[silenceRule]).toBe(1)
    expect(byRule[sentimentRule]).toBe(1)
    expect(byRule[forbidden!.ruleId]).toBe(1)
  })

  it('sends no silent channel to the recogniser, and transcribes a recording once', async () => {
    const before = asr.requests.length
    const contact = await t.app.services.contacts.create({ name: 'Quiet caller' })
    const conversation = await t.app.db.conversation.create({
      data: {
        contactId: contact.id,
        channel: 'voice',
        status: 'resolved',
        assigneeId: agent.userId,
        resolvedAt: new Date(),
      },
    })
    const session = t.app.services.recordings.begin({
      callId: 'call-2',
      conversationId: conversation.id,
      consentPlayedAt: null,
    })
    session.write(stereo(channel(3, 440, []), channel(3, 1000, [[0.5, 1.5]])))
    await session.finish(3000)
    const recording = { id: session.recordingId }
    let stored = await t.app.db.callRecording.findUniqueOrThrow({ where: { id: recording.id } })
    for (let i = 0; i < 1200 && !stored.transcribedAt; i++) {
      await new Promise((r) => setTimeout(r, 25))
      stored = await t.app.db.callRecording.findUniqueOrThrow({ where: { id: recording.id } })
    }
    expect(asr.requests.length - before).toBe(1)
    expect((stored.transcript as unknown[]).length).toBe(1)
    // once transcribed, not again
    expect(await t.app.services.callTranscription.transcribe(recording.id)).toBe(false)
  })
})
