import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../config/index.js'
import { planVoiceEdge } from './edge-plan.js'
import { renderKamailioConfig, renderTlsConfig, RTPENGINE_FLAGS } from './kamailio-config.js'
import { checkKamailioConfig, findProgram } from './programs.js'

const secret = 'ab'.repeat(32)
const kamailio = findProgram('kamailio')
const plan = (env: Record<string, string>, dataDir = mkdtempSync(join(tmpdir(), 'sb-kamailio-cfg-'))) =>
  planVoiceEdge(loadConfig({ env: { SWITCHBOARD_VOICE: 'on', ...env }, cwd: dataDir }).voice, dataDir)

/** A self-signed certificate for voice.example.com, made with openssl. */
function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=voice.example.com',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  )
  return { cert, key }
}

async function passesKamailioCheck(p: ReturnType<typeof plan>): Promise<string | true> {
  mkdirSync(p.dir, { recursive: true })
  writeFileSync(p.kamailioConfigFile, renderKamailioConfig(p, secret))
  if (p.tls) writeFileSync(p.tlsConfigFile, renderTlsConfig(p))
  const result = await checkKamailioConfig(kamailio!, p.kamailioConfigFile)
  return result.ok || result.output
}

describe('kamailio.cfg generated from the voice settings', () => {
  it('listens where the settings say, advertising the public address, with the domain as an alias', () => {
    const cfg = renderKamailioConfig(
      plan({
        SWITCHBOARD_VOICE_LISTEN: '127.0.0.1',
        SWITCHBOARD_VOICE_PUBLIC_ADDRESS: '203.0.113.10',
        SWITCHBOARD_VOICE_DOMAIN: 'voice.example.com',
      }),
      secret,
    )
    expect(cfg).toContain('listen=udp:127.0.0.1:5060 advertise 203.0.113.10:5060')
    expect(cfg).toContain('listen=tcp:127.0.0.1:8088 advertise 203.0.113.10:8088')
    expect(cfg).toContain('alias="voice.example.com"')
    expect(cfg).toContain('enable_tls=no')
    expect(cfg).not.toContain('tls.so')
    expect(cfg).toContain('modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:2223")')
  })

  it('lets the trunks on the allow-list call without credentials, nobody else', () => {
    expect(renderKamailioConfig(plan({ SWITCHBOARD_VOICE_TRUNKS: '203.0.113.7,198.51.100.0/28' }), secret)).toContain(
      'if (src_ip==203.0.113.7 || src_ip==198.51.100.0/28) return 1;\n  return -1;',
    )
    expect(renderKamailioConfig(plan({}), secret)).toContain('route[FROM_TRUNK] {\n  return -1;\n}')
  })

  it('uses the registration secret and the rtpengine flags of each direction', () => {
    const cfg = renderKamailioConfig(plan({}), secret)
    expect(cfg).toContain(`$var(text) = "${secret}:inner:" + $aU;`)
    for (const flags of Object.values(RTPENGINE_FLAGS)) expect(cfg).toContain(`rtpengine_manage("${flags}")`)
    expect(() => renderKamailioConfig(plan({}), 'not"hex')).toThrow(/hex/)
  })

  it.skipIf(!kamailio)('passes `kamailio -c` with the defaults, with trunks, NAT and a domain', async () => {
    expect(await passesKamailioCheck(plan({}))).toBe(true)
    expect(
      await passesKamailioCheck(
        plan({
          SWITCHBOARD_VOICE_TRUNKS: '203.0.113.7,198.51.100.0/28,2001:db8::/32',
          SWITCHBOARD_VOICE_PUBLIC_ADDRESS: '203.0.113.10',
          SWITCHBOARD_VOICE_DOMAIN: 'voice.example.com',
          SWITCHBOARD_VOICE_WS_PORT: '0',
        }),
      ),
    ).toBe(true)
  })

  it('sends Switchboard’s own calls to unregistered numbers through voice.outboundTrunk, only those', async () => {
    const cfg = renderKamailioConfig(
      plan({ SWITCHBOARD_VOICE_OUTBOUND_TRUNK: '203.0.113.7', SWITCHBOARD_VOICE_NUMBERS: '+861012345678,support' }),
      secret,
    )
    expect(cfg).toContain('if (route(OUTBOUND)) exit;')
    // only over WebSocket (Switchboard's user agent), only from its numbers, only signed in
    expect(cfg).toContain('if ($proto != "ws" && $proto != "wss") return -1;')
    expect(cfg).toContain('if (!($fU == "+861012345678" || $fU == "support")) return -1;\n  route(AUTH);')
    expect(cfg).toContain('$du = "sip:203.0.113.7:5060";')
    expect(renderKamailioConfig(plan({}), secret)).toContain('route[OUTBOUND] {\n  return -1;\n}')
    if (kamailio)
      expect(
        await passesKamailioCheck(
          plan({
            SWITCHBOARD_VOICE_OUTBOUND_TRUNK: 'sip.example.net:5080',
            SWITCHBOARD_VOICE_NUMBERS: '+861012345678',
          }),
        ),
      ).toBe(true)
  })

  it.skipIf(!kamailio)('passes `kamailio -c` with TLS and secure WebSocket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-kamailio-tls-'))
    const { cert, key } = selfSignedCertificate(dir)
    const p = plan({ SWITCHBOARD_VOICE_TLS_CERT: cert, SWITCHBOARD_VOICE_TLS_KEY: key }, dir)
    const cfg = renderKamailioConfig(p, secret)
    expect(cfg).toContain('enable_tls=yes')
    expect(cfg).toContain('listen=tls:127.0.0.1:5061')
    expect(cfg).toContain('listen=tls:127.0.0.1:8089')
    expect(cfg).toContain(`modparam("tls", "config", "${p.tlsConfigFile}")`)
    expect(renderTlsConfig(p)).toContain(`certificate = ${cert}`)
    expect(await passesKamailioCheck(p)).toBe(true)
  })
})
