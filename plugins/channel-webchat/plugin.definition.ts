import {
  definePlugin,
  z,
  type ChannelDefinition,
  type PluginDefinition,
  type PluginPermissions,
} from '@switchboard/plugin-sdk'

const origin = z
  .string()
  .regex(/^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)$/, 'an origin such as https://shop.example.com, or *')

/** What the admin fills in; every field becomes a form field in the console. */
export const config = z.object({
  title: z
    .string()
    .max(60)
    .default('')
    .describe('Title of the chat window; empty: “在线客服” or “Chat with us” in the visitor’s language'),
  welcome: z
    .string()
    .max(500)
    .default('')
    .describe('Greeting shown before the visitor writes (not stored); empty: a greeting in the visitor’s language'),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #0f766e')
    .default('#0f766e')
    .describe('Accent colour of the launcher button, header and the visitor’s bubbles'),
  offlineMessage: z
    .string()
    .max(500)
    .default('')
    .describe(
      'The text your entry flow sends outside business hours; when the widget receives it, it shows a form for a name, a phone or email and the question',
    ),
  allowedOrigins: z
    .array(origin)
    .max(50)
    .default([])
    .describe(
      'Sites that may embed the widget (https://shop.example.com). Switchboard’s own pages are always allowed; * allows any site',
    ),
}) satisfies PluginDefinition['config']

/** Stored encrypted; only this plugin's handlers see it. */
export const secrets = z.object({
  identitySecret: z
    .string()
    .min(16)
    .max(128)
    .optional()
    .describe(
      'For verified visitors: your site signs the signed-in user’s id with HMAC-SHA256 under this secret and puts it in data-user-signature',
    ),
}) satisfies PluginDefinition['secrets']

/** The one channel: visitors of the sites that embed the widget, known by their visitor id. */
export const channels = {
  webchat: {
    title: { en: 'Web chat', 'zh-CN': '网页聊天' },
    identityKind: 'web-visitor',
    supports: ['text', 'image', 'file', 'quick-replies'],
  },
} satisfies Record<string, ChannelDefinition>

/** No outbound hosts, no storage: one host socket, `chat`, at /hooks/channel-webchat/ws/chat. */
export const permissions = {
  sockets: [{ name: 'chat' }],
} satisfies PluginPermissions

export default definePlugin({
  name: 'channel-webchat',
  version: '1.0.0',
  requires: { core: '>=0.1.0 <1.0.0' },
  kinds: ['channel'],
  title: { en: 'Web chat', 'zh-CN': '网页聊天' },
  description: {
    en: 'A chat widget for your website: one script tag, Chinese and English, mobile-friendly, with quick replies, attachments, an after-hours form and a rating; visitors reconnect without losing or repeating a message.',
    'zh-CN':
      '网站聊天挂件：一行 script 嵌入，中英文，适配手机，支持快捷回复、图片和文件、非工作时间留言表单与满意度评价；断线重连不丢消息、不重复。',
  },
  icon: 'icon.svg',
  readme: 'README.md',
  config,
  secrets,
  permissions,
  implements: ['channel'],
  channels,
})
