import type { SocketAnswer } from '@switchboard/plugin-sdk/runtime'
import type { WebchatContext } from './webchat-context.js'

/** Whether a page at `origin` may open the widget's socket on the server at `host`. */
export function originAllowed(origin: string, host: string, allowed: readonly string[]): boolean {
  // browsers always send an Origin on WebSockets; a client without one is no page to protect
  if (origin === '') return true
  if (allowed.includes('*') || allowed.includes(origin)) return true
  return origin.replace(/^https?:\/\//, '') === host
}

/** Compares two hex strings in time independent of where they differ. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/**
 * Accepts a widget's socket when its page is allowed; a visitor the host site signed in is
 * known by their own id (`user:<id>`, the same on every device), when the signature checks out.
 */
export async function acceptConnection(
  event: {
    origin: string
    host: string
    visitorId: string
    identity?: { id: string; name?: string; signature: string }
  },
  ctx: WebchatContext,
): Promise<SocketAnswer> {
  if (!originAllowed(event.origin, event.host, ctx.config.allowedOrigins)) {
    ctx.log.warn('a page from an origin not in allowedOrigins tried to open the chat', { origin: event.origin })
    return { accept: false, reason: 'origin not allowed' }
  }
  const settings = {
    title: ctx.config.title,
    welcome: ctx.config.welcome,
    color: ctx.config.color,
    offlineMessage: ctx.config.offlineMessage,
  }
  if (!event.identity) return { accept: true, settings }
  const secret = ctx.secrets.identitySecret
  if (!secret) return { accept: false, reason: 'verified identities are not set up on this channel' }
  const expected = await ctx.crypto.hmacSha256(secret, event.identity.id, 'hex')
  if (!sameHex(expected, event.identity.signature.toLowerCase())) {
    ctx.log.warn('a visitor presented an identity with a wrong signature')
    return { accept: false, reason: 'identity signature does not match' }
  }
  return { accept: true, visitorId: `user:${event.identity.id}`, name: event.identity.name, settings }
}
