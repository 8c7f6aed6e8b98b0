import { pluginError } from '@switchboard/plugin-sdk/runtime'
import { callWechat } from './wechat-api.js'
import type { WechatContext } from './wechat-context.js'
import { wechatError } from './wechat-error.js'

const KEY = 'access-token'

interface StoredToken {
  token: string
  /** ms since the epoch, a few minutes before WeChat's own expiry */
  refreshAfter: number
  /** which account (AppID, AppSecret, API base) the token belongs to, hashed */
  account: string
}

function isStoredToken(value: unknown): value is StoredToken {
  const v = value as Partial<StoredToken> | null | undefined
  return typeof v?.token === 'string' && typeof v.refreshAfter === 'number' && typeof v.account === 'string'
}

async function fetchToken(ctx: WechatContext, account: string): Promise<string> {
  const reply = await callWechat(ctx, '/cgi-bin/token', {
    grant_type: 'client_credential',
    appid: ctx.config.appId,
    secret: ctx.secrets.appSecret,
  })
  if (reply.errcode) throw wechatError(reply.errcode, String(reply.errmsg ?? ''), 'token')
  if (typeof reply.access_token !== 'string' || reply.access_token === '')
    throw pluginError('SB_ERR_WECHAT_UNAVAILABLE', 'WeChat /cgi-bin/token answered without an access_token', {
      retryable: true,
    })
  const expiresIn = typeof reply.expires_in === 'number' && reply.expires_in > 0 ? reply.expires_in : 7200
  // WeChat keeps the previous token valid for 5 minutes after a refresh: refresh that early
  const margin = Math.min(300, Math.floor(expiresIn / 5))
  const stored: StoredToken = {
    token: reply.access_token,
    refreshAfter: Date.now() + (expiresIn - margin) * 1000,
    account,
  }
  try {
    await ctx.kv.set(KEY, stored, { ttlSeconds: expiresIn })
  } catch (error) {
    ctx.log.warn('could not cache the access token; the next call fetches another', { error: String(error) })
  }
  ctx.log.info('fetched a WeChat access token', { expiresIn })
  return reply.access_token
}

/**
 * The account's access token: the one kept in `ctx.kv` while it has more than a few minutes
 * left, else a new one from `/cgi-bin/token`. Pass the token WeChat just `rejected` (40001/42001)
 * to get a newer one: the cached token if another call already refreshed it, or a fresh fetch.
 *
 * @example
 * ```ts
 * const token = await accessToken(ctx)
 * const fresh = await accessToken(ctx, { rejected: token })
 * ```
 */
export async function accessToken(ctx: WechatContext, options: { rejected?: string } = {}): Promise<string> {
  const account = await ctx.crypto.sha256(`${ctx.config.apiBase}\n${ctx.config.appId}\n${ctx.secrets.appSecret}`)
  const stored = await ctx.kv.get(KEY)
  if (
    isStoredToken(stored) &&
    stored.account === account &&
    stored.token !== options.rejected &&
    stored.refreshAfter > Date.now()
  )
    return stored.token
  return fetchToken(ctx, account)
}
