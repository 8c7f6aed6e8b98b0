import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../core/src/config/index.js'
import { findProgram } from '../../core/src/voice/edge/programs.js'
import {
  deriveVoiceSecret,
  probeSipOptions,
  startVoiceEdge,
  type NgDictionary,
  type VoiceEdge,
} from '../../core/src/voice/index.js'
import { freeSipPort, rtpPortRange } from '../support/sip-ports.js'
import { startTestUserAgent } from '../support/sip-user-agent.js'
import { describeSippRun, runSipp, sippPath } from '../support/sipp.js'
import { callAndHangUp, callHungUpByCallee, callRefusedWith } from './sipp-scenarios.js'

const missing = [
  ['kamailio', findProgram('kamailio')],
  ['rtpengine', findProgram('rtpengine')],
  ['sipp', sippPath],
]
  .filter(([, path]) => !path)
  .map(([name]) => name)
if (missing.length > 0)
  console.warn(
    `test/voice/voice-edge.test.ts skipped: ${missing.join(', ')} not installed (apt-get install kamailio kamailio-websocket-modules kamailio-tls-modules rtpengine-daemon sip-tester)`,
  )

describe.skipIf(missing.length > 0)('voice edge: Kamailio and rtpengine started by Switchboard', () => {
  let dir: string
  const used = new Set<number>()
  const secret = deriveVoiceSecret('a-cookie-secret-of-at-least-32-characters!')
  const cleanups: Array<() => Promise<unknown>> = []
  let edge: VoiceEdge
  let sipPort: number
  let rtpRange: { min: number; max: number }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-voice-'))
    sipPort = await freeSipPort(used)
    const env = {
      SWITCHBOARD_VOICE: 'on',
      SWITCHBOARD_VOICE_SIP_PORT: String(sipPort),
      SWITCHBOARD_VOICE_WS_PORT: String(await freeSipPort(used)),
      SWITCHBOARD_VOICE_RTPENGINE_PORT: String(await freeSipPort(used)),
      SWITCHBOARD_VOICE_RTP_PORTS: rtpPortRange(),
      SWITCHBOARD_VOICE_TRUNKS: '127.0.0.1',
    }
    const config = loadConfig({ env, cwd: dir })
    edge = await startVoiceEdge({
      settings: config.voice,
      dataDir: config.data.dir,
      secret,
      logger: pino({ level: process.env.SWITCHBOARD_TEST_VOICE_LOG ?? 'silent' }),
    })
    rtpRange = edge.plan.rtpPorts
  })

  // the daemons are stopped even when a user agent cannot be (each stop is bounded)
  afterAll(async () => {
    try {
      await Promise.all(cleanups.map((cleanup) => cleanup().catch(() => undefined)))
    } finally {
      await edge?.stop()
      if (dir) rmSync(dir, { recursive: true, force: true })
    }
  })

  const agent = async (
    user: string,
    mode: Parameters<typeof startTestUserAgent>[0]['mode'],
    credentials: { username: string; password: string } = edge.credentials(user, new Date(Date.now() + 600_000)),
  ) => {
    const ua = await startTestUserAgent({
      webSocketUrl: edge.endpoints.webSocket!,
      user,
      domain: '127.0.0.1',
      username: credentials.username,
      password: credentials.password,
      mode,
    })
    cleanups.push(() => ua.stop())
    return ua
  }

  const inRtpRange = (port: number) => port >= rtpRange.min && port <= rtpRange.max

  it('answers SIP OPTIONS as Switchboard and rtpengine answers ping', async () => {
    const answer = await probeSipOptions({ host: '127.0.0.1', port: sipPort })
    expect(answer).toMatchObject({ status: 200, server: 'Switchboard' })
    expect(await edge.ng.command({ command: 'ping' })).toEqual({ result: 'pong' })
    expect(edge.status().kamailio).toMatchObject({ state: 'running', restarts: 0 })
    expect(edge.status().rtpengine).toMatchObject({ state: 'running', restarts: 0 })
  })

  it('anchors media in rtpengine: ng offer, answer and delete of a call', async () => {
    const callId = `sbtest-ng-${Math.random().toString(36).slice(2)}`
    const sdp = (port: number) =>
      `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n`
    const offer = await edge.ng.command({ command: 'offer', 'call-id': callId, 'from-tag': 'a', sdp: sdp(40_000) })
    expect(offer.result).toBe('ok')
    expect(inRtpRange(Number(/m=audio (\d+)/.exec(String(offer.sdp))?.[1]))).toBe(true)
    const answer = await edge.ng.command({
      command: 'answer',
      'call-id': callId,
      'from-tag': 'a',
      'to-tag': 'b',
      sdp: sdp(40_002),
    })
    expect(answer.result).toBe('ok')
    const query = await edge.ng.command({ command: 'query', 'call-id': callId })
    expect(Object.keys(query.tags as NgDictionary).sort()).toEqual(['a', 'b'])
    expect((await edge.ng.command({ command: 'delete', 'call-id': callId })).result).toBe('ok')
  })

  it('refuses a registration with a wrong password, expired credentials or credentials of another user', async () => {
    const valid = edge.credentials('agent9', new Date(Date.now() + 600_000))
    const expired = edge.credentials('agent9', new Date(Date.now() - 1000))
    const someoneElses = edge.credentials('agent8', new Date(Date.now() + 600_000))
    const wrong = await agent('agent9', { reject: 486 }, { ...valid, password: valid.password.replace(/^./, 'x') })
    expect(await wrong.register()).toBe(401)
    expect(await (await agent('agent9', { reject: 486 }, expired)).register()).toBe(401)
    expect(await (await agent('agent9', { reject: 486 }, someoneElses)).register()).toBe(401)
    expect(await (await agent('agent9', { reject: 486 }, { username: 'agent9', password: 'x' })).register()).toBe(401)
    expect(await (await agent('agent9', { reject: 486 }, valid)).register()).toBe(200)
  })

  it('routes a SIPp call from a trunk (UDP) to an agent registered over WebSocket; media flows through rtpengine; BYE ends it', async () => {
    const ua = await agent('agent1', { answer: true, packets: 60 })
    expect(await ua.register()).toBe(200)
    const answered = ua.nextCall()
    const run = await runSipp({
      scenario: callAndHangUp(2000),
      target: `127.0.0.1:${sipPort}`,
      service: 'agent1',
      localPort: await freeSipPort(used),
      mediaPort: await freeSipPort(used),
      rtpEcho: true,
    })
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    expect(run.stats).toMatchObject({ created: 1, successful: 1, failed: 0 })

    const call = await answered
    await call.ended
    expect(call.states).toContain('Established')
    expect(call.states.at(-1)).toBe('Terminated')
    const callId = call.invitation.request.callId
    expect(callId.startsWith(run.callIdPrefix)).toBe(true)
    // the offer reached the agent as plain RTP on rtpengine's ports, not SIPp's own
    expect(call.handler!.remote).toMatchObject({ address: '127.0.0.1', protocol: 'RTP/AVP' })
    expect(inRtpRange(call.handler!.remote!.port)).toBe(true)
    expect(call.offer).toContain('a=rtpmap:0 PCMU/8000')
    // and SIPp got the agent's answer on rtpengine's ports too
    const answerPort = Number(/SIP\/2\.0 200 OK[\s\S]*?m=audio (\d+) RTP\/AVP/.exec(run.messages)?.[1])
    expect(inRtpRange(answerPort), run.messages).toBe(true)
    // the agent's RTP went through rtpengine to SIPp, which echoed it back the same way
    expect(call.handler!.sent).toBe(60)
    expect(call.handler!.received).toBeGreaterThan(30)
    const query = await edge.ng.command({ command: 'query', 'call-id': callId })
    const rtp = (query.totals as { RTP: { packets: number } }).RTP
    expect(rtp.packets).toBeGreaterThanOrEqual(60 + call.handler!.received)
    // Kamailio drove rtpengine for this call: offer (INVITE), answer (200 OK), delete (BYE)
    const log = edge
      .status()
      .rtpengine.recentLog.filter((line) => line.includes(`[${callId}]`))
      .join('\n')
    for (const command of ['offer', 'answer', 'delete']) expect(log).toContain(`Received command '${command}'`)
  })

  it("carries the agent's BYE back to the trunk", async () => {
    const ua = await agent('agent2', { answer: true, packets: 10, hangUpAfterMs: 500 })
    expect(await ua.register()).toBe(200)
    const answered = ua.nextCall()
    const run = await runSipp({
      scenario: callHungUpByCallee(),
      target: `127.0.0.1:${sipPort}`,
      service: 'agent2',
      localPort: await freeSipPort(used),
      mediaPort: await freeSipPort(used),
    })
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    expect(run.stats).toMatchObject({ successful: 1, failed: 0 })
    const call = await answered
    await call.ended
    const log = edge.status().rtpengine.recentLog.filter((l) => l.includes(`[${call.invitation.request.callId}]`))
    expect(log.join('\n')).toContain("Received command 'delete'")
  })

  it('asks a caller that is not a trunk for credentials', async () => {
    const run = await runSipp({
      scenario: callRefusedWith(407),
      target: `127.0.0.1:${sipPort}`,
      service: 'agent1',
      localAddress: '127.0.0.2',
      localPort: await freeSipPort(used),
      mediaPort: await freeSipPort(used),
    })
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    expect(run.stats).toMatchObject({ successful: 1, failed: 0 })
  })

  it('offers WebRTC (ICE, DTLS-SRTP) to a WebSocket contact that does not ask for plain RTP, and passes its refusal back', async () => {
    const ua = await agent('browser1', { reject: 486 })
    ;(ua.ua.contact.uri as { deleteParam(name: string): void }).deleteParam('sb-media')
    expect(await ua.register()).toBe(200)
    const offered = ua.nextCall()
    const run = await runSipp({
      scenario: callRefusedWith(486),
      target: `127.0.0.1:${sipPort}`,
      service: 'browser1',
      localPort: await freeSipPort(used),
      mediaPort: await freeSipPort(used),
    })
    expect(run.exitCode, describeSippRun(run)).toBe(0)
    const call = await offered
    expect(call.offer).toContain('UDP/TLS/RTP/SAVPF')
    expect(call.offer).toMatch(/a=fingerprint:sha-256 /)
    expect(call.offer).toMatch(/a=ice-ufrag:/)
    expect(call.offer).toContain('a=rtcp-mux')
  })
})
