import { createHmac, timingSafeEqual } from 'node:crypto'

/** How old (or how far in the future) a signed request may be, in seconds. */
export const TOLERANCE_SECONDS = 300

/**
 * Verifies a Switchboard webhook request. This is the function the README gives integrators,
 * word for word; the fake CRM in these tests uses it, so the tests prove the documented check.
 */
export function verifySwitchboardSignature(
  rawBody: Buffer | string,
  headers: Record<string, string | string[] | undefined>,
  secret: string,
  nowMs: number = Date.now(),
): { ok: true } | { ok: false; reason: string } {
  const timestamp = headers['x-switchboard-timestamp']
  const signature = headers['x-switchboard-signature']
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing timestamp' }
  if (typeof signature !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(signature))
    return { ok: false, reason: 'missing signature' }
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > TOLERANCE_SECONDS)
    return { ok: false, reason: 'timestamp outside the 5-minute window' }
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest()
  const given = Buffer.from(signature.slice('sha256='.length), 'hex')
  if (!timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' }
  return { ok: true }
}
