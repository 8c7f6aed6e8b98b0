import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { findProgram } from '../../core/src/voice/edge/programs.js'
import { espeakAvailable, openMediaSockets, type CallFacts, type SoftphoneConfig } from '../../core/src/voice/index.js'
import { startTestPhone, type PhoneCall, type TestPhone } from '../support/sip-phone.js'
import { freeSipPort, rtpPortRange } from '../support/sip-ports.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const NUMBER = '+861012345678'
const CALLER = '+8613812345678'
/** what each phone's audio frames are made of: who is heard can be told apart */
const VOICE = { caller: 0x55, a: 0x22, b: 0x33, c: 0x44 }

const missing = [
  ['kamailio', findProgram('kamailio')],
  ['rtpengine', findProgram('rtpengine')],
  ['espeak-ng and sox', espeakAvailable() ? 'yes' : undefined],
]
  .filter(([, path]) => !path)
  .map(([name]) => name)
if (missing.length > 0)
  console.warn(
    `test/voice/agent-bridge.test.ts skipped: ${missing.join(', ')} not installed (apt-get install kamailio kamailio-websocket-modules rtpengine-daemon espeak-ng sox)`,
  )

async function until<T>(
  read: () => Promise<T> | T,
  ok: (v: T) => boolean,
  ms = 15_000,
  what = 'a condition',
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)?.slice(0, 500)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The voice entry flow: straight to the Phone support queue. */
const queueFlow = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'queue', type: 'handoff', config: { queue: 'Phone support' } },
  ],
  edges: [{ from: 'start', port: 'next', to: 'queue' }],
}

interface Agent {
  userId: string
  token: string
  phone: TestPhone
}

describe.skipIf(missing.length > 0)('agents on calls: a caller through the IVR to agents’ softphones', () => {
  let t: TestApp
  let admin: string
  let queueId: string
  let caller: TestPhone
  const agents: Record<'a' | 'b' | 'c', Agent> = {} as never
  const used = new Set<number>()
  let webSocketUrl: string

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
      SWITCHBOARD_VOICE_AGENT_RING_SECONDS: '5',
      SWITCHBOARD_VOICE_AFTER_CALL_WORK_SECONDS: '2',
    })
    await t.app.start()
    admin = (await t.tokenFor('admin')).token
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
    queueId = (await t.app.services.queues.create(systemActor('test'), { name: 'Phone support' })).id
    await t.app.services.contacts.create({ name: '王女士', phone: '138 1234 5678' })

    for (const [name, voice] of [
      ['a', VOICE.a],
      ['b', VOICE.b],
      ['c', VOICE.c],
    ] as const) {
      const { token, userId } = await t.tokenFor('agent')
      await t.app.services.queues.setMember(systemActor('test'), queueId, userId)
      // the softphone's registration, as the console gets it
      const res = await t.app.server.inject({ method: 'GET', url: '/api/v1/voice/softphone', headers: bearer(token) })
      expect(res.statusCode, res.payload).toBe(200)
      const config = JSON.parse(res.payload) as SoftphoneConfig
      if (!config.enabled) throw new Error('voice is on: the softphone should be enabled')
      expect(config.user).toBe(`agent-${userId}`)
      expect(config.uri).toBe(`sip:agent-${userId}@127.0.0.1`)
      expect(new Date(config.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3600_000)
      webSocketUrl = config.webSocketUrl
      // agent c never answers
      const phone = await startTestPhone({ ...config, voice, answer: name !== 'c' })
      expect(await phone.register()).toBe(200)
      agents[name] = { userId, token, phone }
    }
    caller = await startTestPhone({ webSocketUrl, user: CALLER, domain: '127.0.0.1', voice: VOICE.caller })
  }, 90_000)

  afterAll(async () => {
    await caller?.stop()
    for (const agent of Object.values(agents)) await agent.phone.stop()
    await t?.close()
  })

  const presence = (who: Agent, value: 'available' | 'away') =>
    t.app.services.routing.setPresence(systemActor('test'), who.userId, { presence: value })
  const stateOf = (who: Agent) => t.app.db.agentState.findUniqueOrThrow({ where: { userId: who.userId } })
  const api = async (who: Agent | string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const token = typeof who === 'string' ? who : who.token
    const res = await t.app.server.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) })
    return { status: res.statusCode, body: res.payload ? (JSON.parse(res.payload) as Record<string, unknown>) : {} }
  }
  const heard = (call: PhoneCall, voice: number, from = 0) => call.handler()?.heardFrom(voice, from) ?? 0
  const heardCount = (call: PhoneCall) => call.handler()?.heard.length ?? 0
  /** frames of `voice` heard from now on, at least `frames` of them */
  const hears = (call: PhoneCall, voice: number, frames = 25, what = 'audio') => {
    const from = heardCount(call)
    return until(
      () => heard(call, voice, from),
      (n) => n >= frames,
      15_000,
      what,
    )
  }
  const rtpengineSaw = (callId: string) =>
    t.app.services.voiceCalls
      .edge()!
      .status()
      .rtpengine.recentLog.filter((line) => line.includes(`[${callId}]`))
      .join('\n')
  const finished = (conversationId: string) =>
    until(
      () => t.app.services.voiceCalls.recent().find((c) => c.conversationId === conversationId),
      (c) => c !== undefined,
      15_000,
      'the call to be over',
    ) as Promise<CallFacts>

  it('rings the available agent with the conversation, bridges audio both ways, holds, sends keys; the agent’s hang-up ends the call and after-call work follows', async () => {
    await presence(agents.a, 'available')
    const call = caller.call(NUMBER)
    await call.established
    const ringing = await agents.a.phone.nextCall()
    const conversationId = ringing.header('X-Switchboard-Conversation')!
    const conversation = await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })
    expect(conversation).toMatchObject({ channel: 'voice', status: 'assigned', assigneeId: agents.a.userId, queueId })
    expect(ringing.header('X-Switchboard-Caller')).toBe('+86138****5678')
    await ringing.established

    // audio both ways: each side hears the other's voice through Switchboard's bridge
    await hears(ringing, VOICE.caller, 25, 'the caller’s voice at the agent')
    await hears(call, VOICE.a, 25, 'the agent’s voice at the caller')
    const state = await api(agents.a, 'GET', `/api/v1/voice/calls/${conversationId}`)
    expect(state.status, JSON.stringify(state.body)).toBe(200)
    expect(state.body).toMatchObject({
      conversationId,
      phase: 'connected',
      agentId: agents.a.userId,
      held: false,
      consult: null,
      from: '+86138****5678',
      queue: 'Phone support',
    })
    expect(state.body.waitMs).toEqual(expect.any(Number))
    // another agent may not see or touch the call
    expect((await api(agents.b, 'GET', `/api/v1/voice/calls/${conversationId}`)).status).toBe(403)
    expect((await api(agents.b, 'POST', `/api/v1/voice/calls/${conversationId}/hangup`)).status).toBe(403)

    // hold: the caller hears music, nothing of the agent; the agent hears nothing of the caller
    const held = await api(agents.a, 'POST', `/api/v1/voice/calls/${conversationId}/hold`, { hold: true })
    expect(held.body).toMatchObject({ held: true })
    await new Promise((resolve) => setTimeout(resolve, 300))
    const [callerFrom, agentFrom] = [heardCount(call), heardCount(ringing)]
    await until(
      () => heardCount(call) - callerFrom,
      (n) => n >= 75,
      15_000,
      'frames while held',
    )
    const whileHeld = call.handler()!.heard.slice(callerFrom)
    expect(whileHeld.filter((h) => h.byte === VOICE.a && !h.silent)).toHaveLength(0)
    expect(whileHeld.filter((h) => !h.silent).length).toBeGreaterThan(25) // the music
    expect(heard(ringing, VOICE.caller, agentFrom)).toBe(0)
    // resumed: the agent is heard again
    expect(
      (await api(agents.a, 'POST', `/api/v1/voice/calls/${conversationId}/hold`, { hold: false })).body,
    ).toMatchObject({ held: false })
    await hears(call, VOICE.a, 25, 'the agent after resuming')
    await hears(ringing, VOICE.caller, 25, 'the caller after resuming')

    // keys from the agent reach the caller as RFC 4733 events
    const bad = await api(agents.a, 'POST', `/api/v1/voice/calls/${conversationId}/dtmf`, { digits: '12x' })
    expect(bad.status).toBe(400)
    const dtmf = await api(agents.a, 'POST', `/api/v1/voice/calls/${conversationId}/dtmf`, { digits: '12#' })
    expect(dtmf.status, JSON.stringify(dtmf.body)).toBe(200)
    await until(
      () => call.handler()!.keys.join(''),
      (k) => k === '12#',
      10_000,
      'the keys at the caller',
    )
    expect(call.handler()!.dtmfPackets).toBeGreaterThanOrEqual(24)

    // the agent hangs up in the softphone: the caller gets a BYE
    const legCallId = (ringing.session as { request?: { callId: string } }).request?.callId ?? ''
    await ringing.bye()
    await until(
      () => call.isEnded(),
      (ended) => ended,
      10_000,
      'the BYE at the caller',
    )
    const facts = await finished(conversationId)
    expect(facts).toMatchObject({ end: 'agent-hangup', agentId: agents.a.userId, agents: [agents.a.userId] })
    expect(facts.answeredByAgentAt).not.toBeNull()
    expect(facts.media!.bridgedSent).toBeGreaterThan(50)
    expect(facts.media!.dtmfSent).toBe(24)

    // after-call work, then available again; the conversation stays the agent's to wrap up
    await until(
      () => stateOf(agents.a),
      (s) => s.presence === 'after-call-work',
      10_000,
      'after-call work',
    )
    await until(
      () => stateOf(agents.a),
      (s) => s.presence === 'available',
      20_000,
      'available after ACW',
    )
    const after = await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })
    expect(after).toMatchObject({ status: 'assigned', assigneeId: agents.a.userId })
    expect(after.attributes).toMatchObject({
      callOutcome: 'answered',
      agentId: agents.a.userId,
      ivrPath: ['start', 'queue'],
    })

    // nothing left: no RTP socket, no call; rtpengine was told to delete both legs
    await until(
      () => openMediaSockets(),
      (n) => n === 0,
      10_000,
      'no media sockets',
    )
    expect(t.app.services.voiceCalls.active()).toEqual([])
    expect(rtpengineSaw(facts.callId)).toContain("Received command 'delete'")
    if (legCallId)
      await until(
        () => rtpengineSaw(legCallId),
        (log) => log.includes('delete'),
        10_000,
        'the agent leg deleted',
      )
    // the agent wraps up
    await t.app.services.conversations.update(systemActor('test'), conversationId, { status: 'resolved' })
    await presence(agents.a, 'away')
  }, 120_000)

  it('an agent who does not answer is set away and the call goes back in its place; then blind and attended transfers', async () => {
    await presence(agents.c, 'available')
    const call = caller.call(NUMBER)
    await call.established
    const unanswered = await agents.c.phone.nextCall()
    const conversationId = unanswered.header('X-Switchboard-Conversation')!
    const queuedAt = (await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).queuedAt
    expect(queuedAt).not.toBeNull()
    // the ring timeout (5 s): CANCEL, agent away (missed call), back in the queue in the same place
    await unanswered.ended
    const missed = await until(
      () => stateOf(agents.c),
      (s) => s.presence === 'away',
      10_000,
      'agent c away',
    )
    expect(missed.reason).toBe('missed call')
    const requeued = await until(
      () => t.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } }),
      (c) => c.status === 'queued',
      10_000,
      'the conversation queued again',
    )
    expect(requeued).toMatchObject({ assigneeId: null, queueId })
    expect(requeued.queuedAt?.getTime()).toBe(queuedAt!.getTime())
    expect(call.isEnded()).toBe(false)

    // agent b becomes available and takes it
    await presence(agents.b, 'available')
    const withB = await agents.b.phone.nextCall()
    expect(withB.header('X-Switchboard-Conversation')).toBe(conversationId)
    await withB.established
    await hears(call, VOICE.b, 25, 'agent b at the caller')

    // blind transfer to agent a (the conversation's own transfer): b's leg ends, a's phone rings
    await presence(agents.b, 'away')
    const blind = await api(agents.b, 'POST', `/api/v1/conversations/${conversationId}/transfer`, {
      agentId: agents.a.userId,
    })
    expect(blind.status, JSON.stringify(blind.body)).toBe(204)
    const withA = await agents.a.phone.nextCall()
    expect(withA.header('X-Switchboard-Conversation')).toBe(conversationId)
    await until(
      () => withB.isEnded(),
      (ended) => ended,
      10_000,
      'agent b’s leg ended',
    )
    await withA.established
    await hears(call, VOICE.a, 25, 'agent a at the caller after the blind transfer')
    await hears(withA, VOICE.caller, 25, 'the caller at agent a')

    // attended transfer: a consults b while the caller holds (b, available, is busy meanwhile)
    await presence(agents.b, 'available')
    const consulted = await api(agents.a, 'POST', `/api/v1/voice/calls/${conversationId}/consult`, {
      agentId: agents.b.userId,
    })
    expect(consulted.status, JSON.stringify(consulted.body)).toBe(202)
    expect(consulted.body).toMatchObject({ held: true, consult: { agentId: agents.b.userId, state: 'ringing' } })
    const consultLeg = await agents.b.phone.nextCall()
    expect(consultLeg.header('X-Switchboard-Consult')).toBe(agents.a.userId)
    await consultLeg.established
    await hears(consultLeg, VOICE.a, 25, 'agent a at agent b (consult)')
    await hears(withA, VOICE.b, 25, 'agent b at agent a (consult)')
    const callerFrom = heardCount(call)
    await until(
      () => heardCount(call) - callerFrom,
      (n) => n >= 50,
      10_000,
      'frames at the caller during the consult',
    )
    expect(heard(call, VOICE.a, callerFrom) + heard(call, VOICE.b, callerFrom)).toBe(0)
    expect((await api(agents.a, 'GET', `/api/v1/voice/calls/${conversationId}`)).body).toMatchObject({
      consult: { agentId: agents.b.userId, state: 'connected' },
    })
    expect(await stateOf(agents.b)).toMatchObject({ presence: 'busy', reason: 'consult' })

    const completed = await api(agents.a, 'POST', `/api/v1/voice/calls/${conversationId}/consult/complete`)
    expect(completed.status, JSON.stringify(completed.body)).toBe(200)
    expect(completed.body).toMatchObject({ agentId: agents.b.userId, held: false, consult: null })
    await until(
      () => withA.isEnded(),
      (ended) => ended,
      10_000,
      'agent a’s leg ended',
    )
    await hears(call, VOICE.b, 25, 'agent b at the caller after the attended transfer')
    await hears(consultLeg, VOICE.caller, 25, 'the caller at agent b')
    const transferred = await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })
    expect(transferred).toMatchObject({ status: 'assigned', assigneeId: agents.b.userId })
    // available again: the call (voice capacity 1) keeps other calls away from b
    await until(
      () => stateOf(agents.b),
      (s) => s.presence === 'available',
      10_000,
      'b available after the consult',
    )
    // now b's: a may no longer control it
    expect((await api(agents.a, 'GET', `/api/v1/voice/calls/${conversationId}`)).status).toBe(403)

    // the caller hangs up: b's leg gets a BYE
    await call.bye()
    await until(
      () => consultLeg.isEnded(),
      (ended) => ended,
      10_000,
      'agent b’s leg ended by the caller’s BYE',
    )
    const facts = await finished(conversationId)
    expect(facts).toMatchObject({
      end: 'caller-hangup',
      agentId: agents.b.userId,
      agents: [agents.b.userId, agents.a.userId, agents.b.userId],
    })
    await until(
      () => openMediaSockets(),
      (n) => n === 0,
      10_000,
      'no media sockets',
    )
    expect(t.app.services.voiceCalls.active()).toEqual([])
    await t.app.services.conversations.update(systemActor('test'), conversationId, { status: 'resolved' })
  }, 150_000)

  it('a blind transfer to a queue: the agent’s leg ends, the caller waits again and the next agent takes the call', async () => {
    for (const who of [agents.a, agents.b, agents.c]) await presence(who, 'away')
    await presence(agents.a, 'available')
    const call = caller.call(NUMBER)
    await call.established
    const withA = await agents.a.phone.nextCall()
    const conversationId = withA.header('X-Switchboard-Conversation')!
    await withA.established
    await hears(call, VOICE.a, 25, 'agent a at the caller')

    await presence(agents.a, 'away')
    const moved = await api(agents.a, 'POST', `/api/v1/conversations/${conversationId}/transfer`, { queueId })
    expect(moved.status, JSON.stringify(moved.body)).toBe(204)
    await until(
      () => withA.isEnded(),
      (ended) => ended,
      10_000,
      'agent a’s leg ended',
    )
    expect(call.isEnded()).toBe(false)
    expect(t.app.services.voiceCalls.callOf(conversationId)?.facts.phase).toBe('queued')
    // waiting again: the caller hears the queue's music, not agent a
    const from = heardCount(call)
    await until(
      () => heardCount(call) - from,
      (n) => n >= 50,
      10_000,
      'frames while queued again',
    )
    expect(heard(call, VOICE.a, from)).toBe(0)

    await presence(agents.b, 'available')
    const withB = await agents.b.phone.nextCall()
    expect(withB.header('X-Switchboard-Conversation')).toBe(conversationId)
    await withB.established
    await hears(call, VOICE.b, 25, 'agent b at the caller')
    await call.bye()
    await until(
      () => withB.isEnded(),
      (ended) => ended,
      10_000,
      'agent b’s leg ended',
    )
    const facts = await finished(conversationId)
    expect(facts).toMatchObject({ end: 'caller-hangup', agents: [agents.a.userId, agents.b.userId] })
    await until(
      () => openMediaSockets(),
      (n) => n === 0,
      10_000,
      'no media sockets',
    )
    await t.app.services.conversations.update(systemActor('test'), conversationId, { status: 'resolved' })
  }, 120_000)

  it('a supervisor may read any call; a call that is not live is 404', async () => {
    const supervisor = (await t.tokenFor('supervisor')).token
    const conversation = await t.app.db.conversation.findFirstOrThrow({ where: { channel: 'voice' } })
    const res = await api(supervisor, 'GET', `/api/v1/voice/calls/${conversation.id}`)
    expect(res.status).toBe(404)
    expect((await api(supervisor, 'GET', '/api/v1/voice/calls/nope')).status).toBe(404)
  })
})
