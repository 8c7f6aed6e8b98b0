import { createHmac, randomBytes } from 'node:crypto'

/** How many characters of a secret are kept in clear to recognise it in lists (`whsec_` and 4 more). */
export const SECRET_PREFIX_LENGTH = 10

/** A new signing secret: `whsec_` and 32 random bytes in base64url. Shown once, stored encrypted. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

/**
 * The `X-Switchboard-Signature` value: `sha256=` and the lower-case hex HMAC-SHA256, keyed
 * with the secret (its UTF-8 text, as shown), of `<timestamp>.<body>`. The same scheme as the
 * plugins' outbound requests (plugins/crm-webhook/README.md), so integrators learn one.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`
}
