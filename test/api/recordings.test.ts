import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { countValuesByKey } from '../../core/src/pii/index.js'
import { RECORDING_RETENTION_JOB, mulawToLinear } from '../../core/src/voice/recordings/index.js'
import { interleave } from '../../core/src/voice/recordings/recording-file.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

/** µ-law of a 1 kHz tone at about -10 dBFS (8 samples per period) */
function toneFrame(): Buffer {
  const frame = Buffer.alloc(160)
  for (let i = 0; i < 160; i++) frame[i] = linearToMulaw(Math.round(10_000 * Math.sin((2 * Math.PI * i) / 8)))
  return frame
}
function linearToMulaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0
  let magnitude = Math.min(Math.abs(sample), 32_635) + 0x84
  let exponent = 7
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f
  magnitude = 0
  return ~(sign | (exponent << 4) | mantissa) & 0xff
}
const SILENT = Buffer.alloc(160, 0xff)
const rms = (samples: ArrayLike<number>) => {
  let sum = 0
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!
  return Math.sqrt(sum / Math.max(1, samples.length))
}

interface Setup {
  t: TestApp
  admin: string
  contactId: string
  otherContactId: string
  conversationId: string
  agent: { token: string; userId: string }
  otherAgent: { token: string; userId: string }
  teamSupervisor: string
  otherTeamSupervisor: string
  freeSupervisor: string
}

/** An app with a voice conversation in a queue of team North, taken by `agent`. */
async function setUp(env: Record<string, string> = {}): Promise<Setup> {
  const t = await createTestApp({ SWITCHBOARD_VOICE_RECORDING: 'calls', ...env })
  const admin = (await t.tokenFor('admin')).token
  const agent = await t.tokenFor('agent')
  const otherAgent = await t.tokenFor('agent')
  const north = await t.app.db.team.create({ data: { name: 'North' } })
  const south = await t.app.db.team.create({ data: { name: 'South' } })
  const lead = await t.tokenFor('supervisor')
  const southLead = await t.tokenFor('supervisor')
  const free = await t.tokenFor('supervisor')
  await t.app.db.teamMember.create({ data: { teamId: north.id, userId: lead.userId } })
  await t.app.db.teamMember.create({ data: { teamId: south.id, userId: southLead.userId } })
  const queue = await t.app.services.queues.create(systemActor('test'), { name: 'Phone support' })
  await t.app.db.queue.update({ where: { id: queue.id }, data: { teamId: north.id } })
  const contact = await t.app.services.contacts.create({ name: '王女士', phone: '138 1234 5678' })
  const other = await t.app.services.contacts.create({ name: 'Mr Lee', phone: '139 0000 1111' })
  const conversation = await t.app.db.conversation.create({
    data: {
      contactId: contact.id,
      channel: 'voice',
      status: 'assigned',
      queueId: queue.id,
      assigneeId: agent.userId,
      lastAgentId: agent.userId,
    },
  })
  return {
    t,
    admin,
    contactId: contact.id,
    otherContactId: other.id,
    conversationId: conversation.id,
    agent,
    otherAgent,
    teamSupervisor: lead.token,
    otherTeamSupervisor: southLead.token,
    freeSupervisor: free.token,
  }
}

/** A recording written by the recorder's sink: 1 s silence, then `toneSeconds` of tone from the caller, agent silent. */
async function record(t: TestApp, conversationId: string, toneSeconds = 1): Promise<string> {
  const session = t.app.services.recordings.begin({
    callId: `call-${Math.random()}`,
    conversationId,
    consentPlayedAt: new Date(),
  })
  const tone = toneFrame()
  let frames = 0
  for (let f = 0; f < 50; f++, frames++) session.write(interleave(SILENT, SILENT))
  for (let f = 0; f < toneSeconds * 50; f++, frames++) session.write(interleave(tone, SILENT))
  await session.finish(frames * 20)
  return session.recordingId
}

describe('call recordings through the API', () => {
  let s: Setup
  beforeAll(async () => {
    s = await setUp()
  }, 60_000)
  afterAll(() => s?.t.close())

  const api = (token: string, method: 'GET' | 'DELETE', url: string, headers: Record<string, string> = {}) =>
    s.t.app.server.inject({ method, url, headers: { ...bearer(token), ...headers } })

  it('a recording is sealed, listed, linked to the conversation and announced on the bus', async () => {
    const completed: unknown[] = []
    await s.t.app.infra.bus.subscribe('recording.completed', async (event) => void completed.push(event))
    const id = await record(s.t, s.conversationId)
    const res = await api(s.admin, 'GET', `/api/v1/conversations/${s.conversationId}/recordings`)
    expect(res.statusCode, res.payload).toBe(200)
    const [listed] = JSON.parse(res.payload) as Array<Record<string, unknown>>
    expect(listed).toMatchObject({ id, status: 'complete', durationMs: 2000, format: 'pcmu-stereo-8k' })
    expect(listed!.audioUrl).toBe(`/api/v1/recordings/${id}/audio`)
    const row = await s.t.app.db.callRecording.findUniqueOrThrow({ where: { id } })
    expect(row.path).toMatch(new RegExp(`^voice/recordings/\\d{4}/\\d{2}/${id}\\.sbrec$`))
    expect(row.keyId).toBe(s.t.app.pii.activeKeyId)
    // the key stays in use while the recording exists: `pii retire-keys` counts it
    const byKey = await countValuesByKey(s.t.app.db, (v) => s.t.app.pii.keyIdOf(v))
    const recordings = await s.t.app.db.callRecording.count({ where: { keyId: row.keyId } })
    expect(byKey[row.keyId]).toBeGreaterThanOrEqual(recordings)
    expect(row.contactId).toBe(s.contactId)
    const file = await readFile(s.t.app.services.recordings.fileOf(row))
    expect(row.bytes).toBe(file.length)
    expect(file.includes(toneFrame().subarray(0, 32))).toBe(false)
    const conversation = await s.t.app.db.conversation.findUniqueOrThrow({ where: { id: s.conversationId } })
    expect((conversation.attributes as { recordingIds?: string[] }).recordingIds).toContain(id)
    await expect.poll(() => completed).toContainEqual({ recordingId: id, conversationId: s.conversationId })
    // the channels as speech to text reads them
    const { caller, other } = await s.t.app.services.recordings.readRecording(id)
    expect(caller.length).toBe(16_000)
    expect(rms(mulawToLinear(caller.subarray(0, 8000)))).toBeLessThan(50)
    expect(rms(mulawToLinear(caller.subarray(8000)))).toBeGreaterThan(5000)
    expect(rms(mulawToLinear(other))).toBeLessThan(50)
  })

  it('plays as a valid WAV (stereo 16-bit 8 kHz), whole or by range, and the playback is audited', async () => {
    const id = await record(s.t, s.conversationId)
    const res = await api(s.admin, 'GET', `/api/v1/recordings/${id}/audio`)
    expect(res.statusCode, res.payload.slice(0, 200)).toBe(200)
    expect(res.headers['content-type']).toBe('audio/wav')
    expect(res.headers['accept-ranges']).toBe('bytes')
    const wav = res.rawPayload
    expect(wav.length).toBe(44 + 2 * 8000 * 2 * 2)
    expect(Number(res.headers['content-length'])).toBe(wav.length)
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF')
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE')
    expect(wav.readUInt16LE(20)).toBe(1) // PCM
    expect(wav.readUInt16LE(22)).toBe(2) // stereo
    expect(wav.readUInt32LE(24)).toBe(8000)
    expect(wav.readUInt16LE(34)).toBe(16)
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44)
    const left: number[] = []
    const right: number[] = []
    for (let o = 44; o < wav.length; o += 4) {
      left.push(wav.readInt16LE(o))
      right.push(wav.readInt16LE(o + 2))
    }
    expect(rms(left.slice(0, 8000))).toBeLessThan(50)
    expect(rms(left.slice(8000))).toBeGreaterThan(5000)
    expect(rms(right)).toBeLessThan(50)

    const part = await api(s.admin, 'GET', `/api/v1/recordings/${id}/audio`, { range: 'bytes=40000-40099' })
    expect(part.statusCode).toBe(206)
    expect(part.headers['content-range']).toBe(`bytes 40000-40099/${wav.length}`)
    expect(part.rawPayload.equals(wav.subarray(40000, 40100))).toBe(true)
    const tail = await api(s.admin, 'GET', `/api/v1/recordings/${id}/audio`, { range: `bytes=${wav.length - 10}-` })
    expect(tail.statusCode).toBe(206)
    expect(tail.rawPayload.equals(wav.subarray(wav.length - 10))).toBe(true)
    expect((await api(s.admin, 'GET', `/api/v1/recordings/${id}/audio`, { range: 'bytes=99999999-' })).statusCode).toBe(
      416,
    )

    const audit = await s.t.app.db.auditEvent.findMany({ where: { action: 'recording.played', targetId: id } })
    expect(audit.length).toBeGreaterThanOrEqual(1)
  })

  it('only admins and the supervisors of the queue’s team may listen; agents not by default', async () => {
    const id = await record(s.t, s.conversationId, 0.2)
    const list = `/api/v1/conversations/${s.conversationId}/recordings`
    const audio = `/api/v1/recordings/${id}/audio`
    for (const [who, token, status] of [
      ['admin', s.admin, 200],
      ['supervisor of the queue’s team', s.teamSupervisor, 200],
      ['supervisor in no team', s.freeSupervisor, 200],
      ['supervisor of another team', s.otherTeamSupervisor, 403],
      ['the agent who took the call', s.agent.token, 403],
      ['another agent', s.otherAgent.token, 403],
    ] as const) {
      expect((await api(token, 'GET', list)).statusCode, `${who}: list`).toBe(status)
      expect((await api(token, 'GET', audio)).statusCode, `${who}: audio`).toBe(status)
    }
    const denied = JSON.parse((await api(s.agent.token, 'GET', audio)).payload) as { code: string; message: string }
    expect(denied.code).toBe('SB_ERR_FORBIDDEN')
    expect(denied.message).toMatch(/agentsHearOwnRecordings/)
    expect((await api(s.admin, 'GET', '/api/v1/recordings/nope/audio')).statusCode).toBe(404)
    expect((await api(s.admin, 'GET', '/api/v1/conversations/nope/recordings')).statusCode).toBe(404)
  })

  it('an admin deletes a recording: file and entry; a supervisor may not', async () => {
    const id = await record(s.t, s.conversationId, 0.2)
    const row = await s.t.app.db.callRecording.findUniqueOrThrow({ where: { id } })
    const file = s.t.app.services.recordings.fileOf(row)
    expect(existsSync(file)).toBe(true)
    expect((await api(s.teamSupervisor, 'DELETE', `/api/v1/recordings/${id}`)).statusCode).toBe(403)
    expect((await api(s.admin, 'DELETE', `/api/v1/recordings/${id}`)).statusCode).toBe(204)
    expect(existsSync(file)).toBe(false)
    expect(await s.t.app.db.callRecording.findUnique({ where: { id } })).toBeNull()
    expect((await api(s.admin, 'DELETE', `/api/v1/recordings/${id}`)).statusCode).toBe(404)
    expect(await s.t.app.db.auditEvent.count({ where: { action: 'recording.deleted', targetId: id } })).toBe(1)
  })

  it("erasing a contact's data removes their recordings' files and entries, not other contacts'", async () => {
    const mine = [await record(s.t, s.conversationId, 0.2), await record(s.t, s.conversationId, 0.2)]
    const otherConversation = await s.t.app.db.conversation.create({
      data: { contactId: s.otherContactId, channel: 'voice', status: 'resolved' },
    })
    const theirs = await record(s.t, otherConversation.id, 0.2)
    const rows = await s.t.app.db.callRecording.findMany({ where: { id: { in: [...mine, theirs] } } })
    const res = await api(s.admin, 'DELETE', `/api/v1/contacts/${s.contactId}/recordings`)
    expect(res.statusCode, res.payload).toBe(200)
    expect((JSON.parse(res.payload) as { deleted: number }).deleted).toBeGreaterThanOrEqual(2)
    expect(await s.t.app.db.callRecording.count({ where: { contactId: s.contactId } })).toBe(0)
    for (const row of rows) {
      const gone = row.id !== theirs
      expect(existsSync(s.t.app.services.recordings.fileOf(row)), row.id).toBe(!gone)
      expect(Boolean(await s.t.app.db.callRecording.findUnique({ where: { id: row.id } })), row.id).toBe(!gone)
    }
    expect((await api(s.teamSupervisor, 'DELETE', `/api/v1/contacts/${s.contactId}/recordings`)).statusCode).toBe(403)
  })

  it("the contact's history shows the call: IVR path, wait, agent, duration and its recordings", async () => {
    const id = await record(s.t, s.conversationId, 0.2)
    await s.t.app.services.conversations.setAttributes(s.conversationId, {
      callOutcome: 'answered',
      ivrPath: ['start', 'menu:2', 'queue'],
      waitMs: 12_000,
      agentId: s.agent.userId,
      durationMs: 95_000,
      talkMs: 80_000,
    })
    const res = await api(s.admin, 'GET', `/api/v1/contacts/${s.contactId}/history`)
    expect(res.statusCode, res.payload).toBe(200)
    const { conversations } = JSON.parse(res.payload) as { conversations: Array<{ id: string; call: unknown }> }
    const call = conversations.find((c) => c.id === s.conversationId)!.call as Record<string, unknown>
    const agent = await s.t.app.db.user.findUniqueOrThrow({ where: { id: s.agent.userId } })
    expect(call).toMatchObject({
      outcome: 'answered',
      ivrPath: ['start', 'menu:2', 'queue'],
      waitMs: 12_000,
      agentName: agent.name,
      durationMs: 95_000,
      talkMs: 80_000,
    })
    expect(call.recordingIds).toContain(id)
  })

  it('the daily retention job deletes recordings older than voice.recordingRetentionDays', async () => {
    const old = await record(s.t, s.conversationId, 0.2)
    const fresh = await record(s.t, s.conversationId, 0.2)
    const startedAt = new Date(Date.now() - 91 * 86_400_000)
    await s.t.app.db.callRecording.update({ where: { id: old }, data: { startedAt } })
    const [oldRow, freshRow] = await Promise.all(
      [old, fresh].map((id) => s.t.app.db.callRecording.findUniqueOrThrow({ where: { id } })),
    )
    await s.t.app.infra.scheduler.schedule({ type: RECORDING_RETENTION_JOB, runAt: 0 })
    await expect.poll(() => s.t.app.db.callRecording.findUnique({ where: { id: old } }), { timeout: 15_000 }).toBeNull()
    expect(existsSync(s.t.app.services.recordings.fileOf(oldRow!))).toBe(false)
    expect(existsSync(s.t.app.services.recordings.fileOf(freshRow!))).toBe(true)
    // and it runs again tomorrow
    await expect
      .poll(async () => {
        const next = await s.t.app.infra.scheduler.list({ type: RECORDING_RETENTION_JOB, status: 'pending' })
        return next.map((j) => j.runAt.getTime() - Date.now())
      })
      .toEqual([expect.any(Number)])
    const [next] = await s.t.app.infra.scheduler.list({ type: RECORDING_RETENTION_JOB, status: 'pending' })
    expect(next!.runAt.getTime() - Date.now()).toBeGreaterThan(86_000_000)
  })
})

describe('with voice.agentsHearOwnRecordings on', () => {
  let s: Setup
  beforeAll(async () => {
    s = await setUp({ SWITCHBOARD_VOICE_AGENTS_HEAR_OWN_RECORDINGS: 'true' })
  }, 60_000)
  afterAll(() => s?.t.close())

  it('the agent who took the call may listen; other agents may not', async () => {
    const id = await record(s.t, s.conversationId, 0.2)
    const get = (token: string) =>
      s.t.app.server.inject({ method: 'GET', url: `/api/v1/recordings/${id}/audio`, headers: bearer(token) })
    expect((await get(s.agent.token)).statusCode).toBe(200)
    expect((await get(s.otherAgent.token)).statusCode).toBe(403)
  })
})
