import { isPluginError, pluginError, type OutboundMessage } from '@switchboard/plugin-sdk/runtime'
import { accessToken } from './access-token.js'
import { menuAsText, toCustomMessages, type CustomMessage } from './custom-messages.js'
import { callWechat } from './wechat-api.js'
import { CHANNEL, IDENTITY_KIND, type WechatContext } from './wechat-context.js'
import { wechatError } from './wechat-error.js'

// WeChat's answers when the token in the URL is stale, expired, malformed or missing
const TOKEN_ERRCODES = new Set([40001, 40014, 41001, 42001])
// WeChat's answers when the account may not send menu messages
const MENU_REFUSED_ERRCODES = new Set([40200, 48001])

/** Posts one customer-service message; a token WeChat rejects is replaced once and the post retried. */
async function postCustomMessage(ctx: WechatContext, message: CustomMessage): Promise<void> {
  const path = '/cgi-bin/message/custom/send'
  let token = await accessToken(ctx)
  let reply = await callWechat(ctx, path, { access_token: token }, message)
  if (reply.errcode !== undefined && TOKEN_ERRCODES.has(reply.errcode)) {
    ctx.log.info('WeChat rejected the access token; fetching another', { errcode: reply.errcode })
    token = await accessToken(ctx, { rejected: token })
    reply = await callWechat(ctx, path, { access_token: token }, message)
  }
  if (reply.errcode) throw wechatError(reply.errcode, String(reply.errmsg ?? ''), 'api')
}

function refusedMenu(error: unknown): boolean {
  const errcode = isPluginError(error) ? (error.details as { errcode?: number } | undefined)?.errcode : undefined
  return errcode !== undefined && MENU_REFUSED_ERRCODES.has(errcode)
}

/**
 * Delivers one outbound message to a follower through the customer-service message API. WeChat
 * returns no message id for these, so the result's channelMessageId is null.
 *
 * @example
 * ```ts
 * await sendMessage({ channel: 'wechat-oa', message: { to: { id: 'oUser', kind: 'wechat-openid' }, kind: 'text', text: '您好' } }, ctx)
 * ```
 */
export async function sendMessage(
  input: { channel: string; message: OutboundMessage },
  ctx: WechatContext,
): Promise<{ channelMessageId: string | null }> {
  const { channel, message } = input
  if (channel !== CHANNEL)
    throw pluginError('SB_ERR_WECHAT_UNKNOWN_CHANNEL', `this plugin connects the channel ${CHANNEL}, not ${channel}`)
  if (message.to.kind !== IDENTITY_KIND)
    throw pluginError(
      'SB_ERR_WECHAT_RECIPIENT_INVALID',
      `WeChat messages go to a ${IDENTITY_KIND}, not a ${message.to.kind}`,
    )
  for (const custom of toCustomMessages(message, ctx.config.quickReplies)) {
    try {
      await postCustomMessage(ctx, custom)
    } catch (error) {
      if (custom.msgtype !== 'msgmenu' || !refusedMenu(error)) throw error
      ctx.log.warn('WeChat refused a menu message; sending the quick replies as a numbered list', {
        hint: 'set quickReplies to "text" for this account',
      })
      await postCustomMessage(ctx, menuAsText(custom))
    }
  }
  return { channelMessageId: null }
}
