import { pluginError } from '@switchboard/plugin-sdk/runtime'
import type { WechatContext } from './wechat-context.js'

/** What WeChat's JSON APIs answer: `errcode` 0 or absent on success, plus the call's own fields. */
export interface WechatReply {
  errcode?: number
  errmsg?: string
  [field: string]: unknown
}

const TIMEOUT_MS = 10_000

function queryString(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&')
}

/**
 * Calls one WeChat API path under `config.apiBase` (GET, or POST with a JSON body) and answers
 * its JSON whatever the errcode, which the caller interprets. An HTTP failure or a body that is
 * not JSON throws SB_ERR_WECHAT_UNAVAILABLE (retryable); the host's own fetch errors (a host not
 * declared, a network failure) pass through unchanged.
 *
 * @example
 * ```ts
 * const reply = await callWechat(ctx, '/cgi-bin/message/custom/send', { access_token }, payload)
 * ```
 */
export async function callWechat(
  ctx: WechatContext,
  path: string,
  query: Record<string, string>,
  body?: unknown,
): Promise<WechatReply> {
  const url = `${ctx.config.apiBase.replace(/\/+$/, '')}${path}?${queryString(query)}`
  const response = await ctx.fetch(
    url,
    body === undefined
      ? { method: 'GET', timeoutMs: TIMEOUT_MS }
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(body),
          timeoutMs: TIMEOUT_MS,
        },
  )
  const text = await response.text()
  const unavailable = (why: string) =>
    pluginError('SB_ERR_WECHAT_UNAVAILABLE', `WeChat ${path} ${why}`, {
      retryable: true,
      details: { status: response.status },
    })
  if (!response.ok) throw unavailable(`answered HTTP ${response.status}`)
  let reply: unknown
  try {
    reply = JSON.parse(text)
  } catch {
    throw unavailable('answered something that is not JSON')
  }
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) throw unavailable('answered a non-object')
  return reply as WechatReply
}
