import type { Tracking } from '@switchboard/plugin-sdk/runtime'
import type { Kuaidi100Context, TrackInput } from './context.js'
import { carrierCode } from './carrier-code.js'
import { detectCarrier } from './detect-carrier.js'
import { isFinal } from './parcel-state.js'
import { queryTracking } from './query-tracking.js'

/** Not-found answers are kept briefly: the parcel may be scanned in at any time. */
const notFoundCacheSeconds = 600
/** Delivered and returned parcels do not move any more. */
const finalCacheSeconds = 86_400

function isCached(value: unknown): value is { tracking: Tracking | null } {
  return typeof value === 'object' && value !== null && 'tracking' in value
}

function cacheSecondsFor(ctx: Kuaidi100Context, tracking: Tracking | null): number {
  if (tracking === null) return Math.min(ctx.config.cacheSeconds, notFoundCacheSeconds)
  return isFinal(tracking.state) ? Math.max(ctx.config.cacheSeconds, finalCacheSeconds) : ctx.config.cacheSeconds
}

/**
 * `logistics-tracking.track`: where a parcel is. The carrier is detected when not given; answers
 * are cached per carrier and waybill (Kuaidi100 locks waybills queried more than every half hour).
 * Only the phone's last four digits are sent, which is what carriers check. Null when Kuaidi100
 * knows no such parcel, or the number cannot be a waybill (it takes 6–32 letters and digits).
 *
 * @example
 * ```ts
 * await track(ctx, { waybill: 'SF1234567890123', phone: '138 1234 5678' })
 * ```
 */
export async function track(ctx: Kuaidi100Context, input: TrackInput): Promise<Tracking | null> {
  const waybill = input.waybill.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9-]{6,32}$/.test(waybill)) return null
  const carrier = carrierCode(input.carrier) ?? (await detectCarrier(ctx, waybill))
  if (!carrier) return null
  const cacheKey = `track:${carrier}:${waybill}`
  const cached = await ctx.cache.get(cacheKey)
  if (isCached(cached)) return cached.tracking
  const phoneDigits = (input.phone ?? '').replace(/\D/g, '')
  const tracking = await queryTracking(ctx, {
    carrier,
    waybill,
    ...(phoneDigits.length >= 4 ? { phone: phoneDigits.slice(-4) } : {}),
  })
  await ctx.cache.set(cacheKey, { tracking }, cacheSecondsFor(ctx, tracking))
  ctx.log.debug('parcel tracked', { carrier, found: tracking !== null })
  return tracking
}
