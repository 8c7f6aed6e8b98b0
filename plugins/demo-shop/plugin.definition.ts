import { definePlugin, erpOrders, logisticsTracking, order, z } from '@switchboard/plugin-sdk'

/** What a profile panel's action receives: the contact on the agent's screen. */
const panelInput = z.object({
  contact: z
    .object({
      phone: z.string().max(32).optional(),
      email: z.string().max(200).optional(),
      name: z.string().max(200).optional(),
      attributes: z.record(z.string(), z.unknown()).optional(),
    })
    .describe('the contact whose profile is open: matched to orders by phone, then email'),
})

/** One scan of a parcel, with the parcel and order it belongs to (the tracking panel's rows). */
const parcelScan = z.object({
  time: z.string(),
  text: z.string(),
  location: z.string().optional(),
  waybill: z.string(),
  carrier: z.string(),
  stateText: z.string(),
  order: z.string(),
})

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
    recentOrders: {
      title: { en: 'Recent orders of a contact', 'zh-CN': '客户最近订单' },
      description: {
        en: "Feeds the profile panel: the contact's most recent sample orders, by phone or email.",
        'zh-CN': '为客户资料面板提供数据：按手机号或邮箱找到的最近示例订单。',
      },
      input: panelInput,
      output: z.array(order),
      cacheSeconds: 60,
    },
    parcelScans: {
      title: { en: "Tracking of a contact's latest parcel", 'zh-CN': '客户最新包裹的物流' },
      description: {
        en: "Feeds the profile panel: the scans of the contact's most recently shipped parcel, newest first.",
        'zh-CN': '为客户资料面板提供数据：客户最近发出的包裹的物流记录，最新的在前。',
      },
      input: panelInput,
      output: z.array(parcelScan),
      cacheSeconds: 60,
    },
  },
  panels: {
    orders: {
      title: { en: 'Orders', 'zh-CN': '订单' },
      action: 'recentOrders',
      layout: 'table',
      fields: [
        { label: { en: 'Order', 'zh-CN': '订单号' }, path: 'number', format: 'text' },
        { label: { en: 'Item', 'zh-CN': '商品' }, path: 'items[0].name', format: 'text' },
        { label: { en: 'Status', 'zh-CN': '状态' }, path: 'stateText', format: 'badge' },
        { label: { en: 'Placed', 'zh-CN': '下单时间' }, path: 'createdAt', format: 'date' },
        { label: { en: 'Total', 'zh-CN': '金额' }, path: 'total', format: 'money' },
        { label: { en: 'Waybill', 'zh-CN': '物流单号' }, path: 'shipments[0].waybill', format: 'text' },
      ],
    },
    tracking: {
      title: { en: 'Parcel tracking', 'zh-CN': '物流跟踪' },
      action: 'parcelScans',
      layout: 'timeline',
      fields: [
        { label: { en: 'Time', 'zh-CN': '时间' }, path: 'time', format: 'date' },
        { label: { en: 'Event', 'zh-CN': '动态' }, path: 'text', format: 'text' },
        { label: { en: 'Place', 'zh-CN': '地点' }, path: 'location', format: 'text' },
        { label: { en: 'Status', 'zh-CN': '状态' }, path: 'stateText', format: 'badge' },
        { label: { en: 'Waybill', 'zh-CN': '物流单号' }, path: 'waybill', format: 'text' },
      ],
    },
  },
})
