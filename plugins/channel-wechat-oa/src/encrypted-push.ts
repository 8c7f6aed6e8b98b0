import { decryptAes256Cbc } from './aes-256-cbc.js'
import { decodeBase64 } from './base64.js'
import { decodeUtf8 } from './utf8.js'

/** The decrypted XML of a safe-mode push, or why it could not be decrypted. */
export type DecryptResult = { ok: true; xml: string } | { ok: false; error: string }

// WeChat pads with PKCS#7 to a multiple of 32 bytes, not AES's 16
const WECHAT_BLOCK = 32

/**
 * Decrypts the `<Encrypt>` text of a safe-mode (安全模式) push as WeChat documents it:
 * AESKey = Base64_Decode(EncodingAESKey + "="), AES-256-CBC with the key's first 16 bytes as IV,
 * plaintext = random(16 B) + msg_len (4 B, big-endian) + msg + AppID. The AppID at the end must
 * be this account's.
 *
 * @example
 * ```ts
 * const result = decryptPush(fields.Encrypt, ctx.secrets.encodingAesKey, ctx.config.appId)
 * if (result.ok) readPushFields(result.xml)
 * ```
 */
export function decryptPush(encrypted: string, encodingAesKey: string, appId: string): DecryptResult {
  const key = decodeBase64(`${encodingAesKey}=`)
  if (!key || key.length !== 32) return { ok: false, error: 'encodingAesKey is not a 43-character EncodingAESKey' }
  const data = decodeBase64(encrypted)
  if (!data) return { ok: false, error: 'Encrypt is not base64' }
  const plain = decryptAes256Cbc(key, key.subarray(0, 16), data)
  if (!plain) return { ok: false, error: 'Encrypt is not whole AES blocks' }
  const pad = plain[plain.length - 1]!
  const content = plain.subarray(16, plain.length - (pad >= 1 && pad <= WECHAT_BLOCK ? pad : 0))
  if (content.length < 4) return { ok: false, error: 'the decrypted message is too short' }
  const length = ((content[0]! << 24) | (content[1]! << 16) | (content[2]! << 8) | content[3]!) >>> 0
  if (4 + length > content.length)
    return { ok: false, error: 'the decrypted length does not fit: is encodingAesKey the one in the WeChat console?' }
  const receivedAppId = decodeUtf8(content.subarray(4 + length))
  if (receivedAppId !== appId)
    return { ok: false, error: `the message was encrypted for another AppID (${receivedAppId.slice(0, 40)})` }
  return { ok: true, xml: decodeUtf8(content.subarray(4, 4 + length)) }
}
