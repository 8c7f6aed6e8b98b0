import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../config/index.js'
import { kamailioArgs, rtpengineArgs } from './daemon-args.js'
import { planVoiceEdge, webSocketUrl } from './edge-plan.js'

const dir = () => mkdtempSync(join(tmpdir(), 'sb-voice-plan-'))
const settings = (env: Record<string, string>) =>
  loadConfig({ env: { SWITCHBOARD_VOICE: 'on', ...env }, cwd: dir() }).voice
const messageOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected an error')
}

describe('planVoiceEdge', () => {
  it('listens on 127.0.0.1 by default: SIP on UDP and TCP 5060, WebSocket on 8088, no TLS', () => {
    const plan = planVoiceEdge(settings({}), '/data')
    expect(plan.listeners).toEqual([
      { transport: 'udp', kind: 'sip', port: 5060 },
      { transport: 'tcp', kind: 'sip', port: 5060 },
      { transport: 'tcp', kind: 'ws', port: 8088 },
    ])
    expect(plan).toMatchObject({
      listenAddress: '127.0.0.1',
      advertisedAddress: '127.0.0.1',
      tls: undefined,
      rtpPorts: { min: 30000, max: 34999 },
      trunks: [],
      dir: '/data/voice',
      runDir: '/data/voice/run',
    })
    expect(webSocketUrl(plan)).toBe('ws://127.0.0.1:8088')
    expect(webSocketUrl(plan, true)).toBeUndefined()
  })

  it('adds SIP over TLS and secure WebSocket when a certificate and key are set', () => {
    const d = dir()
    writeFileSync(join(d, 'cert.pem'), 'x')
    writeFileSync(join(d, 'key.pem'), 'x')
    const plan = planVoiceEdge(
      settings({
        SWITCHBOARD_VOICE_TLS_CERT: join(d, 'cert.pem'),
        SWITCHBOARD_VOICE_TLS_KEY: join(d, 'key.pem'),
        SWITCHBOARD_VOICE_DOMAIN: 'voice.example.com',
        SWITCHBOARD_VOICE_TRUNKS: '203.0.113.7, 198.51.100.0/28',
      }),
      d,
    )
    expect(plan.listeners.slice(2)).toEqual([
      { transport: 'tls', kind: 'sip', port: 5061 },
      { transport: 'tcp', kind: 'ws', port: 8088 },
      { transport: 'tls', kind: 'wss', port: 8089 },
    ])
    expect(plan.trunks).toEqual(['203.0.113.7', '198.51.100.0/28'])
    expect(webSocketUrl(plan, true)).toBe('wss://voice.example.com:8089')
  })

  it('advertises the public address in SIP and SDP behind NAT', () => {
    const plan = planVoiceEdge(
      settings({ SWITCHBOARD_VOICE_LISTEN: '10.0.0.5', SWITCHBOARD_VOICE_PUBLIC_ADDRESS: '203.0.113.10' }),
      '/data',
    )
    expect(plan.advertisedAddress).toBe('203.0.113.10')
    expect(rtpengineArgs(plan)).toContain('--interface=10.0.0.5!203.0.113.10')
    expect(rtpengineArgs(plan)).toContain('--listen-ng=127.0.0.1:2223')
    expect(rtpengineArgs(plan)).toContain('--table=-1')
    expect(kamailioArgs(plan)).toEqual(
      expect.arrayContaining(['-f', '/data/voice/kamailio.cfg', '-Y', '/data/voice/run']),
    )
  })

  it('names the settings that do not fit together', () => {
    expect(
      messageOf(() => planVoiceEdge(settings({ SWITCHBOARD_VOICE_TLS_CERT: '/nowhere/cert.pem' }), '/data')),
    ).toContain('voice.tlsCert and voice.tlsKey go together')
    expect(
      messageOf(() =>
        planVoiceEdge(
          settings({ SWITCHBOARD_VOICE_TLS_CERT: '/nowhere/cert.pem', SWITCHBOARD_VOICE_TLS_KEY: '/nowhere/key.pem' }),
          '/data',
        ),
      ),
    ).toContain('voice.tlsCert names /nowhere/cert.pem, which does not exist')
    expect(messageOf(() => planVoiceEdge(settings({ SWITCHBOARD_VOICE_WS_PORT: '5060' }), '/data'))).toContain(
      'must differ (got 5060, 5060)',
    )
    expect(
      messageOf(() =>
        planVoiceEdge(
          settings({ SWITCHBOARD_VOICE_RTP_PORTS: '2000-3000', SWITCHBOARD_VOICE_RTPENGINE_PORT: '2223' }),
          '/data',
        ),
      ),
    ).toContain('voice.rtpenginePort (2223) must be outside voice.rtpPorts')
    expect(messageOf(() => settings({ SWITCHBOARD_VOICE_RTP_PORTS: '30010-30005' }))).toContain(
      'SWITCHBOARD_VOICE_RTP_PORTS (voice.rtpPorts) must be a range',
    )
  })
})
