import { createHash, randomBytes } from 'node:crypto'

/**
 * Login tokens and API tokens are random 256-bit values shown to the user once; only their
 * SHA-256 is stored, so a leaked database does not leak usable tokens. The prefix tells the
 * kinds apart (and makes them easy to find in a secret scanner).
 */
export const SESSION_TOKEN_PREFIX = 'sbs_'
export const API_TOKEN_PREFIX = 'sbt_'

export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url')
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
