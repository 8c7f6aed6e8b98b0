import type { HostPolicy } from './plugin-sandbox.js'

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' }

function portOf(url: URL): string {
  return url.port || DEFAULT_PORTS[url.protocol] || ''
}

/** Reads `a.b.c` from the config, own properties only (a prototype is not configuration). */
function configValue(config: unknown, path: string): unknown {
  let value: unknown = config
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, key))
      return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

function matchesConfigUrl(target: URL, config: unknown, field: string): boolean {
  const value = configValue(config, field)
  if (typeof value !== 'string') return false
  let configured: URL
  try {
    configured = new URL(value)
  } catch {
    return false
  }
  return configured.hostname === target.hostname && portOf(configured) === portOf(target)
}

function matchesName(target: URL, entry: string): boolean {
  const colon = entry.lastIndexOf(':')
  const name = (colon === -1 ? entry : entry.slice(0, colon)).toLowerCase()
  // a bare name means the scheme's default port: declaring api.example.com does not open :8443
  const port = colon === -1 ? DEFAULT_PORTS[target.protocol] : entry.slice(colon + 1)
  if (portOf(target) !== port) return false
  // *.example.com: any subdomain, not example.com itself
  if (name.startsWith('*.')) return target.hostname.endsWith(name.slice(1))
  return target.hostname === name
}

/**
 * Whether a plugin may fetch this URL: http or https, to a host it declared. `config:<field>`
 * entries are resolved against the configuration of the call being made.
 *
 * @example
 * ```ts
 * isHostAllowed(new URL('https://shop.example.com/wp-json'), ['config:baseUrl'], { baseUrl: 'https://shop.example.com' }) // true
 * isHostAllowed(new URL('https://api.example.com:8443/'), ['api.example.com'], {}) // false: other port
 * ```
 */
export function isHostAllowed(target: URL, hosts: HostPolicy, config: unknown): boolean {
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return false
  for (const entry of hosts) {
    if (entry.startsWith('config:') ? matchesConfigUrl(target, config, entry.slice(7)) : matchesName(target, entry))
      return true
  }
  return false
}
