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
  // [settings:queue]
  // [settings:recording]
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
