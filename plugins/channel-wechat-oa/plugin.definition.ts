import {
  definePlugin,
  z,
  type ChannelDefinition,
  type PluginDefinition,
  type PluginPermissions,
} from '@switchboard/plugin-sdk'

/** What the admin fills in; every field becomes a form field in the console. */
export const config = z.object({
  appId: z
    .string()
    .regex(/^wx[0-9A-Za-z]{16}$/, 'an AppID looks like wx followed by 16 letters or digits, e.g. wx1234567890abcdef')
    .describe('AppID (开发者ID) of the Official Account, from 设置与开发 › 基本配置 in the WeChat console'),
  apiBase: z
    .url({ protocol: /^https?$/ })
    .default('https://api.weixin.qq.com')
    .describe(
      'Base URL of the WeChat API. Keep the default; change it only for a regional endpoint (e.g. https://sh.api.weixin.qq.com) or an API proxy',
    ),
  maxClockSkewSeconds: z
    .number()
    .int()
    .min(10)
    .max(86_400)
    .default(300)
    .describe(
      'Refuse pushed messages whose timestamp is further than this from the server clock, in seconds (replay protection; WeChat retries within 15 s)',
    ),
  quickReplies: z
    .enum(['menu', 'text'])
    .default('menu')
    .describe(
      'How quick replies are shown: "menu" sends a tappable menu message (msgmenu; verified accounts only, falls back to text where WeChat refuses it), "text" appends a numbered list the customer answers by typing',
    ),
}) satisfies PluginDefinition['config']

/** Stored encrypted; only this plugin's handlers see them. */
export const secrets = z.object({
  appSecret: z
    .string()
    .min(16)
    .max(64)
    .describe('AppSecret (开发者密码) of the Official Account; used to fetch access tokens'),
  token: z
    .string()
    .regex(/^[A-Za-z0-9]{3,32}$/, '3 to 32 letters or digits, the same as in the WeChat console')
    .describe(
      'Token (令牌) typed into 服务器配置 in the WeChat console; WeChat signs every callback with it, so keep it secret',
    ),
  encodingAesKey: z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/, '43 letters or digits, as generated in the WeChat console')
    .optional()
    .describe(
      'EncodingAESKey (消息加解密密钥) from 服务器配置; needed only in safe mode (安全模式) or compatible mode (兼容模式)',
    ),
}) satisfies PluginDefinition['secrets']

/** The one channel this plugin connects: an Official Account's followers, known by their OpenID. */
export const channels = {
  'wechat-oa': {
    title: { en: 'WeChat Official Account', 'zh-CN': '微信公众号' },
    identityKind: 'wechat-openid',
    supports: ['text', 'image', 'audio', 'quick-replies'],
  },
} satisfies Record<string, ChannelDefinition>

/** WeChat's API (or the configured base), a small store for the access token, and the callback route. */
export const permissions = {
  hosts: ['config:apiBase', 'api.weixin.qq.com'],
  storageKb: 8,
  webhooks: [{ name: 'callback', methods: ['GET', 'POST'] }],
} satisfies PluginPermissions

export default definePlugin({
  name: 'channel-wechat-oa',
  version: '1.0.0',
  requires: { core: '>=0.1.0 <1.0.0' },
  kinds: ['channel'],
  title: { en: 'WeChat Official Account', 'zh-CN': '微信公众号' },
  description: {
    en: 'Serve the followers of your WeChat Official Account from the Switchboard inbox: their messages, menu clicks and follows arrive through the server URL callback (plaintext or safe mode), and agents and bots answer through the customer-service message API within WeChat’s 48-hour window.',
    'zh-CN':
      '在 Switchboard 收件箱中服务微信公众号的粉丝：粉丝发来的消息、菜单点击和关注事件经服务器地址回调进入（支持明文模式与安全模式），坐席和机器人在微信规定的 48 小时内通过客服消息接口回复。',
  },
  icon: 'icon.svg',
  readme: 'README.md',
  homepage: 'https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Overview.html',
  config,
  secrets,
  permissions,
  implements: ['channel'],
  channels,
})
