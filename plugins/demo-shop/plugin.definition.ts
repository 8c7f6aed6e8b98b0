import { definePlugin, erpOrders, logisticsTracking, z } from '@switchboard/plugin-sdk'

/**
 * The demo's shop and carrier: sample orders and parcels kept in the plugin itself, no network.
 * It implements the same capabilities as the real ERP and logistics plugins, so the order-status
 * flow runs unchanged when an admin replaces it with erp-woocommerce and logistics-kuaidi100.
 */
export default definePlugin({
  name: 'demo-shop',
  version: '1.0.0',
  requires: { core: '>=0.1.0 <1.0.0' },
  kinds: ['integration'],
  title: { en: 'Demo shop (sample orders)', 'zh-CN': '演示商城（示例订单）' },
  description: {
    en: 'Sample orders and parcels for trying Switchboard: order 2026111812345 has shipped, 2026111700042 was delivered, 2026111812346 is being packed. Disable it once a real shop plugin is configured.',
    'zh-CN':
      '用于体验 Switchboard 的示例订单和物流：订单 2026111812345 已发货，2026111700042 已签收，2026111812346 备货中。接入真实商城插件后请停用。',
  },
  icon: 'icon.svg',
  readme: 'README.md',
  config: z.object({}),
  secrets: z.object({}),
  permissions: {},
  implements: ['erp-orders', 'logistics-tracking'],
  actions: {
    getOrder: {
      title: { en: 'Get an order', 'zh-CN': '查询订单' },
      description: { en: 'One sample order by its number.', 'zh-CN': '按订单号查询示例订单。' },
      ...erpOrders.methods.getOrder,
    },
    findOrders: {
      title: { en: 'Find orders', 'zh-CN': '查找订单' },
      description: { en: "A customer's sample orders by phone or email.", 'zh-CN': '按手机号或邮箱查找示例订单。' },
      ...erpOrders.methods.findOrders,
    },
    track: {
      title: { en: 'Track a parcel', 'zh-CN': '查询物流' },
      description: { en: 'Where a sample parcel is.', 'zh-CN': '查询示例包裹的物流。' },
      ...logisticsTracking.methods.track,
    },
  },
})
