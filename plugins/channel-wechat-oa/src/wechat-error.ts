import { pluginError, type PluginErrorData } from '@switchboard/plugin-sdk/runtime'

interface ErrorClass {
  code: string
  retryable: boolean
  hint: string
}

const busy: ErrorClass = { code: 'SB_ERR_WECHAT_BUSY', retryable: true, hint: 'WeChat is busy; try again shortly' }
const badCredentials: ErrorClass = {
  code: 'SB_ERR_WECHAT_BAD_CREDENTIALS',
  retryable: false,
  hint: 'WeChat refused the AppID or AppSecret: copy both again from 设置与开发 › 基本配置',
}
const ipNotAllowed: ErrorClass = {
  code: 'SB_ERR_WECHAT_IP_NOT_ALLOWED',
  retryable: false,
  hint: "this server's IP address is not in the account's IP allowlist (IP白名单) or awaits the admin's confirmation",
}
const tokenRejected: ErrorClass = {
  code: 'SB_ERR_WECHAT_TOKEN_REJECTED',
  retryable: true,
  hint: 'WeChat rejected a freshly fetched access token; is another system fetching tokens with the same AppSecret?',
}
const windowExpired: ErrorClass = {
  code: 'SB_ERR_WECHAT_REPLY_WINDOW_EXPIRED',
  retryable: false,
  hint: 'the customer has not written for 48 hours (or unfollowed); WeChat allows customer-service messages only within 48 hours of their last message',
}
const replyLimit: ErrorClass = {
  code: 'SB_ERR_WECHAT_REPLY_LIMIT_REACHED',
  retryable: false,
  hint: 'WeChat allows only a few customer-service messages per customer message (5 within 48 hours); wait for the customer to write again',
}
const rateLimited: ErrorClass = {
  code: 'SB_ERR_WECHAT_RATE_LIMITED',
  retryable: true,
  hint: "the account's API call quota is used up for now",
}
const recipientInvalid: ErrorClass = {
  code: 'SB_ERR_WECHAT_RECIPIENT_INVALID',
  retryable: false,
  hint: "the OpenID is not one of this account's followers, or they blocked the account",
}
const messageRejected: ErrorClass = {
  code: 'SB_ERR_WECHAT_MESSAGE_REJECTED',
  retryable: false,
  hint: 'WeChat refused the message itself (too long, an unknown media_id, an unsupported type)',
}
const notPermitted: ErrorClass = {
  code: 'SB_ERR_WECHAT_NOT_PERMITTED',
  retryable: false,
  hint: 'the account may not use this API (unverified account, test account, or the permission is off)',
}

const TOKEN_ENDPOINT: Record<number, ErrorClass> = {
  40001: badCredentials,
  40013: badCredentials,
  40125: badCredentials,
  41004: badCredentials,
  40164: ipNotAllowed,
  61004: ipNotAllowed,
  89501: ipNotAllowed,
  89503: ipNotAllowed,
  89506: ipNotAllowed,
  89507: ipNotAllowed,
}

const API: Record<number, ErrorClass> = {
  40001: tokenRejected,
  40014: tokenRejected,
  41001: tokenRejected,
  42001: tokenRejected,
  40164: ipNotAllowed,
  45015: windowExpired,
  45047: replyLimit,
  45009: rateLimited,
  45011: rateLimited,
  40003: recipientInvalid,
  43004: recipientInvalid,
  43019: recipientInvalid,
  40007: messageRejected,
  40008: messageRejected,
  44002: messageRejected,
  44003: messageRejected,
  44004: messageRejected,
  45002: messageRejected,
  47001: messageRejected,
  40200: notPermitted,
  48001: notPermitted,
  50001: notPermitted,
  50002: notPermitted,
}

/**
 * Turns WeChat's `{ errcode, errmsg }` into a coded plugin error: the flow engine retries the
 * retryable ones (-1 busy, quota), the rest carry what an admin or agent can do about them.
 * `details` keeps WeChat's own errcode and errmsg.
 *
 * @example
 * ```ts
 * throw wechatError(45015, 'response out of time limit', 'api') // SB_ERR_WECHAT_REPLY_WINDOW_EXPIRED
 * ```
 */
export function wechatError(errcode: number, errmsg: string, endpoint: 'token' | 'api'): Error & PluginErrorData {
  const known = errcode === -1 ? busy : (endpoint === 'token' ? TOKEN_ENDPOINT : API)[errcode]
  const { code, retryable, hint } = known ?? {
    code: 'SB_ERR_WECHAT_API_ERROR',
    retryable: false,
    hint: 'WeChat refused the call',
  }
  return pluginError(code, `${hint} (WeChat errcode ${errcode}: ${errmsg})`, {
    retryable,
    details: { errcode, errmsg },
  })
}
