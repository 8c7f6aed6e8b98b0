import type { ChatMessage, PluginResponse } from '@switchboard/plugin-sdk/runtime'
import type { LlmContext } from './context.js'
import { fetchFailure, readErrorBody, upstreamError } from './upstream-error.js'

/** One call to `POST {baseUrl}/chat/completions`, in the plugin's own terms. */
export interface ChatRequest {
  messages: ChatMessage[]
  /** defaults to the configured temperature */
  temperature?: number
  maxTokens?: number
  /** ask for `response_format: { type: 'json_object' }` (when the config allows it) */
  json?: boolean
}

/** `{baseUrl}{path}` without doubled slashes (admins paste base URLs with and without one). */
export function apiUrl(ctx: LlmContext, path: string): string {
  return ctx.config.baseUrl.replace(/\/+$/, '') + path
}

/** The request headers; no Authorization header at all when no key is set (a local Ollama). */
export function apiHeaders(ctx: LlmContext, accept: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept }
  if (ctx.secrets.apiKey) headers.authorization = `Bearer ${ctx.secrets.apiKey}`
  return headers
}

function requestBody(ctx: LlmContext, request: ChatRequest, stream: boolean, json: boolean): string {
  return JSON.stringify({
    model: ctx.config.model,
    messages: request.messages,
    temperature: request.temperature ?? ctx.config.temperature,
    ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}),
    stream,
    ...(json ? { response_format: { type: 'json_object' } } : {}),
  })
}

async function send(ctx: LlmContext, body: string, stream: boolean): Promise<PluginResponse> {
  try {
    return await ctx.fetch(apiUrl(ctx, '/chat/completions'), {
      method: 'POST',
      headers: apiHeaders(ctx, stream ? 'text/event-stream' : 'application/json'),
      body,
      timeoutMs: ctx.config.timeoutMs,
    })
  } catch (error) {
    throw fetchFailure(error, ctx.config.timeoutMs)
  }
}

/**
 * Sends a Chat Completions request and returns the successful response, or throws a coded
 * error. JSON mode is not offered by every model behind a compatible API, so a 400 to a
 * request that asked for it is retried once without it.
 */
export async function postChatCompletion(
  ctx: LlmContext,
  request: ChatRequest,
  stream: boolean,
): Promise<PluginResponse> {
  const json = request.json === true && ctx.config.jsonMode
  let response = await send(ctx, requestBody(ctx, request, stream, json), stream)
  if (response.status === 400 && json) {
    ctx.log.warn('the LLM API refused a JSON-mode request; retrying without response_format', {
      model: ctx.config.model,
      upstream: readErrorBody(await response.text()).message,
    })
    response = await send(ctx, requestBody(ctx, request, stream, false), stream)
  }
  if (!response.ok) throw upstreamError(response.status, await response.text(), response.headers)
  return response
}
