import { isPluginError, pluginError, type PluginErrorData } from '@switchboard/plugin-sdk/runtime'

/** The error codes this plugin throws; README.md says what each means and what to do. */
export const kuaidi100ErrorCodes = {
  /** 503 验证签名失败, 701 key 缺失, or an account Kuaidi100 has not authorised */
  authFailed: 'SB_ERR_LOGISTICS_AUTH_FAILED',
  /** 601: the key expired or the account has no queries left */
  quotaExhausted: 'SB_ERR_LOGISTICS_QUOTA_EXHAUSTED',
  /** 408: this carrier (SF, ZTO…) needs the sender's or recipient's phone number */
  phoneRequired: 'SB_ERR_LOGISTICS_PHONE_REQUIRED',
  /** 400: an unknown carrier code or a request Kuaidi100 will not take */
  invalidRequest: 'SB_ERR_LOGISTICS_INVALID_REQUEST',
  /** timeouts, network failures, 501/502 and HTTP 5xx: the same call may work later */
  unavailable: 'SB_ERR_LOGISTICS_UNAVAILABLE',
  /** an answer that is not what the API documents */
  badResponse: 'SB_ERR_LOGISTICS_BAD_RESPONSE',
} as const

/** An error thrown while calling Kuaidi100, as plain coded data. */
export type Kuaidi100Error = Error & PluginErrorData

/**
 * Turns a failed `ctx.fetch` into a retryable error, keeping the host's own refusals (a host not
 * in permissions.hosts) as they are: retrying those cannot help.
 */
export function fetchFailed(error: unknown): Kuaidi100Error {
  if (isPluginError(error) && error.code !== 'SB_ERR_PLUGIN_FETCH_FAILED' && !error.retryable)
    return error as Kuaidi100Error
  const reason = String((error as { message?: unknown })?.message ?? error)
  return pluginError(kuaidi100ErrorCodes.unavailable, `Kuaidi100 did not answer: ${reason}`, {
    retryable: true,
    details: { reason },
  })
}

/**
 * What a Kuaidi100 error body `{ result: false, returnCode, message }` means (codes from the
 * real-time query and carrier-detection documents).
 */
export function returnCodeError(returnCode: string, message: string): Kuaidi100Error {
  const details = { returnCode, message }
  const text = `Kuaidi100 refused the request (${returnCode} ${message})`
  switch (returnCode) {
    case '503':
    case '701':
      return pluginError(kuaidi100ErrorCodes.authFailed, `${text}: check the customer ID and key.`, { details })
    case '601':
      return pluginError(kuaidi100ErrorCodes.quotaExhausted, `${text}: the key expired or has no queries left.`, {
        details,
      })
    case '408':
      return pluginError(
        kuaidi100ErrorCodes.phoneRequired,
        `${text}: this carrier needs the sender's or recipient's phone number (or its last 4 digits).`,
        { details },
      )
    case '400':
      // Kuaidi100 uses 400 both for a bad carrier code and for an account it has not authorised.
      return /授权/.test(message)
        ? pluginError(kuaidi100ErrorCodes.authFailed, `${text}: check the customer ID and the account's plan.`, {
            details,
          })
        : pluginError(kuaidi100ErrorCodes.invalidRequest, `${text}: check the carrier code.`, { details })
    case '501':
    case '502':
      return pluginError(kuaidi100ErrorCodes.unavailable, `${text}; try again later.`, { retryable: true, details })
    default:
      return pluginError(kuaidi100ErrorCodes.badResponse, text, { details })
  }
}
