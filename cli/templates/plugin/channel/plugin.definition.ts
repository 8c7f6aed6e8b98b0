import { definePlugin, z } from '@switchboard/plugin-sdk'

/** The channel this plugin connects; conversations and customer identities are filed under it. */
const channel = '{{NAME}}'

/**
 * What the host, the flow builder and the console know about the plugin without running its
 * code. `switchboard plugin build` turns it into dist/manifest.json.
 */
export default definePlugin({
  name: '{{NAME}}',
  version: '0.1.0',
  requires: { core: '{{CORE_RANGE}}' },
  kinds: ['channel'],
  implements: ['channel'],
  title: { en: '{{TITLE}}', 'zh-CN': '{{TITLE}}' },
  description: {
    en: 'TODO: say in one sentence which messaging service this channel connects',
    'zh-CN': 'TODO：用一句话说明这个渠道连接哪个消息服务',
  },
  icon: 'icon.svg',
  readme: 'README.md',
  config: z.object({
    apiBaseUrl: z.url().describe('Base URL of the messaging API that delivers replies, e.g. https://api.example.com'),
  }),
  secrets: z.object({
    apiToken: z.string().min(1).describe('Token of the messaging API, sent as a Bearer token'),
    webhookSecret: z
      .string()
      .min(16)
      .describe('Secret the service signs webhook calls with (HMAC-SHA256 of the body, hex, in x-signature)'),
  }),
  permissions: {
    hosts: ['config:apiBaseUrl'],
    // the host opens POST /hooks/{{NAME}}/inbound; point the service's webhook there
    webhooks: [{ name: 'inbound', methods: ['POST'] }],
  },
  channels: {
    [channel]: {
      title: { en: '{{TITLE}}', 'zh-CN': '{{TITLE}}' },
      identityKind: '{{IDENTITY_KIND}}',
      supports: ['text'],
    },
  },
})
