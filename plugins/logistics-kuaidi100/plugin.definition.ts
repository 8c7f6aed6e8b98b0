import { definePlugin, logisticsTracking, z, type PluginDefinition } from '@switchboard/plugin-sdk'

/** What the admin fills in; every field becomes a form field in the console. */
export const config = z.object({
  apiBase: z
    .url({ protocol: /^https?$/ })
    .default('https://poll.kuaidi100.com')
    .describe('Base URL of the real-time query API (实时快递查询); the plugin posts to <apiBase>/poll/query.do'),
  autoNumberBase: z
    .url({ protocol: /^https?$/ })
    .default('https://www.kuaidi100.com')
    .describe(
      'Base URL of carrier detection (智能单号识别, <autoNumberBase>/autonumber/auto), used when a lookup names no carrier',
    ),
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .max(30_000)
    .default(8_000)
    .describe('How long to wait for Kuaidi100, in milliseconds, before giving up (the call can be retried)'),
  cacheSeconds: z
    .number()
    .int()
    .min(60)
    .max(86_400)
    .default(1_800)
    .describe(
      'How long a parcel’s tracking is reused before Kuaidi100 is asked again. Kuaidi100 asks for at least 30 minutes between queries of one waybill and may lock a waybill queried more often; delivered parcels are kept a day',
    ),
}) satisfies PluginDefinition['config']

/** Stored encrypted; only this plugin's handlers see them. */
export const secrets = z.object({
  customer: z
    .string()
    .min(1)
    .max(64)
    .describe('Customer ID (customer / 授权码) from the Kuaidi100 enterprise console (api.kuaidi100.com › 我的信息)'),
  key: z.string().min(1).max(64).describe('Authorization key (授权 key) from the same page; it signs every query'),
}) satisfies PluginDefinition['secrets']

const methods = logisticsTracking.methods

export default definePlugin({
  name: 'logistics-kuaidi100',
  version: '1.0.0',
  requires: { core: '>=0.1.0 <1.0.0' },
  kinds: ['integration'],
  title: { en: 'Kuaidi100 parcel tracking', 'zh-CN': '快递100 物流查询' },
  description: {
    en: 'Tracks parcels of SF Express, ZTO, YTO, Yunda, JD, EMS and 1,000+ other carriers by waybill number through the Kuaidi100 real-time query API, detecting the carrier when it is not given.',
    'zh-CN':
      '通过快递100实时查询接口按运单号跟踪顺丰、中通、圆通、韵达、京东、EMS 等上千家快递公司的包裹，未指定快递公司时自动识别。',
  },
  icon: 'icon.svg',
  readme: 'README.md',
  homepage: 'https://api.kuaidi100.com/document/5f0ffb5ebc8da837cbd8aefc',
  config,
  secrets,
  permissions: { hosts: ['config:apiBase', 'config:autoNumberBase'] },
  implements: ['logistics-tracking'],
  actions: {
    track: {
      title: { en: 'Track a parcel', 'zh-CN': '查询物流' },
      description: {
        en: 'Where a parcel is: its state, the latest event and the whole route (Chinese text as the carrier wrote it); null when Kuaidi100 knows no such parcel.',
        'zh-CN': '查询包裹当前状态、最新动态和完整物流轨迹（保留快递公司原文）；快递100 查无此单时返回 null。',
      },
      input: methods.track.input,
      output: methods.track.output,
      cacheSeconds: 300,
    },
  },
})
