import { pluginError } from '@switchboard/plugin-sdk/runtime'
import type { Kuaidi100Context } from './context.js'
import { kuaidi100ErrorCodes, returnCodeError } from './errors.js'
import { postForm } from './kuaidi100-fetch.js'

/** A waybill's carrier does not change: a detection is reused for a day. */
const detectionCacheSeconds = 86_400

/**
 * The most likely carrier code of a waybill, from Kuaidi100's carrier detection
 * (<autoNumberBase>/autonumber/auto?num=…&key=…, answered with candidates `[{ comCode, name,
 * lengthPre }]`, most likely first). Null when Kuaidi100 has no candidate or says the number is
 * not a waybill (201).
 *
 * @example
 * ```ts
 * await detectCarrier(ctx, 'SF1234567890123') // "shunfeng"
 * ```
 */
export async function detectCarrier(ctx: Kuaidi100Context, waybill: string): Promise<string | null> {
  const cacheKey = `carrier:${waybill}`
  const cached = await ctx.cache.get(cacheKey)
  if (typeof cached === 'string') return cached
  const base = ctx.config.autoNumberBase.replace(/\/+$/, '')
  const url = `${base}/autonumber/auto?num=${encodeURIComponent(waybill)}&key=${encodeURIComponent(ctx.secrets.key)}`
  const body = await postForm(ctx, url, '')
  if (Array.isArray(body)) {
    const best = body.find((c: { comCode?: unknown }) => typeof c?.comCode === 'string' && c.comCode !== '')
    if (!best) return null
    const carrier = String(best.comCode)
    await ctx.cache.set(cacheKey, carrier, detectionCacheSeconds)
    return carrier
  }
  const refusal = (typeof body === 'object' && body !== null ? body : {}) as { returnCode?: unknown; message?: unknown }
  const returnCode = String(refusal.returnCode ?? 'none')
  const message = String(refusal.message ?? '')
  if (returnCode === '201') return null
  if (returnCode === '601')
    throw pluginError(
      kuaidi100ErrorCodes.quotaExhausted,
      `Kuaidi100 carrier detection is not open for this key (601 ${message}): pass the carrier, or enable 智能单号识别 with a paid plan.`,
      { details: { returnCode, message } },
    )
  throw returnCodeError(returnCode, message)
}
