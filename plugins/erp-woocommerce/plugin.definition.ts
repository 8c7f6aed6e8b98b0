import { definePlugin, erpOrders, order, z, type PluginDefinition } from '@switchboard/plugin-sdk'

/** What the admin fills in; every field becomes a form field in the console. */
export const config = z.object({
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .describe(
      'Address of the shop (the WordPress home URL), e.g. https://shop.example.com. Over https the keys are sent with HTTP Basic auth; over plain http every request is signed with OAuth 1.0a, as WooCommerce requires',
    ),
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .max(30_000)
    .default(8_000)
    .describe('How long to wait for the shop, in milliseconds, before giving up (the call can be retried)'),
  keysInQuery: z
    .boolean()
    .default(false)
    .describe(
      'https only: send the keys as consumer_key/consumer_secret query parameters instead of an Authorization header, for servers that strip that header',
    ),
  statusLanguage: z
    .enum(['en', 'zh-CN'])
    .default('en')
    .describe('Language of the order status text shown to agents (en or zh-CN)'),
}) satisfies PluginDefinition['config']

/** Stored encrypted; only this plugin's handlers see them. */
export const secrets = z.object({
  consumerKey: z
    .string()
    .startsWith('ck_')
    .max(100)
    .describe('Consumer key (ck_…) from WooCommerce › Settings › Advanced › REST API; Read permission is enough'),
  consumerSecret: z
    .string()
    .startsWith('cs_')
    .max(100)
    .describe('Consumer secret (cs_…) shown once when the key was generated'),
}) satisfies PluginDefinition['secrets']

/** What a profile panel's action receives from the console: the contact on screen. */
export const panelInput = z.object({
  contact: z
    .object({
      phone: z.string().max(32).optional().describe('the contact’s phone number'),
      email: z.string().max(200).optional().describe('the contact’s email address'),
      name: z.string().max(200).optional().describe('the contact’s name'),
      attributes: z.record(z.string(), z.unknown()).optional().describe('other known attributes'),
    })
    .describe('the contact whose profile the agent is looking at'),
})

const methods = erpOrders.methods

export default definePlugin({
  name: 'erp-woocommerce',
  version: '1.0.0',
  requires: { core: '>=0.1.0 <1.0.0' },
  kinds: ['integration'],
  title: { en: 'WooCommerce orders', 'zh-CN': 'WooCommerce 订单' },
  description: {
    en: 'Looks up WooCommerce orders by order number, phone or email for flows and agents: status, items, totals and tracking numbers.',
    'zh-CN': '按订单号、手机号或邮箱查询 WooCommerce 订单，供流程和坐席使用：订单状态、商品、金额和物流单号。',
  },
  icon: 'icon.svg',
  readme: 'README.md',
  homepage: 'https://woocommerce.github.io/woocommerce-rest-api-docs/',
  config,
  secrets,
  permissions: { hosts: ['config:baseUrl'] },
  implements: ['erp-orders'],
  actions: {
    getOrder: {
      title: { en: 'Get an order', 'zh-CN': '查询订单' },
      description: {
        en: 'Finds one order by the number the customer sees (the order ID or a custom order number); null when there is none.',
        'zh-CN': '按顾客看到的订单号（订单 ID 或自定义订单号）查询一个订单；不存在时返回 null。',
      },
      input: methods.getOrder.input,
      output: methods.getOrder.output,
      cacheSeconds: 60,
    },
    findOrders: {
      title: { en: 'Find orders', 'zh-CN': '查找订单' },
      description: {
        en: 'Lists the most recent orders whose billing phone or email matches, newest first.',
        'zh-CN': '列出账单手机号或邮箱匹配的最近订单，最新的在前。',
      },
      input: methods.findOrders.input,
      output: methods.findOrders.output,
      cacheSeconds: 30,
    },
    recentOrders: {
      title: { en: 'Recent orders of a contact', 'zh-CN': '客户最近订单' },
      description: {
        en: 'Feeds the profile panel: the contact’s five most recent orders, found as findOrders finds them.',
        'zh-CN': '为客户资料面板提供数据：与 findOrders 相同的方式查到该客户最近的五个订单。',
      },
      input: panelInput,
      output: z.array(order),
      cacheSeconds: 30,
    },
  },
  panels: {
    recentOrders: {
      title: { en: 'WooCommerce orders', 'zh-CN': 'WooCommerce 订单' },
      action: 'recentOrders',
      layout: 'table',
      fields: [
        { label: { en: 'Order', 'zh-CN': '订单号' }, path: 'number', format: 'text' },
        { label: { en: 'Status', 'zh-CN': '状态' }, path: 'stateText', format: 'badge' },
        { label: { en: 'Placed', 'zh-CN': '下单时间' }, path: 'createdAt', format: 'date' },
        { label: { en: 'Total', 'zh-CN': '金额' }, path: 'total', format: 'money' },
        { label: { en: 'Tracking', 'zh-CN': '物流单号' }, path: 'shipments[0].waybill', format: 'text' },
        { label: { en: 'Open in shop', 'zh-CN': '在商城中打开' }, path: 'url', format: 'link' },
      ],
    },
  },
})
