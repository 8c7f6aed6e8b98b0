import { definePlugin, z } from '@switchboard/plugin-sdk'

/** A store as flows, agents and the customer see it. */
const store = z.object({
  id: z.string(),
  name: z.string(),
  city: z.string(),
  district: z.string().optional(),
  address: z.string(),
  phone: z.string().optional(),
  /** today's opening hours at the time checked, e.g. "10:00-22:00"; null when closed all day */
  todayHours: z.string().nullable(),
  openNow: z.boolean(),
  services: z.array(z.string()),
})

const config = z.object({
  storesUrl: z
    .url()
    .describe('Where the shop publishes its store list as JSON, e.g. https://shop.example.cn/api/stores'),
  utcOffsetHours: z
    .number()
    .min(-12)
    .max(14)
    .default(8)
    .describe("The stores' time zone as hours from UTC (8 for mainland China), for opening hours"),
})

const secrets = z.object({
  apiToken: z
    .string()
    .optional()
    .describe('Token the store list asks for, sent as a Bearer token; leave empty when the list is public'),
})

export default definePlugin({
  name: 'store-locator',
  version: '1.0.0',
  requires: { core: '>=0.1.0 <1.0.0' },
  kinds: ['integration'],
  title: { en: 'Store locator', 'zh-CN': '门店查询' },
  description: {
    en: "Finds the shop's stores in a city or district, with today's opening hours and whether they are open now",
    'zh-CN': '按城市或区域查找商家的门店，并给出今天的营业时间和当前是否营业',
  },
  icon: 'icon.svg',
  readme: 'README.md',
  author: 'Switchboard examples',
  config,
  secrets,
  permissions: { hosts: ['config:storesUrl'] },
  actions: {
    findStores: {
      title: { en: 'Find stores', 'zh-CN': '查找门店' },
      description: {
        en: 'Stores in a city (and district), open ones first, with their opening hours today',
        'zh-CN': '查找某城市（及区域）的门店，营业中的排在前面，并给出今天的营业时间',
      },
      input: z.object({
        city: z.string().trim().min(1).max(50).describe('The city, e.g. 上海 or Shanghai'),
        district: z.string().trim().max(50).optional().describe('A district or area in the city, e.g. 徐汇'),
        service: z.string().max(50).optional().describe('Only stores that offer this service, e.g. pickup or repair'),
        openNow: z.boolean().default(false).describe('Only stores that are open at the time checked'),
        at: z.iso
          .datetime({ offset: true })
          .optional()
          .describe('The time to check opening hours at (ISO 8601); now when omitted'),
        limit: z.number().int().min(1).max(10).default(3).describe('At most this many stores'),
      }),
      output: z.object({ stores: z.array(store), total: z.number().int() }),
    },
  },
  nodes: {
    storeFinder: {
      title: { en: 'Find a store', 'zh-CN': '查找门店' },
      description: {
        en: "Tells the customer the stores in the city they asked about, with today's hours",
        'zh-CN': '告诉客户所问城市的门店及今天的营业时间',
      },
      category: 'integration',
      config: z.object({
        cityVariable: z
          .string()
          .default('city')
          .describe("The variable holding the customer's city; the customer's last message when it is empty"),
        openNow: z.boolean().default(false).describe('List only stores that are open now'),
        limit: z.number().int().min(1).max(5).default(3).describe('At most this many stores in the message'),
        language: z.enum(['zh-CN', 'en']).default('zh-CN').describe('The language of the message'),
      }),
      ports: ['found', 'not-found', 'failed'],
    },
  },
})
