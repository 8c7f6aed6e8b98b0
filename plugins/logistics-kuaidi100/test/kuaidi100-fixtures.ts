/**
 * Parcels as Kuaidi100 knows them: each carrier's route in its own Chinese wording, newest event
 * first, Beijing times without a zone, as the real-time query API returns them.
 */

/** One route event: what `data[]` holds (areaName and status are added only with resultv2). */
export interface FixtureEvent {
  time: string
  context: string
  areaName: string
  location: string
  status: string
}

export interface FixtureParcel {
  com: string
  num: string
  state: string
  /** the carrier checks the last four digits of the recipient's phone (SF, ZTO) */
  phoneLast4?: string
  events: FixtureEvent[]
}

const event = (time: string, status: string, areaName: string, context: string): FixtureEvent => ({
  time,
  status,
  areaName,
  location: areaName.split(',').pop() ?? '',
  context,
})

export const parcels: FixtureParcel[] = [
  {
    com: 'shunfeng',
    num: 'SF1234567890123',
    state: '3',
    phoneLast4: '5678',
    events: [
      event(
        '2026-11-16 14:32:10',
        '签收',
        '广东,深圳市',
        '[深圳市]您的快件已签收，签收人：本人，如有疑问请电联快递员：陈师傅【13800000000】。感谢您使用顺丰，期待再次为您服务',
      ),
      event(
        '2026-11-16 09:05:44',
        '派件',
        '广东,深圳市',
        '[深圳市]快件交给陈师傅，正在派送途中（联系电话：13800000000）',
      ),
      event('2026-11-16 06:12:03', '在途', '广东,深圳市', '[深圳市]快件到达 【深圳南山科技园营业点】'),
      event('2026-11-15 22:40:51', '在途', '浙江,杭州市', '[杭州市]快件已发车，正发往【深圳华南集散中心】'),
      event('2026-11-15 18:20:00', '揽收', '浙江,杭州市', '[杭州市]顺丰速运 已收取快件'),
    ],
  },
  {
    com: 'yuantong',
    num: 'YT7654321098765',
    state: '0',
    events: [
      event('2026-11-20 08:00:00', '在途', '浙江,杭州市', '【杭州转运中心】 已发出 下一站 【北京转运中心】'),
      event(
        '2026-11-19 20:15:33',
        '揽收',
        '浙江,杭州市,西湖区',
        '【浙江省杭州市西湖区文三路公司】 已揽收 取件人: 王师傅 (15700000000)',
      ),
    ],
  },
  {
    com: 'zhongtong',
    num: '78123456789012',
    state: '5',
    events: [
      event(
        '2026-11-21 09:30:00',
        '派件',
        '北京,北京市,朝阳区',
        '【北京市】 快件已到达【朝阳建国路】,业务员 刘师傅(13900000000) 正在第1次派件',
      ),
      event('2026-11-20 23:00:00', '在途', '北京,北京市', '【北京市】 快件离开【北京转运中心】已发往【朝阳建国路】'),
    ],
  },
  {
    com: 'yunda',
    num: '4312345678901',
    state: '2',
    events: [
      event('2026-11-18 16:45:00', '疑难', '广东,广州市', '【广州市】快件因收件地址不详，无法派送，正在联系收件人'),
    ],
  },
  {
    com: 'ems',
    num: 'EA123456789CN',
    state: '14',
    events: [event('2026-11-17 11:00:00', '拒签', '上海,上海市', '【上海市】收件人拒收，快件将退回寄件人')],
  },
  {
    com: 'shentong',
    num: '773012345678901',
    state: '0',
    events: [],
  },
]

/** What carrier detection answers for a number: candidates, most likely first. */
export const carrierCandidates: Record<string, Array<{ comCode: string; name: string }>> = {
  SF1234567890123: [{ comCode: 'shunfeng', name: '顺丰速运' }],
  YT7654321098765: [{ comCode: 'yuantong', name: '圆通速递' }],
  '78123456789012': [
    { comCode: 'zhongtong', name: '中通快递' },
    { comCode: 'huitongkuaidi', name: '百世快递' },
  ],
}

/** Carrier codes the fake knows (Kuaidi100's list has over a thousand). */
export const carrierCodes = ['shunfeng', 'yuantong', 'zhongtong', 'yunda', 'ems', 'shentong', 'jd', 'huitongkuaidi']
