import { z } from 'zod'
import { canonicalLanguageTag, isLanguageTag, MAX_LANGUAGE_TAG_LENGTH } from '../language-tag.js'

/** A BCP 47 language tag (`en`, `zh-CN`), checked and put in its conventional case (`zh-cn` → `zh-CN`). */
export const languageTag = z
  .string()
  .max(MAX_LANGUAGE_TAG_LENGTH)
  .refine(isLanguageTag, { message: 'a BCP 47 language tag such as en, zh-CN or pt-BR' })
  .transform(canonicalLanguageTag)

/**
 * A message arriving on a channel, normalized: the channel plugin turns a WeChat XML push or a
 * widget frame into this and hands it to the host with `ctx.channel.receive(...)`.
 *
 * @example
 * ```ts
 * ctx.channel.receive('wechat-oa', { channelMessageId: 'wx-6843', from: { id: 'oUser123', kind: 'wechat-openid' },
 *   kind: 'text', text: '我的订单到哪了', receivedAt: new Date().toISOString() })
 * // a channel that knows the customer's language says so (BCP 47): from: { id, kind, language: 'en' }
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
    language: languageTag
      .optional()
      .describe(
        'the language the sender reads now, when the channel knows it (the web chat widget’s); the contact takes it',
      ),
  }),
  kind: z.enum(['text', 'image', 'file', 'audio', 'location', 'event']),
  text: z.string().max(20_000).optional(),
  media: z.object({ url: z.string().max(2000), mimeType: z.string().max(100).optional() }).optional(),
  event: z.string().max(100).optional().describe('kind=event: subscribe, unsubscribe, menu click…'),
  receivedAt: z.string(),
})
export type InboundMessage = z.infer<typeof inboundMessage>

/**
 * What is wrong with an inbound message, said the same way by the host and the test harness:
 * the field, then the problem (`from.language: a BCP 47 language tag such as en, zh-CN or pt-BR`).
 */
export function inboundMessageProblem(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>) {
  const issue = issues[0]
  if (!issue) return 'not an inbound message'
  return issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message
}

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
