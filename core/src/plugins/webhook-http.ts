/**
 * The HTTP edges of a plugin's webhook. Webhooks are public and served on Switchboard's own
 * origin, so what crosses is narrowed both ways: the plugin never sees a signed-in user's
 * credentials, and its answer can neither set cookies nor run script in a browser that opens it.
 */

/** Request headers a plugin never sees: a browser's session, and Switchboard's own tokens. */
export function requestHeadersForPlugin(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase()
    const text = Array.isArray(value) ? value.join(', ') : String(value ?? '')
    if (key === 'cookie') continue
    if (key === 'authorization' && /\bsb[st]_/.test(text)) continue
    out[key] = text
  }
  return out
}

const allowedTypes = /^(text\/plain|text\/xml|application\/xml|application\/json)(\s*;.*)?$/i
const allowedHeaders = new Set(['content-type', 'cache-control', 'retry-after'])

/**
 * The response headers a plugin may set: a plain, XML or JSON content type (never HTML), caching
 * and Retry-After; everything else (Set-Cookie, Location, CORS…) is dropped. Every answer is
 * sandboxed for browsers.
 */
export function responseHeadersFromPlugin(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    'content-security-policy': "sandbox; default-src 'none'",
    'x-content-type-options': 'nosniff',
  }
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase()
    if (typeof value !== 'string' || !allowedHeaders.has(key) || /[\r\n]/.test(value)) continue
    if (key === 'content-type' && !allowedTypes.test(value.trim())) continue
    out[key] = value
  }
  return out
}
