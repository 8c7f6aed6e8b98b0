import { isPluginError, pluginError } from '@switchboard/plugin-sdk/runtime'

/** The error body OpenAI-compatible servers send: `{ error: { message, type, code } }`. */
export interface UpstreamErrorBody {
  message?: string
  type?: string
  code?: string | number | null
}

/** Reads `{ error: {...} }` from a response body; tolerates plain-text bodies (proxies, gateways). */
export function readErrorBody(text: string): UpstreamErrorBody {
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown }
    const error = parsed?.error
    if (error && typeof error === 'object') {
      const e = error as Record<string, unknown>
      return {
        message: typeof e.message === 'string' ? e.message : undefined,
        type: typeof e.type === 'string' ? e.type : undefined,
        code: typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined,
      }
    }
    if (typeof error === 'string') return { message: error }
    if (typeof parsed?.message === 'string') return { message: parsed.message }
  } catch {
    /* not JSON: fall through to the raw text */
  }
  return { message: text.trim().slice(0, 300) || undefined }
}

/**
 * Turns an unsuccessful Chat Completions response into a coded error. 429 and 5xx are
 * retryable; an exhausted balance (DeepSeek 402, OpenAI 429 insufficient_quota) is not,
 * because retrying cannot help until someone tops up the account.
 */
export function upstreamError(status: number, bodyText: string, headers: Record<string, string> = {}) {
  const body = readErrorBody(bodyText)
  const upstream = body.message ?? `HTTP ${status}`
  const details = { status, type: body.type, code: body.code, upstreamMessage: body.message }
  if (status === 401 || status === 403)
    return pluginError('SB_ERR_LLM_AUTH_FAILED', `The LLM API refused the API key (${status}): ${upstream}`, {
      details,
    })
  if (status === 402 || (status === 429 && body.code === 'insufficient_quota'))
    return pluginError('SB_ERR_LLM_QUOTA_EXCEEDED', `The LLM account has no balance or quota left: ${upstream}`, {
      details,
    })
  if (status === 429) {
    const retryAfterSeconds = Number(headers['retry-after'])
    return pluginError('SB_ERR_LLM_RATE_LIMITED', `The LLM API is rate limiting requests: ${upstream}`, {
      retryable: true,
      details: { ...details, retryAfterSeconds: Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : undefined },
    })
  }
  if (status === 404)
    return pluginError(
      'SB_ERR_LLM_NOT_FOUND',
      `The LLM API has no such model or path (404), check baseUrl and model: ${upstream}`,
      {
        details,
      },
    )
  if (status >= 500)
    return pluginError('SB_ERR_LLM_UPSTREAM', `The LLM API failed (${status}): ${upstream}`, {
      retryable: true,
      details,
    })
  return pluginError('SB_ERR_LLM_BAD_REQUEST', `The LLM API rejected the request (${status}): ${upstream}`, { details })
}

/**
 * Turns what `ctx.fetch` threw into a coded error. The host reports network failures and
 * timeouts as SB_ERR_PLUGIN_FETCH_FAILED; other host errors (a host not allowed) are passed on
 * unchanged, because they are configuration problems, not the model's.
 */
export function fetchFailure(error: unknown, timeoutMs: number) {
  if (isPluginError(error) && error.code !== 'SB_ERR_PLUGIN_FETCH_FAILED') return error
  const e = error as { name?: unknown; message?: unknown; details?: { reason?: unknown } } | undefined
  const text = `${String(e?.name ?? '')} ${String(e?.message ?? '')} ${String(e?.details?.reason ?? '')}`
  if (/timeout|timed out|aborted/i.test(text))
    return pluginError('SB_ERR_LLM_TIMEOUT', `The LLM API did not answer within ${timeoutMs} ms`, {
      retryable: true,
      details: { timeoutMs },
    })
  return pluginError('SB_ERR_LLM_UNREACHABLE', `The LLM API could not be reached: ${String(e?.message ?? error)}`, {
    retryable: true,
  })
}
