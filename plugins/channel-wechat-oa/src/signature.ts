import type { WechatContext } from './wechat-context.js'

/**
 * WeChat's callback signature: SHA1 (hex) of the parts sorted in dictionary order and joined.
 * The URL signature signs [token, timestamp, nonce]; safe mode's msg_signature adds the Encrypt text.
 *
 * @example
 * ```ts
 * const expected = await wechatSignature(ctx.crypto.sha1, [token, query.timestamp, query.nonce])
 * ```
 */
export async function wechatSignature(sha1: (text: string) => Promise<string>, parts: string[]): Promise<string> {
  return sha1([...parts].sort().join(''))
}

/** Compares two signatures in time independent of where they differ. */
export function sameSignature(expected: string, given: string | undefined): boolean {
  if (given === undefined || given.length !== expected.length) return false
  const [a, b] = [expected.toLowerCase(), given.toLowerCase()]
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return difference === 0
}

/**
 * True when a callback's `signature` query parameter is WeChat's signature of the configured
 * token with its `timestamp` and `nonce`: the request comes from WeChat (or someone with the token).
 *
 * @example
 * ```ts
 * if (!(await hasValidUrlSignature(ctx, request.query))) return { status: 403, body: 'invalid signature' }
 * ```
 */
export async function hasValidUrlSignature(ctx: WechatContext, query: Record<string, string>): Promise<boolean> {
  const { signature, timestamp, nonce } = query
  if (!signature || !timestamp || nonce === undefined) return false
  const expected = await wechatSignature(ctx.crypto.sha1, [ctx.secrets.token, timestamp, nonce])
  return sameSignature(expected, signature)
}
