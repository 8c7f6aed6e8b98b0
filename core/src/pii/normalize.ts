import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'
import { ErrorCode, userError } from '../errors/index.js'

/** E.164 form of a phone number ("+8613812345678"), so the same number always hashes the same. */
export function normalizePhone(input: string, defaultRegion: string): string {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultRegion as CountryCode)
  if (!parsed || !parsed.isPossible()) {
    throw userError(
      ErrorCode.VALIDATION,
      `"${input}" is not a phone number (use the international form, e.g. +86 138 1234 5678)`,
      {
        details: [{ path: 'phone', message: 'not a phone number' }],
      },
    )
  }
  return parsed.number
}

export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase()
}
