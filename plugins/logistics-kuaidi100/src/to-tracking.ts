import type { Tracking } from '@switchboard/plugin-sdk/runtime'
import { chinaTimeToIso } from './china-time.js'
import { parcelState } from './parcel-state.js'

/** One route event of a Kuaidi100 answer (areaName and status only with resultv2). */
export interface Kuaidi100Event {
  time?: string
  ftime?: string
  context?: string
  location?: string
  areaName?: string
  status?: string
}

/** A successful Kuaidi100 real-time query answer. */
export interface Kuaidi100Answer {
  message: 'ok'
  state?: string
  status?: string
  ischeck?: string
  com?: string
  nu?: string
  data: Kuaidi100Event[]
}

/** True for a body that is a successful query answer (`message: "ok"` with a data array). */
export function isAnswer(body: unknown): body is Kuaidi100Answer {
  const b = body as Partial<Kuaidi100Answer> | null
  return typeof b === 'object' && b !== null && b.message === 'ok' && Array.isArray(b.data)
}

/**
 * Turns a Kuaidi100 answer into the SDK's `Tracking`: the state mapped, the carrier's Chinese text
 * kept, events newest first with Beijing times as ISO 8601 and the place when Kuaidi100 knows it.
 *
 * @example
 * ```ts
 * toTracking(answer, { waybill: 'SF1234567890123', carrier: 'shunfeng' })
 * ```
 */
export function toTracking(answer: Kuaidi100Answer, asked: { waybill: string; carrier: string }): Tracking {
  const events = answer.data
    .filter((e) => typeof e?.context === 'string')
    .map((e) => {
      const location = (e.location || e.areaName || '').trim()
      return {
        time: chinaTimeToIso(e.time || e.ftime || ''),
        ...(location ? { location } : {}),
        text: e.context!.trim(),
      }
    })
    .sort((a, b) => b.time.localeCompare(a.time))
  return {
    waybill: answer.nu || asked.waybill,
    carrier: answer.com || asked.carrier,
    ...parcelState(answer.state, answer.data[0]?.status),
    lastEvent: events[0] ?? null,
    events,
  }
}
