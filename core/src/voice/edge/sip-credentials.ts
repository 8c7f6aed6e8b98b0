import { createHash, hkdfSync } from 'node:crypto'
import { ErrorCode, userError } from '../../errors/index.js'

/**
 * Time-limited SIP credentials, checked by Kamailio without a user database: the digest
 * username is `<expires unix seconds>:<sip user>` and the password a keyed hash of it with a
 * secret only Switchboard and the generated kamailio.cfg know. Switchboard hands them to its
 * own user agent and (later) to agents' softphones; a leaked password stops working when it expires.
 *
 * Kamailio 5.6 from Debian has SHA-256 as a config transformation but no HMAC, so the keyed
 * hash is the nested form sha256(secret ":outer:" hex(sha256(secret ":inner:" username))),
 * which, like HMAC, is not open to length extension. kamailio-config.ts computes the same.
 */
export interface SipCredentials {
  /** the SIP user (the user part of the address of record, sip:<user>@domain) */
  user: string
  /** digest username: `<expires>:<user>` */
  username: string
  password: string
  expiresAt: Date
}

const SIP_USER = /^[A-Za-z0-9._+-]{1,64}$/

/** The registration secret of an install, derived from its cookie secret (so every instance agrees). */
export function deriveVoiceSecret(cookieSecret: string): string {
  return Buffer.from(hkdfSync('sha256', cookieSecret, 'switchboard', 'voice registration v1', 32)).toString('hex')
}

export function createSipCredentials(input: { secret: string; user: string; expiresAt: Date }): SipCredentials {
  if (!SIP_USER.test(input.user)) {
    throw userError(
      ErrorCode.VALIDATION,
      `A SIP user is 1 to 64 letters, digits or . _ + - (got ${JSON.stringify(input.user)})`,
      { details: [{ path: ['user'], message: 'letters, digits or . _ + -' }] },
    )
  }
  const username = `${Math.floor(input.expiresAt.getTime() / 1000)}:${input.user}`
  return { user: input.user, username, password: sipPassword(input.secret, username), expiresAt: input.expiresAt }
}

export function sipPassword(secret: string, username: string): string {
  const inner = sha256Hex(`${secret}:inner:${username}`)
  return sha256Hex(`${secret}:outer:${inner}`)
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
