import { pluginError, type OutboundMessage } from '@switchboard/plugin-sdk/runtime'
import { mediaIdOf } from './media-reference.js'

/** One request body of WeChat's customer-service message API (客服消息). */
export type CustomMessage =
  | { touser: string; msgtype: 'text'; text: { content: string } }
  | { touser: string; msgtype: 'image'; image: { media_id: string } }
  | {
      touser: string
      msgtype: 'msgmenu'
      msgmenu: { head_content: string; list: Array<{ id: string; content: string }>; tail_content: string }
    }

/** How quick replies are shown: WeChat's tappable menu message, or a numbered list in the text. */
export type QuickReplyStyle = 'menu' | 'text'

/**
 * A menu message as plain text with a numbered list: for accounts WeChat does not allow menu
 * messages (unverified and test accounts), and for the `text` style.
 */
export function menuAsText(message: Extract<CustomMessage, { msgtype: 'msgmenu' }>): CustomMessage {
  const { head_content: head, list } = message.msgmenu
  const options = list.map((item, index) => `${index + 1}. ${item.content}`).join('\n')
  return { touser: message.touser, msgtype: 'text', text: { content: head ? `${head}\n\n${options}` : options } }
}

function unsupported(reason: string): Error {
  return pluginError('SB_ERR_WECHAT_MESSAGE_UNSUPPORTED', reason, { retryable: false })
}

/**
 * The customer-service messages that deliver one outbound message, in order: an image WeChat
 * already holds (`wechat-media:<media_id>`) as an image message, then the text, with quick replies
 * as a menu message or a numbered list. Media given as an http(s) URL goes out as a link in the
 * text: the API takes only media ids, and the sandbox cannot upload binary files.
 *
 * @example
 * ```ts
 * toCustomMessages({ to: { id: 'oUser', kind: 'wechat-openid' }, kind: 'text', text: '满意吗？', quickReplies: ['满意', '不满意'] }, 'menu')
 * // [{ touser: 'oUser', msgtype: 'msgmenu', msgmenu: { head_content: '满意吗？', list: [{ id: '1', content: '满意' }, …], tail_content: '' } }]
 * ```
 */
export function toCustomMessages(message: OutboundMessage, style: QuickReplyStyle): CustomMessage[] {
  const touser = message.to.id
  const messages: CustomMessage[] = []
  const lines = message.text !== undefined && message.text.trim() !== '' ? [message.text] : []
  if (message.media) {
    const mediaId = mediaIdOf(message.media.url)
    if (mediaId && message.kind === 'image') messages.push({ touser, msgtype: 'image', image: { media_id: mediaId } })
    else if (/^https?:\/\//i.test(message.media.url)) lines.push(message.media.url)
    else throw unsupported(`cannot send ${message.kind} media ${message.media.url.slice(0, 60)} on WeChat`)
  }
  const text = lines.join('\n')
  const choices = (message.quickReplies ?? []).filter((choice) => choice.trim() !== '')
  if (choices.length > 0) {
    const list = choices.map((content, index) => ({ id: String(index + 1), content }))
    const menu = { touser, msgtype: 'msgmenu' as const, msgmenu: { head_content: text, list, tail_content: '' } }
    messages.push(style === 'menu' ? menu : menuAsText(menu))
  } else if (text !== '') messages.push({ touser, msgtype: 'text', text: { content: text } })
  if (messages.length === 0) throw unsupported('the message has no text, quick replies or media to send')
  return messages
}
