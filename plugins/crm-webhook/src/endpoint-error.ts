import { isPluginError, pluginError } from '@switchboard/plugin-sdk/runtime'

/** The message of an error body `{ "error": { "message" } }`, or the start of a plain-text body. */
function messageOf(bodyText: string): string | undefined {
  try {
    const error = (JSON.parse(bodyText) as { error?: { message?: unknown } | string })?.error
    if (typeof error === 'string') return error
    if (typeof error?.message === 'string') return error.message
  } catch {
    /* not JSON: use the text */
  }
  return bodyText.trim().slice(0, 300) || undefined
}

/**
 * Turns an unsuccessful answer of the endpoint into a coded error. 401/403 mean the endpoint
 * refused the signature (wrong secret or a clock more than 5 minutes off); 429 and 5xx are
 * worth retrying; any other status is a problem with the integration.
 */
export function endpointError(status: number, bodyText: string) {
  const upstream = messageOf(bodyText)
  const details = { status, upstreamMessage: upstream }
  const suffix = upstream ? `: ${upstream}` : ''
  if (status === 401 || status === 403)
    return pluginError(
      'SB_ERR_CRM_SIGNATURE_REJECTED',
      `The CRM endpoint refused the request signature (${status}); check that both sides use the same signingSecret and that the server clocks are right${suffix}`,
      { details },
    )
  if (status === 429)
    return pluginError('SB_ERR_CRM_RATE_LIMITED', `The CRM endpoint is rate limiting requests${suffix}`, {
      retryable: true,
      details,
    })
  if (status >= 500)
    return pluginError('SB_ERR_CRM_UPSTREAM', `The CRM endpoint failed (${status})${suffix}`, {
      retryable: true,
      details,
    })
  return pluginError('SB_ERR_CRM_BAD_REQUEST', `The CRM endpoint refused the request (${status})${suffix}`, { details })
}

/**
 * Turns what `ctx.fetch` threw into a coded error: the host reports network failures and
 * timeouts as SB_ERR_PLUGIN_FETCH_FAILED; its other errors (a host not allowed) pass unchanged.
 */
export function fetchFailure(error: unknown, timeoutMs: number) {
  if (isPluginError(error) && error.code !== 'SB_ERR_PLUGIN_FETCH_FAILED') return error
  const e = error as { name?: unknown; message?: unknown; details?: { reason?: unknown } } | undefined
  const text = `${String(e?.name ?? '')} ${String(e?.message ?? '')} ${String(e?.details?.reason ?? '')}`
  if (/timeout|timed out|aborted/i.test(text))
    return pluginError('SB_ERR_CRM_TIMEOUT', `The CRM endpoint did not answer within ${timeoutMs} ms`, {
      retryable: true,
      details: { timeoutMs },
    })
  return pluginError(
    'SB_ERR_CRM_UNREACHABLE',
    `The CRM endpoint could not be reached: ${String(e?.message ?? error)}`,
    {
      retryable: true,
    },
  )
}
