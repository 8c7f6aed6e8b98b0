import { apiHeaders, apiUrl } from './chat-request.js'
import type { LlmContext } from './context.js'
import { fetchFailure, upstreamError } from './upstream-error.js'

/**
 * Checks the saved configuration with `GET {baseUrl}/models`: the server answers, accepts the
 * key, and lists the configured model (when it lists models at all).
 */
export async function healthCheck(ctx: LlmContext): Promise<{ ok: boolean; message?: string }> {
  let response
  try {
    response = await ctx.fetch(apiUrl(ctx, '/models'), {
      headers: apiHeaders(ctx, 'application/json'),
      timeoutMs: ctx.config.timeoutMs,
    })
  } catch (error) {
    return { ok: false, message: fetchFailure(error, ctx.config.timeoutMs).message }
  }
  const body = await response.text()
  if (!response.ok) return { ok: false, message: upstreamError(response.status, body, response.headers).message }
  let ids: string[] = []
  try {
    const data = (JSON.parse(body) as { data?: Array<{ id?: unknown }> }).data
    if (Array.isArray(data)) ids = data.map((m) => m?.id).filter((id): id is string => typeof id === 'string')
  } catch {
    return { ok: true, message: `${ctx.config.baseUrl} answers, but its model list is not JSON` }
  }
  if (ids.length > 0 && !ids.includes(ctx.config.model))
    return {
      ok: false,
      message: `The server does not offer the model "${ctx.config.model}". It offers: ${ids.slice(0, 20).join(', ')}`,
    }
  return { ok: true, message: `Connected to ${ctx.config.baseUrl}; model ${ctx.config.model}` }
}
