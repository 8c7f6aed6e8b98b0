import { z } from 'zod'

/** Parcel states every logistics plugin maps its carrier's codes onto. */
export const parcelStates = [
  'pending',
  'picked-up',
  'in-transit',
  'out-for-delivery',
  'delivered',
  'exception',
  'returned',
  'unknown',
] as const

/**
 * A parcel's tracking as flows and the console see it.
 *
 * @example
 * ```ts
 * const t: Tracking = { waybill: 'SF1234567890', carrier: 'shunfeng', state: 'in-transit', stateText: '运输中',
 *   lastEvent: { time: '2026-11-20T08:00:00+08:00', location: '杭州', text: '快件已到达杭州转运中心' }, events: [] }
 * ```
 */
export const trackingEvent = z.object({
  time: z.string().describe('ISO 8601 with the offset, e.g. 2026-11-19T08:12:00+08:00'),
  location: z.string().optional(),
  text: z.string(),
})
export const tracking = z.object({
  waybill: z.string(),
  carrier: z.string(),
  state: z.enum(parcelStates),
  stateText: z.string(),
  lastEvent: trackingEvent.nullable(),
  events: z.array(trackingEvent),
})
export type Tracking = z.infer<typeof tracking>

/** `logistics-tracking`: where a parcel is, by waybill number. */
export const logisticsTracking = {
  name: 'logistics-tracking',
  alias: 'logistics',
  title: { en: 'Parcel tracking', 'zh-CN': '物流跟踪' },
  methods: {
    track: {
      input: z.object({
        waybill: z.string().min(4).max(64).describe('the waybill (tracking) number'),
        carrier: z.string().max(32).optional().describe('carrier code; detected when omitted'),
        phone: z.string().max(32).optional().describe('some carriers (SF) ask for the last 4 digits'),
      }),
      output: tracking.nullable(),
    },
  },
} as const
