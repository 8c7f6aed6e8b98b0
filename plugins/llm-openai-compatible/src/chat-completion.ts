import { pluginError } from '@switchboard/plugin-sdk/runtime'
import { postChatCompletion, type ChatRequest } from './chat-request.js'
import type { LlmContext } from './context.js'

/** The model's reply to one non-streamed request. */
export interface ChatResult {
  text: string
  model?: string
}

/** Reads `choices[0].message.content` (and `model`, `usage`) from a Chat Completions body. */
export function readCompletion(bodyText: string): ChatResult & { usage?: unknown } {
  let body: { model?: unknown; usage?: unknown; choices?: Array<{ message?: { content?: unknown } }> }
  try {
    body = JSON.parse(bodyText) as typeof body
  } catch {
    throw pluginError('SB_ERR_LLM_INVALID_RESPONSE', 'The LLM API answered with something that is not JSON', {
      retryable: true,
      details: { body: bodyText.slice(0, 200) },
    })
  }
  const content = body?.choices?.[0]?.message?.content
  if (typeof content !== 'string')
    throw pluginError('SB_ERR_LLM_INVALID_RESPONSE', 'The LLM API response has no choices[0].message.content', {
      retryable: true,
    })
  return { text: content, model: typeof body.model === 'string' ? body.model : undefined, usage: body.usage }
}

/**
 * Asks the model once and waits for the whole reply.
 *
 * @example
 * ```ts
 * const { text } = await createChatCompletion(ctx, { messages: [{ role: 'user', content: 'Hi' }] })
 * ```
 */
export async function createChatCompletion(ctx: LlmContext, request: ChatRequest): Promise<ChatResult> {
  const response = await postChatCompletion(ctx, request, false)
  const { text, model, usage } = readCompletion(await response.text())
  ctx.log.debug('llm completion', { model, usage })
  return { text, model }
}
