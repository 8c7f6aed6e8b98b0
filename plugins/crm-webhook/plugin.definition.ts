import { crmContact, crmContacts, definePlugin, z, type PluginDefinition } from '@switchboard/plugin-sdk'

/** What the admin fills in; every field becomes a form field in the console. */
export const config = z.object({
  endpoint: z
    .url({ protocol: /^https?$/ })
    .describe(
      'The URL of your endpoint that Switchboard POSTs signed requests to, e.g. https://crm.example.com/switchboard',
    ),
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .max(30_000)
    .default(5000)
    .describe('How long to wait for your endpoint, in milliseconds, before giving up (the call can be retried)'),
  levelField: z
    .string()
    .regex(
      /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*){0,4}$/,
      'a field name or a dotted path, e.g. vipLevel or attributes.tier',
    )
    .default('level')
    .describe(
      'Where the VIP level is in the contact your endpoint returns: a field name or a dotted path (vipLevel, attributes.tier)',
    ),
  recordInteractions: z
    .boolean()
    .default(true)
    .describe(
      'Send an interaction.record request when a conversation is resolved; turn off if your endpoint only looks contacts up',
    ),
}) satisfies PluginDefinition['config']

/** Stored encrypted; only this plugin's handlers see them. */
export const secrets = z.object({
  signingSecret: z
    .string()
    .min(16, 'at least 16 characters; generate one with: openssl rand -hex 32')
    .max(500)
    .describe('The shared secret both sides use for the HMAC-SHA256 signature; give your backend the same value'),
}) satisfies PluginDefinition['secrets']

const identifiers = {
  phone: z.string().max(32).optional().describe('phone number, as the customer reached you (E.164 when known)'),
  email: z.string().max(200).optional().describe('email address'),
  externalId: z.string().max(100).optional().describe('the id your CRM gave the customer'),
}

/** A resolved conversation, as recorded in the CRM. */
export const interaction = z.object({
  conversationId: z.string().min(1).max(100).describe("Switchboard's id of the conversation"),
  contact: z.object(identifiers).describe('who the conversation was with; at least one identifier'),
  channel: z.string().max(50).optional().describe('e.g. webchat, voice, wechat'),
  startedAt: z.iso.datetime({ offset: true }).optional().describe('when the customer first wrote or called'),
  resolvedAt: z.iso.datetime({ offset: true }).describe('when it was resolved'),
  agent: z
    .object({ id: z.string().max(100), name: z.string().max(200).optional() })
    .optional()
    .describe('the agent who resolved it'),
  summary: z.string().max(4000).optional().describe('what it was about and how it ended'),
  tags: z.array(z.string().max(100)).max(50).default([]).describe("the conversation's tags"),
})

const label = (en: string, zh: string) => ({ en, 'zh-CN': zh })

export default definePlugin({
  name: 'crm-webhook',
  version: '1.0.0',
  requires: { core: '>=0.1.0 <1.0.0' },
  kinds: ['integration'],
  title: { en: 'CRM webhook', 'zh-CN': 'CRM Webhook 对接' },
  description: {
    en: 'Connects any CRM or shop backend that exposes one HTTPS endpoint: Switchboard sends HMAC-signed requests to look customers up (VIP level, tags, owner) and to record resolved conversations.',
    'zh-CN':
      '对接只提供一个 HTTPS 接口的任意 CRM 或店铺后台：Switchboard 发送带 HMAC 签名的请求来查询客户（VIP 等级、标签、负责人），并在会话解决后记录这次沟通。',
  },
  icon: 'icon.svg',
  readme: 'README.md',
  author: 'Switchboard',
  config,
  secrets,
  permissions: {
    hosts: ['config:endpoint'],
    events: { receive: ['conversation.resolved'] },
  },
  implements: ['crm-contacts'],
  actions: {
    lookupContact: {
      title: label('Look up a contact', '查询客户'),
      description: label(
        'Finds the customer in your CRM by phone, email or CRM id.',
        '按电话、邮箱或 CRM 编号在你的 CRM 中查找客户。',
      ),
      input: crmContacts.methods.lookupContact.input,
      output: crmContacts.methods.lookupContact.output,
    },
    loadProfile: {
      title: label('CRM profile', 'CRM 客户资料'),
      description: label(
        "Loads the CRM profile shown beside a conversation, from the contact's phone or email.",
        '根据客户的电话或邮箱加载会话旁显示的 CRM 资料。',
      ),
      input: z.object({
        contact: z
          .object({
            phone: z.string().max(32).optional().describe('phone number'),
            email: z.string().max(200).optional().describe('email address'),
            name: z.string().max(200).optional().describe('name'),
            attributes: z.record(z.string(), z.unknown()).describe("the contact's custom attributes"),
          })
          .describe('the contact on screen (the console fills it in)'),
      }),
      output: crmContact.nullable(),
      cacheSeconds: 60,
    },
    recordInteraction: {
      title: label('Record an interaction', '记录沟通'),
      description: label(
        'Tells your CRM about a resolved conversation; also sent automatically when a conversation is resolved.',
        '把已解决的会话告知你的 CRM；会话解决时也会自动发送。',
      ),
      input: interaction,
      output: z.object({ recorded: z.boolean().describe('false when your CRM does not know the contact (404)') }),
    },
  },
  panels: {
    crmProfile: {
      title: label('CRM profile', 'CRM 资料'),
      action: 'loadProfile',
      layout: 'key-value',
      fields: [
        { label: label('Level', '等级'), path: 'level', format: 'badge' },
        { label: label('Tags', '标签'), path: 'tags', format: 'badge' },
        { label: label('Owner', '负责人'), path: 'attributes.owner' },
        { label: label('Name in CRM', 'CRM 中的姓名'), path: 'name' },
        { label: label('Lifetime value', '累计消费'), path: 'attributes.lifetimeValue', format: 'money' },
        { label: label('Last order', '最近下单'), path: 'attributes.lastOrderAt', format: 'date' },
        { label: label('Open in CRM', '在 CRM 中打开'), path: 'url', format: 'link' },
      ],
    },
  },
})
