import type { Order, Tracking } from '@switchboard/plugin-sdk/runtime'

const msLi = { name: '李女士', phone: '+8613800138000', email: 'li.customer@example.com' }

/** The demo's orders: Ms. Li (the demo's VIP contact) has three, in three different states. */
export const orders: Order[] = [
  {
    number: '2026111812345',
    state: 'shipped',
    stateText: '已发货',
    createdAt: '2026-11-18T10:12:00+08:00',
    total: { amount: '199.00', currency: 'CNY' },
    items: [{ name: '丝绒哑光口红 #316', quantity: 1, sku: 'LIP-316' }],
    customer: msLi,
    shipments: [{ carrier: '顺丰速运', waybill: 'SF1423456789012' }],
  },
  {
    number: '2026111700042',
    state: 'delivered',
    stateText: '已签收',
    createdAt: '2026-11-15T20:40:00+08:00',
    total: { amount: '358.00', currency: 'CNY' },
    items: [{ name: '保湿精华水 200ml', quantity: 2, sku: 'TONER-200' }],
    customer: msLi,
    shipments: [{ carrier: '中通快递', waybill: '78912345678901' }],
  },
  {
    number: '2026111812346',
    state: 'paid',
    stateText: '已付款，备货中',
    createdAt: '2026-11-20T09:05:00+08:00',
    total: { amount: '89.00', currency: 'CNY' },
    items: [{ name: '卸妆棉 3 盒装', quantity: 1, sku: 'PADS-3' }],
    customer: msLi,
    shipments: [],
  },
]

/** The parcels of the shipped orders, with the carrier's scans (newest first). */
export const parcels: Tracking[] = [
  {
    waybill: 'SF1423456789012',
    carrier: 'shunfeng',
    state: 'in-transit',
    stateText: '运输中',
    lastEvent: { time: '2026-11-19T08:12:00+08:00', location: '上海', text: '快件已到达【上海浦东集散中心】' },
    events: [
      { time: '2026-11-19T08:12:00+08:00', location: '上海', text: '快件已到达【上海浦东集散中心】' },
      { time: '2026-11-18T21:30:00+08:00', location: '杭州', text: '快件已发车，正发往【上海浦东集散中心】' },
      { time: '2026-11-18T18:02:00+08:00', location: '杭州', text: '顺丰速运 已收取快件' },
    ],
  },
  {
    waybill: '78912345678901',
    carrier: 'zhongtong',
    state: 'delivered',
    stateText: '已签收',
    lastEvent: { time: '2026-11-17T18:40:00+08:00', location: '上海', text: '快件已签收，签收人：本人' },
    events: [
      { time: '2026-11-17T18:40:00+08:00', location: '上海', text: '快件已签收，签收人：本人' },
      { time: '2026-11-17T09:15:00+08:00', location: '上海', text: '快件派送中' },
    ],
  },
]
