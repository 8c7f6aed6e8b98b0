import type { Tracking } from '@switchboard/plugin-sdk/runtime'

type ParcelState = Tracking['state']

/**
 * Kuaidi100's `state` codes (实时快递查询 document): the basic ones, and the detailed ones it
 * returns with resultv2=4, each with the carrier-side Chinese name agents know.
 */
const states: Record<string, [ParcelState, string]> = {
  '0': ['in-transit', '在途'],
  '1': ['picked-up', '揽收'],
  '2': ['exception', '疑难'],
  '3': ['delivered', '签收'],
  '4': ['returned', '退签'],
  '5': ['out-for-delivery', '派件'],
  '6': ['returned', '退回'],
  '7': ['in-transit', '转投'],
  '8': ['in-transit', '清关'],
  '10': ['in-transit', '待清关'],
  '11': ['in-transit', '清关中'],
  '12': ['in-transit', '已清关'],
  '13': ['exception', '清关异常'],
  '14': ['exception', '拒签'],
  '101': ['pending', '已下单'],
  '102': ['pending', '待揽收'],
  '103': ['picked-up', '已揽收'],
  '1001': ['in-transit', '到达派件城市'],
  '1002': ['in-transit', '干线'],
  '1003': ['in-transit', '转递'],
  '501': ['out-for-delivery', '投柜或驿站'],
  '301': ['delivered', '本人签收'],
  '302': ['delivered', '派件异常后签收'],
  '303': ['delivered', '代签'],
  '304': ['delivered', '投柜或站签收'],
  '401': ['exception', '已销单'],
  '201': ['exception', '超时未签收'],
  '202': ['exception', '超时未更新'],
  '203': ['exception', '拒收'],
  '204': ['exception', '派件异常'],
  '205': ['exception', '柜或驿站超时未取'],
  '206': ['exception', '无法联系'],
  '207': ['exception', '超区'],
  '208': ['exception', '滞留'],
  '209': ['exception', '破损'],
  '210': ['exception', '销单'],
}

/**
 * Maps a Kuaidi100 state code onto the SDK's parcel states, keeping the Chinese name as
 * `stateText`. An unknown code is 'unknown', named by the latest event's status when there is one.
 *
 * @example
 * ```ts
 * parcelState('5') // { state: 'out-for-delivery', stateText: '派件' }
 * ```
 */
export function parcelState(code: string | undefined, latestStatus?: string): Pick<Tracking, 'state' | 'stateText'> {
  const known = states[String(code ?? '').trim()]
  if (known) return { state: known[0], stateText: known[1] }
  return { state: 'unknown', stateText: latestStatus || (code ? `未知状态 ${code}` : '未知') }
}

/** True for states that will not change any more, which may be cached for longer. */
export function isFinal(state: ParcelState): boolean {
  return state === 'delivered' || state === 'returned'
}
