import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './load-config.js'
import { isAddressOrCidr } from './voice-settings.js'

const load = (env: Record<string, string>) => loadConfig({ env, cwd: mkdtempSync(join(tmpdir(), 'sb-voice-config-')) })
const messageOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected an error')
}

describe('voice settings', () => {
  it('are off by default, with the usual SIP ports on 127.0.0.1', () => {
    expect(load({}).voice).toMatchObject({
      enabled: false,
      listenAddress: '127.0.0.1',
      sipPort: 5060,
      tlsPort: 5061,
      wsPort: 8088,
      wssPort: 8089,
      rtpPorts: '30000-34999',
      trunks: '',
      rtpenginePort: 2223,
    })
  })

  it('take SWITCHBOARD_VOICE=on|off and the other variables', () => {
    expect(load({ SWITCHBOARD_VOICE: 'on' }).voice.enabled).toBe(true)
    expect(load({ SWITCHBOARD_VOICE: 'off' }).voice.enabled).toBe(false)
    const voice = load({
      SWITCHBOARD_VOICE_LISTEN: '10.0.0.5',
      SWITCHBOARD_VOICE_PUBLIC_ADDRESS: '203.0.113.10',
      SWITCHBOARD_VOICE_SIP_PORT: '5070',
      SWITCHBOARD_VOICE_TRUNKS: '203.0.113.7,198.51.100.0/28,2001:db8::/32',
      SWITCHBOARD_VOICE_RTP_PORTS: '40000-40999',
    }).voice
    expect(voice).toMatchObject({ listenAddress: '10.0.0.5', publicAddress: '203.0.113.10', sipPort: 5070 })
  })

  it('name each bad value', () => {
    const message = messageOf(() =>
      load({
        SWITCHBOARD_VOICE: 'maybe',
        SWITCHBOARD_VOICE_LISTEN: '0.0.0.0',
        SWITCHBOARD_VOICE_TRUNKS: '203.0.113.7,example.com',
        SWITCHBOARD_VOICE_RTP_PORTS: '80-90',
        SWITCHBOARD_VOICE_DOMAIN: 'bad domain',
      }),
    )
    expect(message).toContain('SWITCHBOARD_VOICE (voice.enabled) must be on or off; got "maybe"')
    expect(message).toContain('SWITCHBOARD_VOICE_LISTEN (voice.listenAddress) must be an IPv4 address')
    expect(message).toContain(
      'SWITCHBOARD_VOICE_TRUNKS (voice.trunks) must be comma-separated IP addresses or networks',
    )
    expect(message).toContain('SWITCHBOARD_VOICE_RTP_PORTS (voice.rtpPorts) must be a range')
    expect(message).toContain('SWITCHBOARD_VOICE_DOMAIN (voice.domain) must be a host name')
  })

  it('recognise addresses and networks', () => {
    for (const ok of ['127.0.0.1', '10.0.0.0/8', '203.0.113.7/32', '2001:db8::1', '2001:db8::/32'])
      expect(isAddressOrCidr(ok)).toBe(true)
    for (const bad of ['example.com', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/8/1', '2001:db8::/129', '1.2.3'])
      expect(isAddressOrCidr(bad)).toBe(false)
  })
})
