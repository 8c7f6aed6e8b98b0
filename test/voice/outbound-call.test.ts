import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { findProgram } from '../../core/src/voice/edge/programs.js'
import { espeakAvailable, openMediaSockets, type SoftphoneConfig } from '../../core/src/voice/index.js'
import { startTestPhone, type TestPhone } from '../support/sip-phone.js'
import { freeSipPort, rtpPortRange } from '../support/sip-ports.js'
import { describeSippRun, runSipp, sippPath, type SippRun } from '../support/sipp.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const NUMBER = '+861012345678'
const CUSTOMER = '+8613912345678'
const AGENT_VOICE = 0x22

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
    `test/voice/outbound-call.test.ts skipped: ${missing.join(', ')} not installed (apt-get install kamailio kamailio-websocket-modules rtpengine-daemon sip-tester espeak-ng sox)`,
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

const reply = (status: string, body = '') => `
  <send${status.startsWith('200') ? ' retrans="500"' : ''}>
    <![CDATA[
      SIP/2.0 ${status}
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      [last_Record-Route:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      ${body ? 'Content-Type: application/sdp\n      Content-Length: [len]\n\n' + body : 'Content-Length: 0'}
    ]]>
  </send>`

/** SIPp as the SIP trunk: takes the INVITE, rings, then answers (echoing the RTP) and waits for the BYE, or is busy. */
function trunk(answer: 'answer' | 'busy'): string {
  const sdp = `v=0
      o=trunk 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=sendrecv`
  const end =
    answer === 'answer'
      ? `${reply('200 OK', sdp)}
  <recv request="ACK" crlf="true" timeout="20000"/>
  <recv request="BYE" timeout="30000"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>`
      : `${reply('486 Busy Here')}
  <recv request="ACK" timeout="20000"/>`
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="trunk">
  <recv request="INVITE" timeout="30000"/>
  ${reply('180 Ringing')}
  <pause milliseconds="300"/>
  ${end}
</scenario>
`
}

describe.skipIf(missing.length > 0)(
  'outgoing calls: the agent’s softphone, then the customer through the SIP trunk',
  () => {
    let t: TestApp
    let trunkPort: number
    let agent: { userId: string; token: string; phone: TestPhone }
    const used = new Set<number>()

    beforeAll(async () => {
      trunkPort = await freeSipPort(used)
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
        SWITCHBOARD_VOICE_OUTBOUND_TRUNK: `127.0.0.1:${trunkPort}`,
        SWITCHBOARD_VOICE_AGENT_RING_SECONDS: '10',
        SWITCHBOARD_VOICE_AFTER_CALL_WORK_SECONDS: '0',
      })
      await t.app.start()
      const { token, userId } = await t.tokenFor('agent')
      const res = await t.app.server.inject({ method: 'GET', url: '/api/v1/voice/softphone', headers: bearer(token) })
      const config = JSON.parse(res.payload) as SoftphoneConfig
      if (!config.enabled) throw new Error('voice is on: the softphone should be enabled')
      const phone = await startTestPhone({ ...config, voice: AGENT_VOICE })
      expect(await phone.register()).toBe(200)
      agent = { userId, token, phone }
    }, 90_000)

    afterAll(async () => {
      await agent?.phone.stop()
      await t?.close()
    })

    const api = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
      const res = await t.app.server.inject({
        method,
        url,
        headers: bearer(agent.token),
        ...(payload ? { payload } : {}),
      })
      return { status: res.statusCode, body: res.payload ? (JSON.parse(res.payload) as Record<string, unknown>) : {} }
    }
    const runTrunk = async (answer: 'answer' | 'busy'): Promise<SippRun> =>
      runSipp({
        scenario: trunk(answer),
        target: '127.0.0.1:5060',
        localPort: trunkPort,
        mediaPort: await freeSipPort(used),
        rtpEcho: answer === 'answer',
        timeoutMs: 45_000,
      })

    it('rings the agent, then the customer; answered, they talk (SIPp echoes the agent back); the agent hangs up', async () => {
      const trunkRun = runTrunk('answer')
      // SIPp listens before the INVITE comes: the agent answers after a moment anyway
      await new Promise((resolve) => setTimeout(resolve, 500))
      const placed = await api('POST', '/api/v1/voice/calls', { number: '139 1234 5678' })
      expect(placed.status, JSON.stringify(placed.body)).toBe(202)
      const conversationId = placed.body.conversationId as string
      expect(placed.body.to).toBe('+86139****5678')

      const ringing = await agent.phone.nextCall()
      expect(ringing.header('X-Switchboard-Conversation')).toBe(conversationId)
      expect(ringing.header('X-Switchboard-Outbound')).toBe('1')
      await ringing.established
      const connected = await until(
        () => api('GET', `/api/v1/voice/calls/${conversationId}`),
        (r) => r.body.phase === 'connected',
        20_000,
        'the customer to answer',
      )
      expect(connected.body).toMatchObject({ agentId: agent.userId, to: CUSTOMER })
      // the agent's voice went through Switchboard and the trunk, and came back (SIPp echoes RTP)
      const from = ringing.handler()!.heard.length
      await until(
        () => ringing.handler()!.heardFrom(AGENT_VOICE, from),
        (n) => n >= 25,
        15_000,
        'the echo at the agent',
      )

      const conversation = await t.app.db.conversation.findUniqueOrThrow({
        where: { id: conversationId },
        include: { contact: true },
      })
      expect(conversation).toMatchObject({ channel: 'voice', status: 'assigned', assigneeId: agent.userId })
      expect((await t.app.services.contacts.get(conversation.contactId)).phone).toBe(CUSTOMER)
      // on a call: a second one is refused
      expect((await api('POST', '/api/v1/voice/calls', { number: CUSTOMER })).status).toBe(409)

      expect((await api('POST', `/api/v1/voice/calls/${conversationId}/hangup`)).status).toBe(204)
      const run = await trunkRun
      expect(run.exitCode, describeSippRun(run)).toBe(0)
      await until(
        () => ringing.isEnded(),
        (ended) => ended,
        10_000,
        'the agent leg ended',
      )
      const facts = await until(
        () => t.app.services.voiceCalls.recent().find((c) => c.conversationId === conversationId),
        (c) => c !== undefined,
      )
      expect(facts).toMatchObject({ end: 'agent-hangup', to: CUSTOMER, agentId: agent.userId })
      await until(
        () => openMediaSockets(),
        (n) => n === 0,
        10_000,
        'no media sockets',
      )
    }, 120_000)

    it('a busy customer: the agent hears so and their leg ends; the conversation says busy', async () => {
      const trunkRun = runTrunk('busy')
      await new Promise((resolve) => setTimeout(resolve, 500))
      const placed = await api('POST', '/api/v1/voice/calls', { number: CUSTOMER })
      expect(placed.status, JSON.stringify(placed.body)).toBe(202)
      const conversationId = placed.body.conversationId as string
      const ringing = await agent.phone.nextCall()
      await ringing.established
      const run = await trunkRun
      expect(run.exitCode, describeSippRun(run)).toBe(0)
      // the prompt ("The customer is busy."), then Switchboard's BYE
      await until(
        () => ringing.isEnded(),
        (ended) => ended,
        20_000,
        'the agent leg ended',
      )
      expect(ringing.handler()!.heard.filter((h) => !h.silent && h.byte !== AGENT_VOICE).length).toBeGreaterThan(25)
      const conversation = await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })
      expect(conversation.attributes).toMatchObject({ callOutcome: 'busy', outbound: true })
      const state = await api('GET', `/api/v1/voice/calls/${conversationId}`)
      expect(state.body).toMatchObject({ outbound: { phase: 'failed', outcome: 'busy' } })
      await until(
        () => openMediaSockets(),
        (n) => n === 0,
        10_000,
        'no media sockets',
      )
    }, 120_000)

    it('a callback: its number and conversation; busy is its outcome, so it is tried again later', async () => {
      // the agent wraps up the earlier calls and takes callbacks
      for (const c of await t.app.db.conversation.findMany({ where: { assigneeId: agent.userId, status: 'assigned' } }))
        await t.app.services.conversations.update(systemActor('test'), c.id, { status: 'resolved' })
      const queue = await t.app.services.queues.create(systemActor('test'), { name: 'Callbacks' })
      await t.app.services.queues.setMember(systemActor('test'), queue.id, agent.userId)
      await t.app.services.routing.setPresence(systemActor('test'), agent.userId, { presence: 'available' })
      const contact = await t.app.services.contacts.create({ name: 'Li Lei', phone: '139 8765 4321' })
      const created = await api('POST', '/api/v1/callbacks', {
        contactId: contact.id,
        queue: 'Callbacks',
        mode: 'voice',
        maxAttempts: 3,
        retryMinutes: 5,
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      const callbackId = created.body.id as string
      const assigned = await until(
        () => api('GET', `/api/v1/callbacks/${callbackId}`),
        (r) => r.body.status === 'assigned',
        20_000,
        'the callback assigned to the agent',
      )
      expect(assigned.body).toMatchObject({ assigneeId: agent.userId, phone: '+8613987654321' })

      const trunkRun = runTrunk('busy')
      await new Promise((resolve) => setTimeout(resolve, 500))
      const placed = await api('POST', '/api/v1/voice/calls', { callbackId })
      expect(placed.status, JSON.stringify(placed.body)).toBe(202)
      expect(placed.body).toMatchObject({ conversationId: assigned.body.conversationId, to: '+86139****4321' })
      const ringing = await agent.phone.nextCall()
      await ringing.established
      const run = await trunkRun
      expect(run.exitCode, describeSippRun(run)).toBe(0)
      expect(run.messages).toContain('INVITE sip:+8613987654321@')
      const retried = await until(
        () => api('GET', `/api/v1/callbacks/${callbackId}`),
        (r) => r.body.outcome === 'busy',
        20_000,
        'the callback’s outcome',
      )
      expect(retried.body).toMatchObject({ status: 'scheduled', attempts: 1 })
      await until(
        () => ringing.isEnded(),
        (ended) => ended,
        20_000,
        'the agent leg ended',
      )
      await until(
        () => openMediaSockets(),
        (n) => n === 0,
        10_000,
        'no media sockets',
      )
    }, 120_000)

    it('refuses what cannot be called', async () => {
      expect((await api('POST', '/api/v1/voice/calls', {})).status).toBe(400)
      expect((await api('POST', '/api/v1/voice/calls', { number: 'not a number' })).status).toBe(400)
    })
  },
)
