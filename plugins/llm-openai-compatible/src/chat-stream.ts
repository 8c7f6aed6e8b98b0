import { pluginError, type PluginResponse } from '@switchboard/plugin-sdk/runtime'
import { readCompletion, type ChatResult } from './chat-completion.js'
import { postChatCompletion, type ChatRequest } from './chat-request.js'
import type { LlmContext } from './context.js'
import { createSseParser } from './sse-parser.js'
import { readErrorBody } from './upstream-error.js'

/** A bound on what one streamed reply may add up to, so a runaway stream cannot fill the heap. */
const MAX_STREAM_CHARS = 2_000_000

interface StreamChunk {
  model?: unknown
  error?: unknown
  choices?: Array<{ delta?: { content?: unknown }; finish_reason?: unknown }>
}

function parseChunk(data: string): StreamChunk {
  try {
    return JSON.parse(data) as StreamChunk
  } catch {
    throw pluginError('SB_ERR_LLM_INVALID_RESPONSE', 'The LLM API streamed an event that is not JSON', {
      retryable: true,
      details: { data: data.slice(0, 200) },
    })
  }
}

/**
 * Reads a streamed Chat Completions body (`data: {"choices":[{"delta":{"content":"…"}}]}` events
 * ending with `data: [DONE]`), calling `onText` with the text so far after every delta. A body
 * that stops before `[DONE]` and without a `finish_reason` was cut off and is an error.
 */
export async function readCompletionStream(
  response: PluginResponse,
  onText: (textSoFar: string) => void,
): Promise<ChatResult> {
  const sse = createSseParser()
  let text = ''
  let model: string | undefined
  let received = 0
  let finished = false
  const handle = (data: string): void => {
    if (finished) return
    if (data.trim() === '[DONE]') {
      finished = true
      return
    }
    const chunk = parseChunk(data)
    if (chunk.error !== undefined) {
      const message = readErrorBody(JSON.stringify({ error: chunk.error })).message ?? 'unknown error'
      throw pluginError('SB_ERR_LLM_UPSTREAM', `The LLM API failed while streaming: ${message}`, { retryable: true })
    }
    if (typeof chunk.model === 'string') model = chunk.model
    const choice = chunk.choices?.[0]
    const delta = choice?.delta?.content
    if (typeof delta === 'string' && delta !== '') {
      text += delta
      onText(text)
    }
    if (typeof choice?.finish_reason === 'string') finished = true
  }
  for await (const piece of response.chunks()) {
    received += piece.length
    if (received > MAX_STREAM_CHARS)
      throw pluginError('SB_ERR_LLM_RESPONSE_TOO_LARGE', `The streamed reply passed ${MAX_STREAM_CHARS} characters`)
    for (const data of sse.push(piece)) handle(data)
    if (finished) break
  }
  if (!finished) for (const data of sse.end()) handle(data)
  if (!finished)
    throw pluginError('SB_ERR_LLM_UPSTREAM', 'The LLM stream ended before [DONE]: the reply was cut off', {
      retryable: true,
      details: { partial: text.slice(0, 200) },
    })
  return { text, model }
}

/**
 * Asks the model with `stream: true` and reports the reply as it is written. Servers that
 * ignore `stream` and answer with one JSON body are handled too.
 *
 * @example
 * ```ts
 * const { text } = await streamChatCompletion(ctx, { messages }, (soFar) => ctx.progress(soFar))
 * ```
 */
export async function streamChatCompletion(
  ctx: LlmContext,
  request: ChatRequest,
  onText: (textSoFar: string) => void,
): Promise<ChatResult> {
  const response = await postChatCompletion(ctx, request, true)
  if ((response.headers['content-type'] ?? '').includes('application/json')) {
    const { text, model } = readCompletion(await response.text())
    if (text !== '') onText(text)
    return { text, model }
  }
  return readCompletionStream(response, onText)
}
