import type { InboundMessage } from '@switchboard/plugin-sdk/runtime'
import { toMediaReference } from './media-reference.js'
import { IDENTITY_KIND } from './wechat-context.js'

/** What one push becomes: a message for the host, a push this channel does not forward, or an invalid push. */
export type InboundMapping =
  | { outcome: 'message'; message: InboundMessage }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'invalid'; error: string }

type Fields = Record<string, string>

/**
 * Events a customer causes. WeChat's job reports (TEMPLATESENDJOBFINISH…) and the automatic
 * LOCATION report, which some accounts receive every few seconds, are acknowledged and dropped.
 */
const CUSTOMER_EVENTS = new Set([
  'subscribe',
  'unsubscribe',
  'scan',
  'click',
  'view',
  'scancode_push',
  'scancode_waitmsg',
  'pic_sysphoto',
  'pic_photo_or_album',
  'pic_weixin',
  'location_select',
])

const AUDIO_TYPES: Record<string, string> = { amr: 'audio/amr', speex: 'audio/speex', mp3: 'audio/mpeg' }
const MAX_TEXT = 20_000

const field = (fields: Fields, name: string): string | undefined => {
  const value = fields[name]?.trim()
  return value === '' ? undefined : value
}
const clip = (text: string | undefined): string | undefined =>
  text === undefined ? undefined : text.slice(0, MAX_TEXT)

type Body = Omit<InboundMessage, 'channelMessageId' | 'from' | 'receivedAt'>

function mediaOf(url: string | undefined, mimeType?: string): Body['media'] {
  if (!url) return undefined
  return mimeType ? { url, mimeType } : { url }
}

function mediaReference(fields: Fields): string | undefined {
  const id = field(fields, 'MediaId')
  return id ? toMediaReference(id) : undefined
}

function messageBody(msgType: string, fields: Fields): Body | null {
  switch (msgType) {
    case 'text':
      return { kind: 'text', text: clip(fields.Content ?? '') }
    case 'image':
      return { kind: 'image', media: mediaOf(field(fields, 'PicUrl') ?? mediaReference(fields)) }
    case 'voice': {
      const mimeType = AUDIO_TYPES[(field(fields, 'Format') ?? '').toLowerCase()]
      return {
        kind: 'audio',
        media: mediaOf(mediaReference(fields), mimeType),
        text: clip(field(fields, 'Recognition')),
      }
    }
    case 'video':
    case 'shortvideo':
      return { kind: 'file', media: mediaOf(mediaReference(fields)) }
    case 'location': {
      const label = field(fields, 'Label')
      const at = `${field(fields, 'Location_X') ?? '?'},${field(fields, 'Location_Y') ?? '?'}`
      return { kind: 'location', text: label ? `${label} (${at})` : at }
    }
    case 'link': {
      const parts = [field(fields, 'Title'), field(fields, 'Description'), field(fields, 'Url')]
      return { kind: 'text', text: clip(parts.filter((p) => p !== undefined).join('\n')) }
    }
    default:
      return null
  }
}

/**
 * Turns the fields of one pushed message or event into the SDK's inbound message. The message's
 * id is WeChat's MsgId; events have none, so theirs is FromUserName:CreateTime:Event, the key
 * WeChat documents for recognising its retries.
 *
 * @example
 * ```ts
 * toInboundMessage({ FromUserName: 'oUser', CreateTime: '1700000000', MsgType: 'text', Content: '你好', MsgId: '1' })
 * // { outcome: 'message', message: { channelMessageId: '1', kind: 'text', text: '你好', … } }
 * ```
 */
export function toInboundMessage(fields: Fields): InboundMapping {
  const from = field(fields, 'FromUserName')
  const createTime = field(fields, 'CreateTime')
  const msgType = field(fields, 'MsgType')
  if (!from) return { outcome: 'invalid', error: 'the push has no FromUserName' }
  if (from.length > 200) return { outcome: 'invalid', error: 'FromUserName is longer than an OpenID can be' }
  if (!createTime || !/^\d{1,12}$/.test(createTime))
    return { outcome: 'invalid', error: 'CreateTime is missing or not a number of seconds' }
  if (!msgType) return { outcome: 'invalid', error: 'the push has no MsgType' }
  const common = {
    from: { id: from, kind: IDENTITY_KIND },
    receivedAt: new Date(Number(createTime) * 1000).toISOString(),
  }
  if (msgType === 'event') {
    const event = field(fields, 'Event')
    if (!event) return { outcome: 'invalid', error: 'the event push has no Event' }
    if (!CUSTOMER_EVENTS.has(event.toLowerCase())) return { outcome: 'ignored', reason: `event ${event}` }
    const channelMessageId = `${from}:${createTime}:${event}`.slice(0, 200)
    const key = field(fields, 'EventKey')
    const message = { channelMessageId, ...common, kind: 'event', event: event.toLowerCase().slice(0, 100) } as const
    return { outcome: 'message', message: key ? { ...message, text: clip(key) } : message }
  }
  const body = messageBody(msgType, fields)
  if (!body) return { outcome: 'ignored', reason: `message type ${msgType}` }
  const channelMessageId = (field(fields, 'MsgId') ?? `${from}:${createTime}:${msgType}`).slice(0, 200)
  return { outcome: 'message', message: { channelMessageId, ...common, ...withoutUndefined(body) } }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}
