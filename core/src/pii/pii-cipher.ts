import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { ErrorCode, operationalError, unexpectedError, userError } from '../errors/index.js'

/**
 * Encrypts personal data at rest with AES-256-GCM. A value is stored as
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts): the key id lets old values be read
 * during a key rotation. The field name is bound in as additional authenticated data, so a
 * ciphertext copied into another field does not decrypt. Look-ups use a keyed HMAC of the
 * normalized value (`hash`), never the plaintext.
 */
export interface PiiCipher {
  /** the id of the key new values are encrypted with */
  readonly activeKeyId: string
  encrypt(field: PiiField, plaintext: string): string
  decrypt(field: PiiField, stored: string): string
  /** keyed hash for exact look-ups (e.g. phone → contact); input must already be normalized */
  hash(field: PiiHashField, normalized: string): string
  /** the key id a stored value was encrypted with */
  keyIdOf(stored: string): string
}

export type PiiField =
  | 'contact.name'
  | 'contact.email'
  | 'contact.phone'
  | 'contact.address'
  | 'identity.address'
  | 'plugin.secrets'
  | 'webhook.secret'
  | 'webhook.payload'
export type PiiHashField = 'email' | 'phone' | `identity:${string}`

export function createPiiCipher(keys: Array<{ id: string; key: Buffer }>, hashKey: Buffer): PiiCipher {
  const active = keys[0]
  if (!active)
    throw userError(
      ErrorCode.PII_KEY_MISSING,
      'No PII encryption key is configured (SWITCHBOARD_PII_KEYS or secrets.json)',
    )
  const byId = new Map(keys.map((k) => [k.id, k.key]))

  return {
    activeKeyId: active.id,
    encrypt(field, plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', active.key, iv)
      cipher.setAAD(Buffer.from(field))
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return [
        'v1',
        active.id,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        ciphertext.toString('base64url'),
      ].join('.')
    },
    decrypt(field, stored) {
      const parts = stored.split('.')
      if (parts.length !== 5 || parts[0] !== 'v1')
        throw unexpectedError(ErrorCode.PII_DECRYPT_FAILED, `A ${field} value is not in the v1 encrypted format`)
      const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string]
      const key = byId.get(keyId)
      if (!key) {
        throw operationalError(
          ErrorCode.PII_KEY_MISSING,
          `A ${field} value was encrypted with key "${keyId}", which is not in the keyring; restore that key to SWITCHBOARD_PII_KEYS or secrets.json`,
        )
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
        decipher.setAAD(Buffer.from(field))
        decipher.setAuthTag(Buffer.from(tag, 'base64url'))
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')
      } catch (error) {
        throw unexpectedError(
          ErrorCode.PII_DECRYPT_FAILED,
          `A ${field} value failed authentication with key "${keyId}" (tampered, or the wrong key)`,
          { cause: error },
        )
      }
    },
    hash(field, normalized) {
      return createHmac('sha256', hashKey).update(`${field}\u0000${normalized}`).digest('base64url')
    },
    keyIdOf(stored) {
      return stored.split('.')[1] ?? ''
    },
  }
}
