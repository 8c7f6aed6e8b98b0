import type { InboundMessage, SocketAnswer } from '@switchboard/plugin-sdk/runtime'
import { CHANNEL, IDENTITY_KIND, UPLOAD_PREFIX, type WebchatContext } from './webchat-context.js'

interface MessageFrame {
  id?: unknown
  text?: unknown
  media?: { url?: unknown; mimeType?: unknown; name?: unknown }
  form?: Record<string, unknown>
}

const FORM_LABELS: Record<string, string> = {
  name: '姓名 Name',
  contact: '联系方式 Contact',
  question: '问题 Question',
}

/** The after-hours form as one readable message for the agent who calls back. */
function formText(form: Record<string, unknown>): string {
  const lines = Object.entries(form)
    .filter(([, v]) => typeof v === 'string' && v.trim() !== '')
    .map(([k, v]) => `${FORM_LABELS[k] ?? k}: ${String(v).trim()}`)
  return ['[离线留言 Offline form]', ...lines].join('\n')
}

/**
 * A visitor's message frame as an inbound channel message: text, an attachment uploaded to the
 * host (only the host's own upload URLs are taken), or the after-hours form, from the visitor in
 * the language their widget shows. The widget's frame id becomes the channel message id, so a
 * frame resent after a reconnect is stored once.
 */
export function toInbound(
  visitor: { visitorId: string; name?: string; language?: string },
  frame: MessageFrame,
): InboundMessage | string {
  const { visitorId, name, language } = visitor
  if (typeof frame.id !== 'string') return 'a message needs an id'
  const base = {
    channelMessageId: `${visitorId}:${frame.id}`,
    // the widget's language (the host checked it): the bot answers the visitor in what they read
    from: { id: visitorId, kind: IDENTITY_KIND, ...(name ? { name } : {}), ...(language ? { language } : {}) },
    receivedAt: new Date().toISOString(),
  }
  if (frame.form) return { ...base, kind: 'text', text: formText(frame.form) }
  if (frame.media) {
    const { url, mimeType, name: fileName } = frame.media
    if (typeof url !== 'string' || !url.startsWith(UPLOAD_PREFIX) || typeof mimeType !== 'string')
      return 'attachments are uploaded to this channel first'
    const kind = mimeType.startsWith('image/') ? 'image' : 'file'
    const label = typeof fileName === 'string' && fileName ? fileName : kind
    return { ...base, kind, text: `[${kind}] ${label}`, media: { url, mimeType } }
  }
  const text = typeof frame.text === 'string' ? frame.text.trim() : ''
  if (!text) return 'the message is empty'
  return { ...base, kind: 'text', text }
}

/** Takes a visitor's frame; what the host cannot store is answered with a reason for the widget. */
export async function takeVisitorFrame(
  event: { visitorId: string; name?: string; language?: string; frame: Record<string, unknown> },
  ctx: WebchatContext,
): Promise<SocketAnswer> {
  const inbound = toInbound(event, event.frame as MessageFrame)
  if (typeof inbound === 'string') return { reason: inbound }
  await ctx.channel.receive(CHANNEL, inbound)
  return {}
}
