import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { findProgram } from '../../core/src/voice/edge/programs.js'
import { espeakAvailable, openMediaSockets, type CallFacts } from '../../core/src/voice/index.js'
import { freeSipPort, rtpPortRange } from '../support/sip-ports.js'
import { describeSippRun, runSipp, sippPath } from '../support/sipp.js'
import { ivrCaller } from './sipp-scenarios.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const NUMBER = '+861012345678'
const CALLER = '+8613812345678'

const missing = [
  ['kamailio', findProgram('kamailio')],
  ['rtpengine', findProgram('rtpengine')],
  ['sipp', sippPath],
  ['espeak-ng and sox', espeakAvailable() ? 'yes' : undefined],
]
  .filter(([, path]) => !path)
  .map(([name]) => name)
if (missing.length > 0)
  console.warn(
    `test/voice/ivr-call.test.ts skipped: ${missing.join(', ')} not installed (apt-get install kamailio kamailio-websocket-modules rtpengine-daemon sip-tester espeak-ng sox)`,
  )

async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (ok(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const ivrFlow = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'welcome', type: 'play', config: { text: 'Welcome. Press 1 for order status, 2 for an agent.' } },
    { id: 'menu', type: 'gather', config: { maxDigits: 1, timeout: '25s', variable: 'choice' } },
    {
      id: 'route',
      type: 'switch',
      config: {
        cases: [
          { port: 'order', when: "vars.choice = '1'" },
          { port: 'agent', when: "vars.choice = '2'" },
        ],
      },
    },
    { id: 'shipped', type: 'play', config: { text: 'Your order has shipped.' } },
    { id: 'bye', type: 'hangup', config: {} },
    { id: 'queue', type: 'handoff', config: { queue: 'Phone support' } },
  ],
  edges: [
    { from: 'start', port: 'next', to: 'welcome' },
    { from: 'welcome', port: 'next', to: 'menu' },
    { from: 'menu', port: 'next', to: 'route' },
    { from: 'route', port: 'order', to: 'shipped' },
    { from: 'route', port: 'agent', to: 'queue' },
    { from: 'route', port: 'default', to: 'bye' },
    { from: 'shipped', port: 'next', to: 'bye' },
  ],
}

describe.skipIf(missing.length > 0)('IVR on calls: SIPp through Kamailio to Switchboard’s user agent', () => {
  let t: TestApp
  let sipPort: number
  let contactId: string
  let token: string
  let triggerUrl: string
  const used = new Set<number>()

  beforeAll(async () => {
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
    token = (await t.tokenFor('admin')).token
    const imported = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/flows/import',
      headers: bearer(token),
      payload: { flow: { name: 'Phone menu', kind: 'bot', document: ivrFlow }, publish: true },
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
    triggerUrl = `/api/v1/flows/${flowId}/triggers/${(JSON.parse(trigger.payload) as { id: string }).id}`
    await t.app.services.queues.create(systemActor('test'), { name: 'Phone support' })
    // the caller is a known customer: found by the keyed hash of their phone number
    contactId = (await t.app.services.contacts.create({ name: '王女士', phone: '138 1234 5678' })).id
  }, 60_000)

  afterAll(async () => {
    await t?.close()
  })

  const call = async (keys: string[], then: { awaitBye: true } | { holdMs: number }, listenMs = 5000) =>
    runSipp({
      scenario: ivrCaller({ caller: CALLER, listenMs, keys, then }),
      target: `127.0.0.1:${sipPort}`,
      service: NUMBER,
      localPort: await freeSipPort(used),
      mediaPort: await freeSipPort(used),
      rtpEcho: true,
      timeoutMs: 40_000,
    })

  const finishedCall = (callIdPrefix: string) =>
    until(
      () => t.app.services.voiceCalls.recent().find((c) => c.callId.startsWith(callIdPrefix)),
      (c) => c !== undefined,
    )

  it('plays the menu, takes key 1, says the order has shipped and hangs up; the call is a resolved conversation', async () => {
    // the key comes 8 s in: after the menu (3.5 s) even when a loaded machine starts it late
    const run = await call(['1'], { awaitBye: true }, 8000)
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    expect(run.stats).toMatchObject({ created: 1, successful: 1, failed: 0 })

    const facts = (await finishedCall(run.callIdPrefix)) as CallFacts
    expect(facts).toMatchObject({ from: CALLER, to: NUMBER, phase: 'ended', end: 'flow-hangup', keys: ['1'] })
    expect(facts.prompts.map((p) => p.text)).toEqual([
      'Welcome. Press 1 for order status, 2 for an agent.',
      'Your order has shipped.',
    ])
    // the answer was played to its end before the BYE (the menu too, unless a very late start let the key cut it)
    expect(facts.prompts[1]!.finished).toBe(true)
    expect(facts.prompts.every((p) => p.packets > 50)).toBe(true)

    // the conversation: channel voice, the known contact, resolved, with the call's facts
    const conversation = await until(
      () => t.app.db.conversation.findUniqueOrThrow({ where: { id: facts.conversationId! } }),
      (c) => c.status === 'resolved',
    )
    expect(conversation).toMatchObject({ channel: 'voice', contactId, status: 'resolved' })
    const attributes = conversation.attributes as Record<string, unknown>
    expect(attributes).toMatchObject({
      callId: facts.callId,
      from: '+86138****5678',
      callOutcome: 'completed',
      ivrPath: ['start', 'welcome', 'menu:1', 'route', 'shipped', 'bye'],
    })
    expect(attributes.durationMs as number).toBeGreaterThan(5000)
    // the key went in as the caller's input; the call's start as an event
    const messages = await t.app.db.message.findMany({
      where: { conversationId: conversation.id, direction: 'inbound' },
      orderBy: { seq: 'asc' },
    })
    expect(messages.map((m) => [m.kind, m.body])).toEqual([
      ['system', '[call.started]'],
      ['text', '1'],
    ])

    // the run's trace: start → play → gather (waits, then takes 1) → switch → play → hangup
    const runRow = await t.app.db.flowRun.findFirstOrThrow({ where: { conversationId: conversation.id } })
    const trace = await t.app.services.flowRuntime.getRun(runRow.id)
    expect(trace!.status).toBe('completed')
    expect(trace!.steps.map((s) => s.nodeType)).toEqual([
      'start',
      'play',
      'gather',
      'gather',
      'switch',
      'play',
      'hangup',
    ])
    expect(trace!.steps[3]!.output).toEqual({ digits: '1' })

    // RTP reached SIPp: it echoed the prompts back (sound, not silence) and sent the key as RFC 4733
    expect(facts.media!.promptSent).toBe(facts.prompts.reduce((sum, p) => sum + p.packets, 0))
    expect(facts.media!.receivedNonSilent).toBeGreaterThan(100)
    expect(facts.media!.dtmfPackets).toBeGreaterThanOrEqual(3)
    // nothing left: no RTP socket, no call; rtpengine was told to delete the call
    expect(openMediaSockets()).toBe(0)
    expect(t.app.services.voiceCalls.active()).toEqual([])
    const rtpengineLog = t.app.services.voiceCalls
      .edge()!
      .status()
      .rtpengine.recentLog.filter((line) => line.includes(`[${facts.callId}]`))
      .join('\n')
    expect(rtpengineLog).toContain("Received command 'delete'")
  }, 60_000)

  it('a caller whose last call is still with its agent (wrapping up) gets a call of its own: a new conversation, the IVR again', async () => {
    const agent = await t.tokenFor('agent')
    const earlier = await t.app.db.conversation.findFirstOrThrow({
      where: { channel: 'voice', contactId },
      orderBy: { createdAt: 'desc' },
    })
    await t.app.db.conversation.update({
      where: { id: earlier.id },
      data: { status: 'assigned', assigneeId: agent.userId, resolvedAt: null },
    })
    const run = await call(['1'], { awaitBye: true }, 8000)
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    const facts = (await finishedCall(run.callIdPrefix)) as CallFacts
    expect(facts.conversationId).not.toBe(earlier.id)
    expect(facts).toMatchObject({ end: 'flow-hangup', keys: ['1'] })
    expect(facts.prompts.map((p) => p.text)).toEqual([
      'Welcome. Press 1 for order status, 2 for an agent.',
      'Your order has shipped.',
    ])
    // the agent's conversation is left as it was, with nothing of the new call in it
    const kept = await t.app.db.conversation.findUniqueOrThrow({ where: { id: earlier.id } })
    expect(kept).toMatchObject({ status: 'assigned', assigneeId: agent.userId, messageSeq: earlier.messageSeq })
    await t.app.db.conversation.update({ where: { id: earlier.id }, data: { status: 'resolved', assigneeId: null } })
  }, 60_000)

  it('takes key 2: the conversation waits in the queue while the caller holds; their hang-up leaves it abandoned', async () => {
    const running = call(['2'], { holdMs: 6000 })
    // while the caller holds: queued in Phone support, the call up
    const queued = await until(
      () =>
        t.app.db.conversation.findFirst({
          where: { channel: 'voice', contactId, status: 'queued' },
          include: { queue: true },
        }),
      (c) => c !== null,
      20_000,
    )
    expect(queued?.queue?.name).toBe('Phone support')
    expect(t.app.services.voiceCalls.active().map((c) => c.phase)).toEqual(['queued'])

    const run = await running
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    const facts = (await finishedCall(run.callIdPrefix)) as CallFacts
    expect(facts).toMatchObject({ end: 'caller-hangup', keys: ['2'], queue: 'Phone support' })
    expect(facts.prompts.map((p) => p.text)).toEqual([
      'Welcome. Press 1 for order status, 2 for an agent.',
      'Please hold, an agent will be with you shortly.',
    ])
    const conversation = await until(
      () => t.app.db.conversation.findUniqueOrThrow({ where: { id: facts.conversationId! } }),
      (c) => c.status === 'resolved',
    )
    expect(conversation.id).toBe(queued!.id)
    expect(conversation.queuedAt).not.toBeNull()
    expect(conversation.assigneeId).toBeNull()
    expect(conversation.attributes).toMatchObject({
      callOutcome: 'abandoned',
      ivrPath: ['start', 'welcome', 'menu:2', 'route', 'queue'],
    })
    expect(openMediaSockets()).toBe(0)
    expect(t.app.services.voiceCalls.active()).toEqual([])
  }, 60_000)

  it('takes several keys ended by #, cutting the prompt short; a flow that ends without hanging up ends the call', async () => {
    // the voice entry flow is now one that reads back the keys and simply ends
    expect((await t.app.server.inject({ method: 'DELETE', url: triggerUrl, headers: bearer(token) })).statusCode).toBe(
      204,
    )
    const readBack = {
      schemaVersion: 1,
      nodes: [
        { id: 'start', type: 'start', config: {} },
        {
          id: 'account',
          type: 'gather',
          config: {
            prompt:
              '请输入您的账号，以井号键结束。Please enter your account number, then the pound key. Take your time, we are listening.',
            maxDigits: 6,
            timeout: '25s',
            variable: 'account',
          },
        },
        { id: 'confirm', type: 'play', config: { text: 'You entered {{ vars.account }}.' } },
      ],
      edges: [
        { from: 'start', port: 'next', to: 'account' },
        { from: 'account', port: 'next', to: 'confirm' },
      ],
    }
    const imported = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/flows/import',
      headers: bearer(token),
      payload: { flow: { name: 'Account number', kind: 'bot', document: readBack }, publish: true },
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

    const run = await call(['4', '2', '#'], { awaitBye: true }, 2500)
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    const facts = (await finishedCall(run.callIdPrefix)) as CallFacts
    expect(facts).toMatchObject({ end: 'flow-ended', keys: ['4', '2', '#'] })
    // the first key stopped the long prompt; the read-back was played to its end before the BYE
    expect(facts.prompts.map((p) => p.finished)).toEqual([false, true])
    expect(facts.prompts[1]!.text).toBe('You entered 42.')
    const conversation = await until(
      () => t.app.db.conversation.findUniqueOrThrow({ where: { id: facts.conversationId! } }),
      (c) => c.status === 'resolved',
    )
    expect(conversation.attributes).toMatchObject({
      callOutcome: 'completed',
      ivrPath: ['start', 'account:42', 'confirm'],
    })
    expect(openMediaSockets()).toBe(0)
  }, 60_000)
})
