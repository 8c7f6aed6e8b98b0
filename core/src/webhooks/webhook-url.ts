import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import { ErrorCode, userError } from '../errors/index.js'

/**
 * Addresses a webhook may not call unless `SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE` is on: loopback,
 * private networks, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT,
 * multicast and reserved ranges. IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) match the IPv4
 * rules (BlockList checks them so).
 */
const blocked = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6')

/** Whether an IP address is loopback, private, link-local or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return false
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/** The URL's host without the brackets of an IPv6 literal. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1')
}

function refused(url: string, reason: string) {
  return userError(ErrorCode.WEBHOOK_URL_NOT_ALLOWED, `Webhook URL ${url} is not allowed: ${reason}`, {
    status: 400,
    details: [{ in: 'payload', path: 'url', message: reason }],
  })
}

/**
 * Checks a webhook URL before it is saved: http or https, no credentials in it, and (unless
 * private addresses are allowed) a host that is neither a private address nor a name
 * resolving to one. Delivery checks the address again when it connects, since DNS may change.
 */
export async function checkWebhookUrl(text: string, allowPrivate: boolean): Promise<URL> {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw refused(text, 'not a URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refused(text, 'only http and https URLs are called')
  if (url.username || url.password)
    throw refused(text, 'no user name or password in the URL; check the signature instead')
  if (allowPrivate) return url
  const host = hostOf(url).toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) throw refused(text, privateReason(host))
  if (isIP(host)) {
    if (isPrivateAddress(host)) throw refused(text, privateReason(host))
    return url
  }
  let addresses: Array<{ address: string }>
  try {
    addresses = await lookup(host, { all: true })
  } catch {
    throw refused(text, `the host ${host} does not resolve`)
  }
  const inside = addresses.find((a) => isPrivateAddress(a.address))
  if (inside) throw refused(text, privateReason(`${host} (${inside.address})`))
  return url
}

function privateReason(host: string) {
  return `${host} is a private or loopback address (set SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE=true to allow it)`
}
