import type { Tracking } from '@switchboard/plugin-sdk/runtime'
import type { Kuaidi100Context } from './context.js'
import { returnCodeError } from './errors.js'
import { toFormBody } from './form-body.js'
import { postForm } from './kuaidi100-fetch.js'
import { isAnswer, toTracking } from './to-tracking.js'

/** One real-time query: a carrier code, a waybill and optionally the last digits of a phone number. */
export interface TrackingQuery {
  carrier: string
  waybill: string
  phone?: string
}

/**
 * Asks Kuaidi100's real-time query API (POST <apiBase>/poll/query.do) where a parcel is. The form
 * carries `customer`, `param` (JSON: com, num, phone, resultv2) and `sign`, the upper-case hex
 * MD5 of param + key + customer. Resolves null for 500 查询无结果 (no such parcel yet); other
 * refusals throw coded errors.
 *
 * @example
 * ```ts
 * await queryTracking(ctx, { carrier: 'shunfeng', waybill: 'SF1234567890123', phone: '5678' })
 * ```
 */
export async function queryTracking(ctx: Kuaidi100Context, query: TrackingQuery): Promise<Tracking | null> {
  const { customer, key } = ctx.secrets
  const param = JSON.stringify({
    com: query.carrier,
    num: query.waybill,
    ...(query.phone ? { phone: query.phone } : {}),
    resultv2: '1',
  })
  const sign = (await ctx.crypto.md5(param + key + customer)).toUpperCase()
  const url = `${ctx.config.apiBase.replace(/\/+$/, '')}/poll/query.do`
  const body = await postForm(ctx, url, toFormBody({ customer, sign, param }))
  if (isAnswer(body)) return toTracking(body, query)
  const refusal = (typeof body === 'object' && body !== null ? body : {}) as { returnCode?: unknown; message?: unknown }
  if (String(refusal.returnCode) === '500') return null
  throw returnCodeError(String(refusal.returnCode ?? 'none'), String(refusal.message ?? ''))
}
