import { isPluginError, pluginError, type PluginErrorData } from '@switchboard/plugin-sdk/runtime'

/** The error codes this plugin throws; README.md says what each means and what to do. */
export const wooErrorCodes = {
  /** 401/403: the keys are wrong, revoked, lack Read permission, or belong to a user who may not see orders */
  authFailed: 'SB_ERR_ERP_AUTH_FAILED',
  /** timeouts, network failures, 429 and 5xx: the same call may work later */
  unavailable: 'SB_ERR_ERP_UNAVAILABLE',
  /** the address answers, but not with the WooCommerce REST API (wrong baseUrl, plain permalinks) */
  notWooCommerce: 'SB_ERR_ERP_CONFIG_INVALID',
  /** an answer that is not what the API documents */
  badResponse: 'SB_ERR_ERP_BAD_RESPONSE',
} as const

/** An error thrown while calling the shop, as plain coded data. */
export type WooError = Error & PluginErrorData

/**
 * Turns a failed `ctx.fetch` into a retryable error, keeping the host's own refusals (a host not
 * in permissions.hosts) as they are: retrying those cannot help.
 */
export function fetchFailed(error: unknown, shop: string): WooError {
  if (isPluginError(error) && error.code !== 'SB_ERR_PLUGIN_FETCH_FAILED' && !error.retryable) return error as WooError
  const reason = (error as { message?: unknown })?.message
  return pluginError(wooErrorCodes.unavailable, `WooCommerce at ${shop} did not answer: ${String(reason ?? error)}`, {
    retryable: true,
    details: { reason: String(reason ?? error) },
  })
}
