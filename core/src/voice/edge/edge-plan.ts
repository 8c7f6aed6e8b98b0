import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../../config/index.js'
import { ErrorCode, userError } from '../../errors/index.js'

export type VoiceSettings = Config['voice']

/** One SIP listener of Kamailio. */
export interface SipListener {
  transport: 'udp' | 'tcp' | 'tls'
  /** what SIP runs over on it: plain SIP, or WebSocket (its HTTP upgrade is only accepted on these) */
  kind: 'sip' | 'ws' | 'wss'
  port: number
}

/**
 * The voice edge resolved from the settings: every address, port and file the two daemons
 * use. Everything derived from the settings is decided here, once, so the config renderers
 * and the doctor agree.
 */
export interface EdgePlan {
  listenAddress: string
  /** the address written into SIP headers and SDP (the public one behind 1:1 NAT) */
  advertisedAddress: string
  publicAddress: string | undefined
  domain: string | undefined
  listeners: SipListener[]
  tls: { cert: string; key: string } | undefined
  rtpPorts: { min: number; max: number }
  trunks: string[]
  rtpenginePort: number
  /** voice.outboundTrunk (host:port) and the numbers whose calls may leave through it (voice.numbers) */
  outbound: { trunk: string; numbers: string[] } | undefined
  /** <data dir>/voice: generated configuration (0700: it holds the registration secret) */
  dir: string
  /** <data dir>/voice/run: Kamailio's runtime directory and the pid files */
  runDir: string
  kamailioConfigFile: string
  tlsConfigFile: string
}

/** Resolves and cross-checks the voice settings; a problem throws SB_ERR_CONFIG_INVALID naming the keys. */
export function planVoiceEdge(settings: VoiceSettings, dataDir: string): EdgePlan {
  const problems: string[] = []
  const tls = resolveTls(settings, problems)
  const listeners: SipListener[] = [
    { transport: 'udp', kind: 'sip', port: settings.sipPort },
    { transport: 'tcp', kind: 'sip', port: settings.sipPort },
  ]
  if (tls && settings.tlsPort) listeners.push({ transport: 'tls', kind: 'sip', port: settings.tlsPort })
  if (settings.wsPort) listeners.push({ transport: 'tcp', kind: 'ws', port: settings.wsPort })
  if (tls && settings.wssPort) listeners.push({ transport: 'tls', kind: 'wss', port: settings.wssPort })

  const tcpPorts = listeners.filter((l) => l.transport !== 'udp').map((l) => l.port)
  if (new Set(tcpPorts).size !== tcpPorts.length)
    problems.push(
      `voice.sipPort, voice.tlsPort, voice.wsPort and voice.wssPort must differ (got ${tcpPorts.join(', ')})`,
    )
  const [min, max] = settings.rtpPorts.split('-').map((p) => Number(p.trim())) as [number, number]
  if (min >= max) problems.push(`voice.rtpPorts must be low-high with low < high (got ${settings.rtpPorts})`)
  if (settings.rtpenginePort >= min && settings.rtpenginePort <= max)
    problems.push(`voice.rtpenginePort (${settings.rtpenginePort}) must be outside voice.rtpPorts`)
  if (problems.length > 0) {
    throw userError(ErrorCode.CONFIG_INVALID, `Invalid configuration: ${problems.join('; ')}`, {
      details: problems,
    })
  }
  const dir = join(dataDir, 'voice')
  return {
    listenAddress: settings.listenAddress,
    advertisedAddress: settings.publicAddress ?? settings.listenAddress,
    publicAddress: settings.publicAddress,
    domain: settings.domain,
    listeners,
    tls,
    rtpPorts: { min, max },
    trunks: settings.trunks
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    rtpenginePort: settings.rtpenginePort,
    outbound: settings.outboundTrunk
      ? {
          trunk: settings.outboundTrunk.includes(':') ? settings.outboundTrunk : `${settings.outboundTrunk}:5060`,
          numbers: settings.numbers
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean),
        }
      : undefined,
    dir,
    runDir: join(dir, 'run'),
    kamailioConfigFile: join(dir, 'kamailio.cfg'),
    tlsConfigFile: join(dir, 'tls.cfg'),
  }
}

function resolveTls(settings: VoiceSettings, problems: string[]): EdgePlan['tls'] {
  const { tlsCert: cert, tlsKey: key } = settings
  if (!cert && !key) return undefined
  if (!cert || !key) {
    problems.push('voice.tlsCert and voice.tlsKey go together: set both (or neither, for no TLS/WSS)')
    return undefined
  }
  for (const [name, path] of [
    ['voice.tlsCert', cert],
    ['voice.tlsKey', key],
  ] as const) {
    if (!existsSync(path)) problems.push(`${name} names ${path}, which does not exist`)
  }
  return { cert, key }
}

/** The WebSocket URL sip.js user agents connect to, e.g. ws://127.0.0.1:8088. */
export function webSocketUrl(plan: EdgePlan, secure = false): string | undefined {
  const listener = plan.listeners.find((l) => l.kind === (secure ? 'wss' : 'ws'))
  if (!listener) return undefined
  const host = secure ? (plan.domain ?? plan.advertisedAddress) : plan.listenAddress
  return `${secure ? 'wss' : 'ws'}://${host}:${listener.port}`
}
