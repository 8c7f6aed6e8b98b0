/**
 * A built-in lexicon of customer-service concepts for online shops, each with its usual Chinese
 * and English wordings (colloquial ones included). A message that uses any wording of a concept
 * gets that concept as one more feature, so 快递 matches 物流 and "refund" matches 退款 even when
 * no example of the intent uses that word. A wording that belongs to two concepts blurs them:
 * such words (换个, 客服, 支持…) are left to the examples.
 *
 * Chinese wordings match as substrings of the message; English wordings match whole (stemmed)
 * words or word sequences. A `generic` concept (when, where) is a kind of question rather than a
 * topic and weighs less (feature kind `q:`). How the lexicon was tuned: docs/nlu-and-knowledge-base.md.
 */
export const serviceLexicon: Record<string, { zh: string[]; en: string[]; generic?: true }> = {
  logistics: {
    zh: [
      ...['物流', '快递', '包裹', '运单', '单号', '配送', '派送', '派件', '在路上', '运输中', '签收', '揽收', '揽件'],
      ...['中转', '驿站', '快递柜', '丰巢', '顺丰', '圆通', '中通', '申通', '韵达', '极兔', '邮政', '京东物流'],
    ],
    en: ['track', 'tracking', 'parcel', 'package', 'shipment', 'courier', 'transit', 'shipping status'],
  },
  dispatch: {
    zh: ['发货', '发出', '寄出', '出库', '发了', '待发货', '什么时候发', '还没发', '发走', '打包'],
    en: ['ship', 'dispatch', 'sent out'],
  },
  receive: { zh: ['收到', '到货', '送到', '送达', '没到', '拿到', '到了没'], en: ['arrive', 'receive', 'deliver'] },
  stuck: {
    zh: ['没动静', '不更新', '没更新', '不动了', '没有变化', '一直没'],
    en: ['not updated', 'no update', 'stuck'],
  },
  refund: {
    zh: ['退款', '退钱', '钱退', '退回来', '到账', '原路', '退费', '退给我', '返款'],
    en: ['refund', 'money back', 'reimburse'],
  },
  money: {
    zh: [
      '钱',
      '扣款',
      '扣钱',
      '多扣',
      '付款',
      '支付宝',
      '微信支付',
      '银行卡',
      '信用卡',
      '花呗',
      '分期',
      '金额',
      '余额',
    ],
    en: ['money', 'charge', 'payment', 'pay', 'credit card', 'installment'],
  },
  return: {
    zh: ['退货', '退回', '寄回', '退回去', '退掉', '无理由', '退换', '退件'],
    en: ['return', 'send back', 'send it back', 'send them back'],
  },
  exchange: {
    zh: ['换货', '调换', '更换', '换一个', '换成', '换新', '退换', '换码', '换大', '换小', '换颜色'],
    en: ['exchange', 'swap', 'replace', 'replacement'],
  },
  size: {
    zh: [
      '尺码',
      '码数',
      '尺寸',
      '大码',
      '小码',
      '偏大',
      '偏小',
      '大小',
      '一码',
      '多大码',
      '几码',
      '什么码',
      '大一号',
      '小一号',
      '身高',
      '体重',
      '穿多大',
    ],
    en: ['size', 'fit', 'tight', 'loose', 'too small', 'too big', 'larger', 'smaller'],
  },
  cancel: {
    zh: [
      '取消',
      '撤销',
      '撤回',
      '撤单',
      '不要了',
      '不想要',
      '不想买',
      '不买了',
      '拍错',
      '下错',
      '拍多',
      '买错',
      '重复下单',
      '后悔',
    ],
    en: ['cancel', 'by mistake', 'dont want', 'changed my mind'],
  },
  order: { zh: ['订单', '下单', '单子', '那单', '拍的', '买的', '购买'], en: ['order', 'purchase'] },
  address: {
    zh: ['地址', '收货人', '收件人', '门牌', '小区', '楼号', '单元', '搬家', '寄到公司', '送到公司'],
    en: ['address', 'recipient'],
  },
  modify: {
    zh: ['修改', '更改', '改成', '改一下', '改下', '改为', '填错', '写错', '打错', '写漏', '少写', '换地址', '改地址'],
    en: ['change', 'modify', 'update', 'edit', 'wrong', 'correct'],
  },
  invoice: {
    zh: ['发票', '专票', '普票', '开票', '抬头', '税号', '增值税', '收据', '报销', '电子票'],
    en: ['invoice', 'receipt', 'vat', 'tax', 'fapiao', 'reimbursement'],
  },
  stock: {
    zh: ['现货', '有货', '库存', '缺货', '补货', '断货', '没货', '售罄'],
    en: ['stock', 'available', 'restock', 'sold out'],
  },
  specification: {
    zh: [
      ...['材质', '面料', '颜色', '型号', '规格', '参数', '功能', '款式', '防水', '容量', '电池', '续航', '重量'],
      ...['配件', '充电器', '兼容', '区别', '适合', '微波炉', '洗碗机', '机洗', '多大'],
    ],
    en: [
      'material',
      'fabric',
      'color',
      'colour',
      'model',
      'spec',
      'feature',
      'waterproof',
      'battery',
      'charger',
      'compatible',
      'suitable',
      'come with',
    ],
  },
  this_item: {
    zh: ['这个', '这款', '这件', '这双', '这种', '这条', '这台', '这套', '此款', '该商品', '有没有'],
    en: ['is this', 'does this', 'does it', 'is it', 'do you have', 'this item', 'this product'],
    generic: true,
  },
  warranty: {
    zh: ['保修', '质保', '三包', '维修', '保质期', '能用多久', '寿命'],
    en: ['warranty', 'guarantee', 'repair'],
  },
  genuine: {
    zh: ['正品', '假货', '真货', '授权', '官方', '行货', '仿品', '高仿'],
    en: ['genuine', 'authentic', 'fake', 'original', 'counterfeit'],
  },
  complaint: {
    zh: ['投诉', '举报', '差评', '维权', '消协', '12315', '曝光', '工商'],
    en: ['complain', 'complaint', 'report', 'sue'],
  },
  dissatisfied: {
    zh: [
      ...['太差', '差劲', '恶劣', '垃圾', '失望', '不满', '坑', '骗', '生气', '离谱', '无语', '气死', '忽悠'],
      ...['虚假', '不守信用', '过分', '欺骗', '没人理', '没人管', '不回复', '敷衍'],
    ],
    en: [
      'terrible',
      'awful',
      'worst',
      'horrible',
      'unacceptable',
      'disappointed',
      'disappoint',
      'scam',
      'angry',
      'rude',
      'useless',
      'ridiculous',
      'fraud',
    ],
  },
  attitude: { zh: ['态度', '服务'], en: ['attitude', 'service', 'ignored'] },
  human: {
    zh: ['人工', '真人', '活人', '转人工', '找人', '客服人员', '换人', '接人工'],
    en: ['human', 'person', 'agent', 'someone', 'somebody', 'representative', 'operator', 'staff'],
  },
  bot: { zh: ['机器人', '自动回复', '智能客服', '机器'], en: ['bot', 'robot', 'machine', 'automated'] },
  greeting: {
    zh: [
      '你好',
      '您好',
      '在吗',
      '在么',
      '在不在',
      '有人吗',
      '有人在',
      '哈喽',
      '哈罗',
      '嗨',
      '早上好',
      '上午好',
      '中午好',
      '下午好',
      '晚上好',
      '早安',
    ],
    en: [
      'hello',
      'hi',
      'hey',
      'hiya',
      'good morning',
      'good afternoon',
      'good evening',
      'anyone there',
      'anybody there',
    ],
  },
  when: {
    zh: ['什么时候', '啥时候', '多久', '几天', '几号', '多长时间', '要等', '哪天', '何时'],
    en: ['when', 'how long', 'how many days', 'how soon'],
    generic: true,
  },
  where: { zh: ['哪里', '哪儿', '在哪', '到哪'], en: ['where'], generic: true },
  damaged: {
    zh: ['坏了', '破损', '碎了', '损坏', '质量问题', '瑕疵', '压坏', '破了', '漏了', '起球', '掉色', '开线', '划痕'],
    en: ['broken', 'damaged', 'defective', 'faulty', 'cracked'],
  },
  shipping_fee: {
    zh: ['运费', '邮费', '包邮', '快递费', '运费险'],
    en: ['shipping fee', 'postage', 'free shipping', 'delivery fee', 'shipping cost'],
  },
  coupon: {
    zh: ['优惠券', '优惠码', '折扣码', '券', '红包', '满减', '打折', '折扣'],
    en: ['coupon', 'promo', 'voucher', 'discount'],
  },
  price_protection: {
    zh: ['降价', '差价', '价保', '保价', '便宜了', '价格保护'],
    en: ['price drop', 'price protection', 'difference'],
  },
  opening_hours: {
    zh: ['上班', '下班', '几点', '工作时间', '营业时间', '在线时间'],
    en: ['open', 'opening hours', 'working hours', 'business hours', 'support hours'],
  },
  member: { zh: ['会员', '积分', 'vip', '等级'], en: ['member', 'membership', 'points', 'vip', 'loyalty'] },
  overseas: {
    zh: [
      '国外',
      '海外',
      '境外',
      '出国',
      '港澳台',
      '香港',
      '澳门',
      '台湾',
      '美国',
      '日本',
      '新加坡',
      '英国',
      '加拿大',
      '澳洲',
    ],
    en: ['international', 'overseas', 'abroad', 'usa', 'japan', 'singapore', 'uk', 'canada', 'australia'],
  },
  gift: { zh: ['礼品', '礼物', '礼盒', '包装', '送人', '礼品袋', '贺卡'], en: ['gift', 'wrap', 'present'] },
}
