import type { WebhookRequest } from '@switchboard/plugin-sdk/runtime'
import { decryptPush } from './encrypted-push.js'
import { readPushFields } from './push-fields.js'
import { sameSignature, wechatSignature } from './signature.js'
import type { WechatContext } from './wechat-context.js'

/** A push's fields, decrypted when WeChat encrypted them, or the status and reason to refuse it with. */
export type ReadPushResult =
  { ok: true; fields: Record<string, string> } | { ok: false; status: 400 | 403; error: string }

/**
 * Reads the XML of a pushed message in any of WeChat's three modes: plaintext (明文模式), compatible
 * (兼容模式: plaintext fields beside `<Encrypt>`) and safe (安全模式: `<Encrypt>` only). An encrypted
 * push needs `encodingAesKey` and a valid `msg_signature` over the token, timestamp, nonce and Encrypt
 * text; a compatible-mode push is read from its plaintext fields when no key is configured.
 *
 * @example
 * ```ts
 * const read = await readPush(request, ctx)
 * if (!read.ok) return plainText(read.status, read.error)
 * ```
 */
export async function readPush(request: WebhookRequest, ctx: WechatContext): Promise<ReadPushResult> {
  const outer = readPushFields(request.body)
  if (!outer.ok) return { ok: false, status: 400, error: outer.error }
  const encrypted = outer.fields.Encrypt
  if (encrypted === undefined) return outer
  const key = ctx.secrets.encodingAesKey
  if (!key) {
    if (outer.fields.MsgType !== undefined) return outer
    return {
      ok: false,
      status: 400,
      error:
        'this push is encrypted (safe mode, 安全模式) but the plugin has no encodingAesKey: add the EncodingAESKey from the WeChat console to the plugin secrets, or switch the account to plaintext mode',
    }
  }
  const { timestamp = '', nonce = '', msg_signature: msgSignature } = request.query
  const expected = await wechatSignature(ctx.crypto.sha1, [ctx.secrets.token, timestamp, nonce, encrypted])
  if (!sameSignature(expected, msgSignature)) return { ok: false, status: 403, error: 'invalid msg_signature' }
  const decrypted = decryptPush(encrypted, key, ctx.config.appId)
  if (!decrypted.ok) return { ok: false, status: 400, error: `cannot decrypt the push: ${decrypted.error}` }
  const inner = readPushFields(decrypted.xml)
  return inner.ok ? inner : { ok: false, status: 400, error: `the decrypted push has ${inner.error}` }
}
