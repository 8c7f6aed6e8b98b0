import { isIP } from 'node:net'
import { z } from 'zod'
import { parse, setting } from './setting.js'

/** a port setting; `0` turns off the listeners that may be off */
const port = (env: string, doc: string, fallback: number, min: 0 | 1 = 0) =>
  setting({ env, doc, default: fallback, ...parse.int(min, 65535) })

/** An IPv4/IPv6 address, or an address with a prefix length (10.0.0.0/8, 2001:db8::/32). */
export function isAddressOrCidr(text: string): boolean {
  const [address = '', prefix, extra] = text.split('/')
  const family = isIP(address)
  if (family === 0 || extra !== undefined) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)
}

/**
 * The voice edge: Kamailio (SIP for trunks, phones and sip.js over WebSocket) and rtpengine
 * (media relay, WebRTC ⇄ RTP), started by Switchboard with configuration generated from these
 * settings. docs/voice-setup.md explains them for a production install.
 */
export const voiceSettings = {
  enabled: setting({
    env: 'SWITCHBOARD_VOICE',
    doc: 'Run the voice edge: Switchboard starts Kamailio and rtpengine (Debian packages kamailio, kamailio-websocket-modules, kamailio-tls-modules, rtpengine-daemon) with the configuration it generates, and stops them when it stops. `switchboard doctor` checks them.',
    default: false,
    expected: 'on or off',
    schema: z
      .union([z.boolean(), z.enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no'])])
      .transform((v) => v === true || v === 'on' || v === 'true' || v === '1' || v === 'yes'),
  }),
  listenAddress: setting({
    env: 'SWITCHBOARD_VOICE_LISTEN',
    doc: 'IP address of this machine that SIP and media listen on. The default serves this machine only; in production use the address of the network card that trunks and phones reach (a private address behind NAT: then set voice.publicAddress too). 0.0.0.0 is refused: rtpengine needs one address to put in the SDP.',
    default: '127.0.0.1',
    expected: 'an IPv4 address of this machine such as 10.0.0.5',
    schema: z.string().refine((v) => isIP(v) === 4 && v !== '0.0.0.0'),
  }),
  publicAddress: setting({
    env: 'SWITCHBOARD_VOICE_PUBLIC_ADDRESS',
    doc: 'Address trunks and phones see, when this machine is behind 1:1 NAT (a cloud VM with a public IP): written into SIP headers (Via, Record-Route) and the SDP instead of voice.listenAddress. Leave unset when the listen address is reachable as is.',
    default: undefined,
    expected: 'an IPv4 address such as 203.0.113.10',
    schema: z
      .string()
      .refine((v) => isIP(v) === 4)
      .optional(),
  }),
  domain: setting({
    env: 'SWITCHBOARD_VOICE_DOMAIN',
    doc: 'SIP domain of the phones and agents (their addresses are sip:name@domain), e.g. voice.example.com. Requests for it are served here like requests for the listen and public addresses. Unset: the addresses only.',
    default: undefined,
    expected: 'a host name such as voice.example.com',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/)
      .optional(),
  }),
  sipPort: port('SWITCHBOARD_VOICE_SIP_PORT', 'SIP over UDP and TCP, for trunks and phones.', 5060, 1),
  tlsPort: port(
    'SWITCHBOARD_VOICE_TLS_PORT',
    'SIP over TLS (sips:), for phones and trunks that encrypt signalling. Listens only when voice.tlsCert and voice.tlsKey are set; 0 turns it off.',
    5061,
  ),
  wsPort: port(
    'SWITCHBOARD_VOICE_WS_PORT',
    "SIP over plain WebSocket (ws://): Switchboard's own user agent and development consoles. 0 turns it off.",
    8088,
  ),
  wssPort: port(
    'SWITCHBOARD_VOICE_WSS_PORT',
    'SIP over secure WebSocket (wss://), what agents’ browsers use from an https console. Listens only when voice.tlsCert and voice.tlsKey are set; 0 turns it off.',
    8089,
  ),
  tlsCert: setting({
    env: 'SWITCHBOARD_VOICE_TLS_CERT',
    doc: 'PEM certificate (with its chain) for SIP over TLS and secure WebSocket, issued for voice.domain. Read by Kamailio when it starts.',
    default: undefined,
    ...parse.optionalString(),
  }),
  tlsKey: setting({
    env: 'SWITCHBOARD_VOICE_TLS_KEY',
    doc: 'PEM private key of voice.tlsCert. Kamailio reads it as the user running Switchboard, so keep it readable by that user only.',
    default: undefined,
    ...parse.optionalString(),
  }),
  rtpPorts: setting({
    env: 'SWITCHBOARD_VOICE_RTP_PORTS',
    doc: 'UDP port range rtpengine relays media on, e.g. 30000-34999. A call takes two to four ports; open the range in the firewall.',
    default: '30000-34999',
    expected: 'a range such as 30000-34999 (low-high, 1024 to 65535, at least 4 ports)',
    schema: z.string().refine((v) => {
      const match = /^(\d+)-(\d+)$/.exec(v.trim())
      if (!match) return false
      const [low, high] = [Number(match[1]), Number(match[2])]
      return low >= 1024 && high <= 65535 && high - low >= 3
    }),
  }),
  trunks: setting({
    env: 'SWITCHBOARD_VOICE_TRUNKS',
    doc: "SIP trunks allowed to send calls without signing in: comma-separated addresses or networks of your provider's signalling servers (e.g. 203.0.113.7,198.51.100.0/28). Every other request must authenticate. Empty: no trunk.",
    default: '',
    expected: 'comma-separated IP addresses or networks such as 203.0.113.7,198.51.100.0/28',
    schema: z.string().refine((v) =>
      v
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .every(isAddressOrCidr),
    ),
  }),
  numbers: setting({
    env: 'SWITCHBOARD_VOICE_NUMBERS',
    doc: "The numbers Switchboard answers itself, comma-separated: the called number of a trunk's INVITE (e.g. +861012345678) or a SIP name (e.g. support). Each is registered at the edge as sip:<number>@<domain>; its calls run the voice channel's entry flow (docs/voice-setup.md). Empty: no call is answered.",
    default: '',
    expected: 'comma-separated numbers or SIP names such as +861012345678,support',
    schema: z.string().refine((v) =>
      v
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .every((part) => /^[A-Za-z0-9._+-]{1,64}$/.test(part)),
    ),
  }),
  // [settings:calls]
  outboundTrunk: setting({
    env: 'SWITCHBOARD_VOICE_OUTBOUND_TRUNK',
    doc: "Where Switchboard's own outgoing calls go (callbacks and agents' calls to customers): host:port of your SIP trunk or gateway, e.g. 203.0.113.7:5060. The edge sends an INVITE from one of Switchboard's numbers to a number that is not registered here to this address. Unset: no outgoing calls.",
    default: undefined,
    expected: 'host:port of a SIP trunk, such as 203.0.113.7:5060 or sip.example.net:5060',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/)
      .optional(),
  }),
  agentRingSeconds: setting({
    env: 'SWITCHBOARD_VOICE_AGENT_RING_SECONDS',
    doc: "How long an agent's softphone rings for a call before Switchboard gives up: the call goes back to its queue in the same place and the agent is set away (reason: missed call), so no more calls are offered to them until they are available again.",
    default: 20,
    ...parse.int(5, 120),
  }),
  afterCallWorkSeconds: setting({
    env: 'SWITCHBOARD_VOICE_AFTER_CALL_WORK_SECONDS',
    doc: "After-call work: when an agent's call ends their presence is after-call-work for this many seconds (no new work is offered), then available again unless they chose another presence meanwhile. 0 turns it off.",
    default: 30,
    ...parse.int(0, 3600),
  }),
  publicWebSocketUrl: setting({
    env: 'SWITCHBOARD_VOICE_PUBLIC_WS_URL',
    doc: "The WebSocket address agents' softphones connect to, when it is not the edge's own (wss://voice.example.com:8089 behind a reverse proxy, for example). Unset: the edge's secure WebSocket when TLS is set, else its plain WebSocket.",
    default: undefined,
    expected: 'a ws:// or wss:// URL such as wss://voice.example.com/sip',
    schema: z
      .string()
      .regex(/^wss?:\/\/[^\s]+$/)
      .optional(),
  }),
  // [settings:queue]
  queueAnnounceSeconds: setting({
    env: 'SWITCHBOARD_VOICE_QUEUE_ANNOUNCE_SECONDS',
    doc: "While a caller waits in a queue, every this many seconds the hold music pauses for their position in line and the estimated wait, in the caller's language. 0 turns the announcements (and the callback offer) off.",
    default: 45,
    ...parse.int(0, 3600),
  }),
  callbackOfferAfterSeconds: setting({
    env: 'SWITCHBOARD_VOICE_CALLBACK_OFFER_AFTER_SECONDS',
    doc: 'Callers whose estimated wait is longer than this, or who have waited this long, are offered with the announcements to press 1 and be called back without losing their place. 0: no offer.',
    default: 120,
    ...parse.int(0, 86400),
  }),
  callbackOfferEvery: setting({
    env: 'SWITCHBOARD_VOICE_CALLBACK_OFFER_EVERY',
    doc: 'Once a caller may be offered a callback, the offer follows every this many announcements (1: each one). Key 1 takes it at any time after the first offer.',
    default: 2,
    ...parse.int(1, 100),
  }),
  holdMusicFile: setting({
    env: 'SWITCHBOARD_VOICE_HOLD_MUSIC_FILE',
    doc: 'Your own music on hold: a WAV or MP3 file, absolute or relative to <data dir>/voice/audio. It is converted to telephone audio once (again when its content changes) and played in a loop. Unset: the built-in music.',
    default: undefined,
    ...parse.optionalString(),
  }),
  // [settings:recording]
  recording: setting({
    env: 'SWITCHBOARD_VOICE_RECORDING',
    doc: "Record calls: `calls` records every answered call (after the consent announcement, when it is on) to <data dir>/voice/recordings, encrypted with the personal-data key; `off` records nothing. Supervisors of the call's queue and admins can listen in the console.",
    default: 'off' as 'off' | 'calls',
    ...parse.oneOf(['off', 'calls'] as const),
  }),
  recordingConsent: setting({
    env: 'SWITCHBOARD_VOICE_RECORDING_CONSENT',
    doc: 'While recording is on, play the consent announcement first thing when a call is answered; the recording starts only once it has been played to its end. Off: recording starts when the call is answered (only where the law allows recording without telling the caller).',
    default: true,
    expected: 'on or off',
    schema: z
      .union([z.boolean(), z.enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no'])])
      .transform((v) => v === true || v === 'on' || v === 'true' || v === '1' || v === 'yes'),
  }),
  recordingConsentText: setting({
    env: 'SWITCHBOARD_VOICE_RECORDING_CONSENT_TEXT',
    doc: 'The consent announcement spoken (text to speech) to callers whose language is not Chinese.',
    default: 'This call may be recorded for quality purposes.',
    ...parse.string(1),
  }),
  recordingConsentTextZh: setting({
    env: 'SWITCHBOARD_VOICE_RECORDING_CONSENT_TEXT_ZH',
    doc: 'The consent announcement spoken to callers whose language is Chinese (zh, zh-CN …).',
    default: '本次通话可能会被录音，用于服务质量管理。',
    ...parse.string(1),
  }),
  recordingConsentFile: setting({
    env: 'SWITCHBOARD_VOICE_RECORDING_CONSENT_FILE',
    doc: 'Your own recorded consent announcement instead of the spoken texts: a WAV or MP3 file in <data dir>/voice/audio (its name, or a path inside that folder), played to every caller.',
    default: undefined,
    ...parse.optionalString(),
  }),
  recordingRetentionDays: setting({
    env: 'SWITCHBOARD_VOICE_RECORDING_RETENTION_DAYS',
    doc: 'Recordings older than this many days are deleted (file and entry) by a daily job. 0 keeps them until they are deleted by hand or with the contact.',
    default: 90,
    ...parse.int(0, 36500),
  }),
  agentsHearOwnRecordings: setting({
    env: 'SWITCHBOARD_VOICE_AGENTS_HEAR_OWN_RECORDINGS',
    doc: 'Agents may listen to the recordings of calls they took themselves (supervisors of the queue and admins always may).',
    default: false,
    ...parse.boolean(),
  }),
  rtpenginePort: port(
    'SWITCHBOARD_VOICE_RTPENGINE_PORT',
    'UDP port on 127.0.0.1 where rtpengine takes commands (the ng protocol) from Kamailio and Switchboard.',
    2223,
    1,
  ),
  kamailioPath: setting({
    env: 'SWITCHBOARD_VOICE_KAMAILIO',
    doc: 'The kamailio program. Default: found on PATH or in /usr/sbin.',
    default: undefined,
    ...parse.optionalString(),
  }),
  rtpenginePath: setting({
    env: 'SWITCHBOARD_VOICE_RTPENGINE',
    doc: 'The rtpengine program. Default: found on PATH or in /usr/bin and /usr/sbin.',
    default: undefined,
    ...parse.optionalString(),
  }),
}
