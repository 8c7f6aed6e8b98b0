import { z } from 'zod'

/**
 * A message arriving on a channel, normalized: the channel plugin turns a WeChat XML push or a
 * widget frame into this and hands it to the host with `ctx.channel.receive(...)`.
 *
 * @example
 * ```ts
 * ctx.channel.receive({ channelMessageId: 'wx-6843', from: { id: 'oUser123', kind: 'wechat-openid' },
 *   kind: 'text', text: '我的订单到哪了', receivedAt: new Date().toISOString() })
 * ```
 */
export const inboundMessage = z.object({
  /** the channel's own id of the message; the host stores a message once per id */
  channelMessageId: z.string().min(1).max(200),
  from: z.object({
    id: z.string().min(1).max(200),
    kind: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,31}$/)
      .describe('identity kind: phone, email, wechat-openid, web-visitor…'),
    name: z.string().max(200).optional(),
  }),
  kind: z.enum(['text', 'image', 'file', 'audio', 'location', 'event']),
  text: z.string().max(20_000).optional(),
  media: z.object({ url: z.string().max(2000), mimeType: z.string().max(100).optional() }).optional(),
  event: z.string().max(100).optional().describe('kind=event: subscribe, unsubscribe, menu click…'),
  receivedAt: z.string(),
})
export type InboundMessage = z.infer<typeof inboundMessage>

/** A message the host asks a channel plugin to deliver. */
export const outboundMessage = z.object({
  to: z.object({ id: z.string(), kind: z.string() }),
  kind: z.enum(['text', 'image', 'file']),
  text: z.string().max(20_000).optional(),
  quickReplies: z.array(z.string().max(100)).max(13).optional(),
  media: z.object({ url: z.string(), mimeType: z.string().optional() }).optional(),
})
export type OutboundMessage = z.infer<typeof outboundMessage>

/** `channel`: deliver messages out; inbound ones arrive through the plugin's webhook routes. */
export const channel = {
  name: 'channel',
  alias: 'channel',
  title: { en: 'Channel', 'zh-CN': '渠道' },
  methods: {
    send: {
      input: z.object({ channel: z.string(), message: outboundMessage }),
      output: z.object({ channelMessageId: z.string().nullable() }),
    },
  },
} as const
