import type { WebhookRequest, WebhookResponse } from '@switchboard/plugin-sdk/runtime'
import { isFreshTimestamp } from './fresh-timestamp.js'
import { toInboundMessage } from './inbound-message.js'
import { plainText } from './plain-text.js'
import { readPush } from './read-push.js'
import { hasValidUrlSignature } from './signature.js'
import { CHANNEL, type WechatContext } from './wechat-context.js'

// a text push is well under 4 KB; safe mode about triples it
const MAX_BODY_CHARS = 256 * 1024

/**
 * Takes one message or event WeChat pushed (POST), checks where it came from, hands it to the
 * host and answers `success` at once: replies go out later through the customer-service API,
 * so WeChat's 5-second window is never at risk. A retry WeChat sends for the same message is
 * acknowledged the same way; the host stores it once (by its channelMessageId).
 *
 * @example
 * ```ts
 * await receivePush({ method: 'POST', path: '', headers: {}, query, body: xml }, ctx) // { status: 200, body: 'success' }
 * ```
 */
export async function receivePush(request: WebhookRequest, ctx: WechatContext): Promise<WebhookResponse> {
  if (!(await hasValidUrlSignature(ctx, request.query))) {
    ctx.log.warn('push refused: the signature does not match the token')
    return plainText(403, 'invalid signature')
  }
  const skew = ctx.config.maxClockSkewSeconds
  if (!isFreshTimestamp(request.query.timestamp, Date.now(), skew)) {
    ctx.log.warn('push refused: stale timestamp', { timestamp: request.query.timestamp, maxClockSkewSeconds: skew })
    return plainText(403, `stale timestamp: more than ${skew} seconds from this server's clock`)
  }
  if (request.body.length > MAX_BODY_CHARS) return plainText(413, 'the push is larger than any WeChat message')
  const read = await readPush(request, ctx)
  if (!read.ok) {
    ctx.log[read.status === 403 ? 'warn' : 'error']('push refused', { error: read.error })
    return plainText(read.status, read.error)
  }
  const mapped = toInboundMessage(read.fields)
  if (mapped.outcome === 'invalid') {
    ctx.log.error('push refused', { error: mapped.error })
    return plainText(400, mapped.error)
  }
  if (mapped.outcome === 'ignored') {
    ctx.log.debug('push acknowledged and not forwarded', { reason: mapped.reason })
    return plainText(200, 'success')
  }
  const { duplicate } = await ctx.channel.receive(CHANNEL, mapped.message)
  if (duplicate) ctx.log.debug('retried push acknowledged', { channelMessageId: mapped.message.channelMessageId })
  return plainText(200, 'success')
}
