/**
 * Orders as the WooCommerce REST API v3 returns them (GET /wp-json/wc/v3/orders/{id}), for the
 * fake shop. `shopOrder` fills in the fields every order has; each fixture sets what it is about.
 */

type Address = Record<'first_name' | 'last_name' | 'company' | 'address_1' | 'address_2' | 'city' | 'state', string> &
  Record<'postcode' | 'country' | 'phone', string> & { email?: string }

interface Item {
  name: string
  sku: string
  quantity: number
  price: string
}

interface OrderSeed {
  id: number
  number?: string
  status: string
  currency: string
  created: string
  billing: Address
  shipping?: Address
  items: Item[]
  shippingTotal?: string
  meta?: Array<{ key: string; value: unknown }>
}

/** A complete order object in the API's shape, from the few fields a fixture cares about. */
function shopOrder(seed: OrderSeed) {
  const itemsTotal = seed.items.reduce((sum, item) => sum + Number(item.price) * item.quantity, 0)
  const shippingTotal = seed.shippingTotal ?? '0.00'
  const paid = !['pending', 'failed', 'checkout-draft'].includes(seed.status)
  return {
    id: seed.id,
    parent_id: 0,
    status: seed.status,
    currency: seed.currency,
    version: '9.4.2',
    prices_include_tax: false,
    date_created: seed.created.replace('Z', ''),
    date_modified: seed.created.replace('Z', ''),
    discount_total: '0.00',
    discount_tax: '0.00',
    shipping_total: shippingTotal,
    shipping_tax: '0.00',
    cart_tax: '0.00',
    total: (itemsTotal + Number(shippingTotal)).toFixed(2),
    total_tax: '0.00',
    customer_id: 0,
    order_key: `wc_order_${seed.id.toString(36)}Xk2pQ`,
    billing: { email: '', ...seed.billing },
    shipping: seed.shipping ?? { ...seed.billing, email: undefined },
    payment_method: seed.currency === 'CNY' ? 'alipay' : 'stripe',
    payment_method_title: seed.currency === 'CNY' ? '支付宝' : 'Credit card',
    transaction_id: paid ? `TX${seed.id}` : '',
    customer_ip_address: '203.0.113.7',
    customer_user_agent: 'Mozilla/5.0',
    created_via: 'checkout',
    customer_note: '',
    date_completed: seed.status === 'completed' ? seed.created.replace('Z', '') : null,
    date_paid: paid ? seed.created.replace('Z', '') : null,
    cart_hash: 'a3f1c2',
    number: seed.number ?? String(seed.id),
    meta_data: (seed.meta ?? []).map((m, i) => ({ id: seed.id * 10 + i, ...m })),
    line_items: seed.items.map((item, i) => ({
      id: seed.id * 100 + i,
      name: item.name,
      product_id: 500 + i,
      variation_id: 0,
      quantity: item.quantity,
      tax_class: '',
      subtotal: (Number(item.price) * item.quantity).toFixed(2),
      subtotal_tax: '0.00',
      total: (Number(item.price) * item.quantity).toFixed(2),
      total_tax: '0.00',
      taxes: [],
      meta_data: [],
      sku: item.sku,
      price: Number(item.price),
      parent_name: null,
    })),
    tax_lines: [],
    shipping_lines: [],
    fee_lines: [],
    coupon_lines: [],
    refunds: [],
    payment_url: `https://shop.example.cn/checkout/order-pay/${seed.id}/`,
    is_editable: seed.status === 'pending',
    needs_payment: seed.status === 'pending',
    needs_processing: true,
    date_created_gmt: seed.created.replace('Z', ''),
    date_modified_gmt: seed.created.replace('Z', ''),
    date_completed_gmt: seed.status === 'completed' ? seed.created.replace('Z', '') : null,
    date_paid_gmt: paid ? seed.created.replace('Z', '') : null,
    currency_symbol: seed.currency === 'CNY' ? '¥' : '$',
    _links: { self: [{ href: `https://shop.example.cn/wp-json/wc/v3/orders/${seed.id}` }] },
  }
}

/** One order of the fake shop, as the API returns it. */
export type ShopOrder = ReturnType<typeof shopOrder>

const zhangWei: Address = {
  first_name: '伟',
  last_name: '张',
  company: '',
  address_1: '西湖区文三路 90 号 5 幢 1201 室',
  address_2: '',
  city: '杭州市',
  state: 'CN12',
  postcode: '310012',
  country: 'CN',
  email: 'zhang.wei@example.cn',
  phone: '138 1234 5678',
}

const liNa: Address = {
  first_name: '娜',
  last_name: '李',
  company: '',
  address_1: '朝阳区建国路 88 号 SOHO 现代城 2 号楼 1503',
  address_2: '',
  city: '北京市',
  state: 'CN2',
  postcode: '100022',
  country: 'CN',
  email: 'Li.Na@Example.cn',
  phone: '+86 139-8765-4321',
}

const emily: Address = {
  first_name: 'Emily',
  last_name: 'Clark',
  company: '',
  address_1: '500 Howard Street',
  address_2: 'Apt 4B',
  city: 'San Francisco',
  state: 'CA',
  postcode: '94105',
  country: 'US',
  email: 'emily.clark@example.com',
  phone: '+1 (415) 555-0134',
}

const tracking = (items: Array<Record<string, string>>) => ({
  key: '_wc_shipment_tracking_items',
  value: items.map((item, i) => ({
    tracking_provider: '',
    custom_tracking_provider: '',
    custom_tracking_link: '',
    date_shipped: String(1_763_600_000 + i * 3600),
    tracking_id: `a1b2c3d4e5f6${i}`,
    ...item,
  })),
})

/** The fake shop's orders: Chinese and international customers, every status the plugin maps. */
export const shopOrders: ShopOrder[] = [
  shopOrder({
    id: 1001,
    status: 'processing',
    currency: 'CNY',
    created: '2026-11-14T09:30:00Z',
    billing: zhangWei,
    items: [
      { name: '真丝围巾 · 藏青色', sku: 'SCARF-NAVY', quantity: 1, price: '299.00' },
      { name: '手工青瓷茶具套装', sku: 'TEA-SET-01', quantity: 2, price: '168.00' },
    ],
    shippingTotal: '12.00',
    meta: [
      { key: '_billing_invoice_title', value: '个人' },
      tracking([{ custom_tracking_provider: '顺丰速运', tracking_number: 'SF1234567890123' }]),
    ],
  }),
  shopOrder({
    id: 1002,
    status: 'completed',
    currency: 'USD',
    created: '2026-11-02T18:05:41Z',
    billing: emily,
    items: [{ name: 'Silk scarf – Navy', sku: 'SCARF-NAVY', quantity: 1, price: '49.00' }],
    shippingTotal: '8.50',
    meta: [tracking([{ tracking_provider: 'usps', tracking_number: '9400111899223197428490' }])],
  }),
  shopOrder({
    id: 1003,
    status: 'on-hold',
    currency: 'CNY',
    created: '2026-11-18T02:11:09Z',
    billing: liNa,
    items: [{ name: '云南普洱熟茶 357g', sku: 'PUER-357', quantity: 3, price: '128.00' }],
  }),
  shopOrder({
    id: 1004,
    status: 'pending',
    currency: 'CNY',
    created: '2026-11-20T11:45:00Z',
    billing: { ...zhangWei, phone: '13812345678' },
    items: [{ name: '竹制茶盘', sku: '', quantity: 1, price: '89.90' }],
  }),
  shopOrder({
    id: 1005,
    status: 'refunded',
    currency: 'USD',
    created: '2026-10-21T07:00:00Z',
    billing: emily,
    items: [{ name: 'Celadon tea cup', sku: 'CUP-CELADON', quantity: 2, price: '18.00' }],
  }),
  shopOrder({
    id: 1006,
    status: 'failed',
    currency: 'CNY',
    created: '2026-11-19T23:59:59Z',
    billing: liNa,
    items: [{ name: '紫砂壶', sku: 'ZISHA-01', quantity: 1, price: '680.00' }],
  }),
  // A shop using a sequential-order-numbers extension: the number the customer sees is not the ID.
  shopOrder({
    id: 1010,
    number: 'WC-2026-0042',
    status: 'cancelled',
    currency: 'CNY',
    created: '2026-11-10T04:20:00Z',
    billing: liNa,
    items: [{ name: '龙井茶 明前特级 250g', sku: 'LONGJING-250', quantity: 1, price: '388.00' }],
    meta: [{ key: '_order_number', value: 'WC-2026-0042' }],
  }),
  shopOrder({
    id: 1011,
    number: '88001',
    status: 'completed',
    currency: 'CNY',
    created: '2026-11-11T11:11:11Z',
    billing: zhangWei,
    items: [{ name: '双十一礼盒', sku: 'GIFT-1111', quantity: 1, price: '1111.00' }],
    meta: [
      { key: '_order_number', value: '88001' },
      tracking([
        { tracking_provider: 'zto', tracking_number: '78123456789012' },
        { custom_tracking_provider: '京东物流', tracking_number: 'JDVA01234567890' },
      ]),
    ],
  }),
  shopOrder({
    id: 1012,
    status: 'trash',
    currency: 'CNY',
    created: '2026-09-01T08:00:00Z',
    billing: zhangWei,
    items: [{ name: '测试商品', sku: 'TEST', quantity: 1, price: '0.01' }],
  }),
]
