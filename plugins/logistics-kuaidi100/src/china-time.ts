/**
 * Kuaidi100 writes times as Beijing time without a zone ("2026-11-20 08:00:00"); this makes them
 * ISO 8601 with the +08:00 offset. Anything else is returned unchanged.
 *
 * @example
 * ```ts
 * chinaTimeToIso('2026-11-20 08:00:00') // "2026-11-20T08:00:00+08:00"
 * ```
 */
export function chinaTimeToIso(time: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(time.trim())
  return match ? `${match[1]}T${match[2]}${match[3] ?? ':00'}+08:00` : time
}
