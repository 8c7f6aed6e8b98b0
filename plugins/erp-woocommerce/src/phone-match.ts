/** The digits of a phone number as typed ("+86 138-1234-5678" → "8613812345678"). */
export function phoneDigits(phone: string | undefined): string {
  return (phone ?? '').replace(/\D/g, '')
}

/**
 * What to search the shop for: the digits, without China's country code in front of a mobile
 * number, because shops store numbers the way customers typed them at checkout.
 */
export function searchablePhone(digits: string): string {
  const mainlandMobile = /^(?:00)?86(1\d{10})$/.exec(digits)
  return mainlandMobile ? mainlandMobile[1]! : digits
}

/**
 * True when two numbers are the same subscriber: the shorter digit string (at least 7 digits)
 * ends the longer one, so "+86 138 1234 5678" matches "13812345678".
 *
 * @example
 * ```ts
 * samePhone('138-1234-5678', '8613812345678') // true
 * ```
 */
export function samePhone(stored: string | undefined, wantedDigits: string): boolean {
  const a = phoneDigits(stored)
  const [shorter, longer] = a.length <= wantedDigits.length ? [a, wantedDigits] : [wantedDigits, a]
  return shorter.length >= 7 && longer.endsWith(shorter)
}
