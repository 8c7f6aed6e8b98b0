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
    `test/voice/queue-experience.test.ts skipped: ${missing.join(', ')} not installed (apt-get install kamailio kamailio-websocket-modules rtpengine-daemon sip-tester espeak-ng sox)`,
  )

async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (ok(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Straight to the queue: the caller hears the hold prompt, then what the queue experience plays. */
const queueFlow = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'queue', type: 'handoff', config: { queue: 'Phone support' } },
  ],
  edges: [{ from: 'start', port: 'next', to: 'queue' }],
}

describe.skipIf(missing.length > 0)('a queued caller: music, position announcements, the callback offer', () => {
  let t: TestApp
  let sipPort: number
  let queueId: string
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
      // short intervals: an announcement every 3 s, the offer once the caller waited 10 s, with each announcement
      SWITCHBOARD_VOICE_QUEUE_ANNOUNCE_SECONDS: '3',
      SWITCHBOARD_VOICE_CALLBACK_OFFER_AFTER_SECONDS: '10',
      SWITCHBOARD_VOICE_CALLBACK_OFFER_EVERY: '1',
    })
    await t.app.start()
    const token = (await t.tokenFor('admin')).token
    queueId = (await t.app.services.queues.create(systemActor('test'), { name: 'Phone support' })).id
    const imported = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/flows/import',
      headers: bearer(token),
      payload: { flow: { name: 'Straight to the queue', kind: 'bot', document: queueFlow }, publish: true },
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
    await t.app.services.contacts.create({ name: 'Ms Wang', phone: '138 1234 5678' })
  }, 60_000)

  afterAll(async () => {
    await t?.close()
  })

  it('hears music all the time, position 2 then 1 as the caller ahead leaves, the new queue’s numbers after a transfer; key 1 books a callback that keeps the place', async () => {
    // another caller's conversation, put in line by the entry flow (a call whose media is elsewhere)
    const waitingCustomer = async (phone: string) => {
      const { conversationId } = await t.app.services.conversations.receive({
        channelPlugin: null,
        channel: 'voice',
        identityKind: 'phone',
        message: {
          channelMessageId: `call-of-${phone}`,
          from: { id: phone, kind: 'phone' },
          kind: 'event',
          event: 'call.started',
          receivedAt: new Date().toISOString(),
        },
      })
      await until(
        () => t.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } }),
        (c) => c.status === 'queued',
      )
      return conversationId
    }
    // one customer ahead in Phone support, and one already waiting in Standby
    const ahead = { conversationId: await waitingCustomer('+8613900001111') }
    const standbyCustomer = await waitingCustomer('+8613900002222')
    const standby = await t.app.services.queues.create(systemActor('test'), { name: 'Standby' })
    await t.app.services.routing.transfer(systemActor('test'), standbyCustomer, { queueId: standby.id })
    expect((await t.app.services.routing.waiting()).map((w) => w.position)).toEqual([1, 1])

    const sipp = runSipp({
      scenario: ivrCaller({
        caller: CALLER,
        listenMs: 30_000,
        keys: ['1'],
        then: { awaitBye: true, byeTimeoutMs: 30_000 },
      }),
      target: `127.0.0.1:${sipPort}`,
      service: NUMBER,
      localPort: await freeSipPort(used),
      mediaPort: await freeSipPort(used),
      rtpEcho: true,
      timeoutMs: 60_000,
    })
    const live = () => t.app.services.voiceCalls.active().find((c) => c.from === CALLER)
    const texts = () => (live()?.prompts ?? []).map((p) => p.text)
    /** waits until `text` was said (after `after`, when given) */
    const heard = async (text: string, after?: string) => {
      const from = (said: (string | null)[]) => (after === undefined ? 0 : said.indexOf(after) + 1)
      const said = await until(
        texts,
        (now) => (after === undefined || now.includes(after)) && now.indexOf(text, from(now)) >= 0,
        25_000,
      )
      return said.slice(from(said))
    }

    expect(await heard('You are number 2 in line.')).toContain('You are number 2 in line.')
    const queued = live()!
    expect(queued.phase).toBe('queued')
    const conversation = await t.app.db.conversation.findUniqueOrThrow({ where: { id: queued.conversationId! } })
    expect(conversation).toMatchObject({ status: 'queued', queueId })

    // the caller ahead leaves the line: the next announcement says so
    await t.app.services.conversations.update(systemActor('test'), ahead.conversationId, { status: 'resolved' })
    expect(await heard('You are next in line.')).toContain('You are next in line.')
    // moved to Standby, behind the customer waiting there: Standby's numbers
    await t.app.services.routing.transfer(systemActor('test'), conversation.id, { queueId: standby.id })
    expect(await heard('You are number 2 in line.', 'You are next in line.')).toContain('You are number 2 in line.')
    expect(await heard('Press 1 to be called back without losing your place in line.')).toContain(
      'Press 1 to be called back without losing your place in line.',
    )
    const inStandby = await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })
    expect(inStandby).toMatchObject({ status: 'queued', queueId: standby.id })

    const run = await sipp
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    expect(run.stats).toMatchObject({ created: 1, successful: 1, failed: 0 })
    const facts = (await until(
      () => t.app.services.voiceCalls.recent().find((c) => c.callId.startsWith(run.callIdPrefix)),
      (c) => c !== undefined,
    )) as CallFacts
    // Switchboard hung up (SIPp waited for its BYE) after the confirmation, played to its end
    expect(facts).toMatchObject({ end: 'flow-hangup', keys: ['1'], queue: 'Phone support' })
    const said = facts.prompts.map((p) => p.text)
    expect(said[0]).toBe('Please hold, an agent will be with you shortly.')
    expect(said.indexOf('You are number 2 in line.')).toBeLessThan(said.indexOf('You are next in line.'))
    expect(said.lastIndexOf('You are number 2 in line.')).toBeGreaterThan(said.indexOf('You are next in line.'))
    expect(said.at(-1)).toBe(
      'Thank you. We will call you back at the number ending in 5 6 7 8, and you keep your place in line. Goodbye.',
    )
    expect(facts.prompts.at(-1)!.finished).toBe(true)
    expect(said.filter((s) => s?.startsWith('Press 1')).length).toBeGreaterThanOrEqual(1)

    // music between the announcements: the caller's side (SIPp's echo through rtpengine) heard sound
    // nearly all the time — silence only before the first prompt was ready
    const media = facts.media!
    expect(media.received).toBeGreaterThan(24_000 / 20 - 100)
    expect(media.received - media.receivedNonSilent).toBeLessThan(150)
    expect(media.sent - media.promptSent).toBeLessThan(150)

    // the callback: voice, the caller's number, the original place in line; the conversation left the queue
    const callback = await t.app.db.callback.findFirstOrThrow({ where: { conversationId: conversation.id } })
    expect(callback).toMatchObject({ source: 'queue-offer', mode: 'voice', queueId: standby.id, status: 'scheduled' })
    expect(callback.queuedAt?.toISOString()).toBe(inStandby.queuedAt!.toISOString())
    const view = await t.app.server.inject({
      method: 'GET',
      url: `/api/v1/callbacks/${callback.id}`,
      headers: bearer((await t.tokenFor('admin')).token),
    })
    expect(JSON.parse(view.payload)).toMatchObject({ phone: CALLER })
    const after = await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })
    expect(after.status).toBe('resolved')
    expect(after.attributes).toMatchObject({ callbackId: callback.id })
    expect((await t.app.services.routing.waiting()).map((w) => w.conversationId)).toEqual([standbyCustomer])
    expect(openMediaSockets()).toBe(0)
    expect(t.app.services.voiceCalls.active()).toEqual([])
  }, 90_000)
})
