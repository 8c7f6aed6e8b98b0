/**
 * True when a callback's `timestamp` (Unix seconds) is within `maxSkewSeconds` of now, either
 * side: an old, captured request replayed later is refused even with a valid signature.
 *
 * @example
 * ```ts
 * isFreshTimestamp('1700000000', Date.now(), 300)
 * ```
 */
export function isFreshTimestamp(timestamp: string | undefined, nowMs: number, maxSkewSeconds: number): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= maxSkewSeconds
}
