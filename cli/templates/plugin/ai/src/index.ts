import { defineHandlers, pluginError, type ChatMessage, type PluginContext } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'

type Context = PluginContext<{ baseUrl: string; model: string }, { apiKey: string }>

interface CompletionResponse {
  model?: string
  choices?: Array<{ message?: { content?: string } }>
}

/** One call to the OpenAI-compatible Chat Completions API. */
async function chatCompletion(
  ctx: Context,
  request: { messages: ChatMessage[]; temperature?: number; maxTokens?: number },
): Promise<{ text: string; model?: string }> {
  const response = await ctx.fetch(`${ctx.config.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.secrets.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: ctx.config.model,
      messages: request.messages,
      temperature: request.temperature,
      max_tokens: request.maxTokens,
    }),
  })
  if (!response.ok)
    throw pluginError('UPSTREAM_ERROR', `The model API answered ${response.status}`, {
      retryable: response.status === 429 || response.status >= 500,
    })
  const completion = (await response.json()) as CompletionResponse
  const text = completion.choices?.[0]?.message?.content
  if (typeof text !== 'string') throw pluginError('UPSTREAM_ERROR', 'The model API answered without a message')
  return { text, model: completion.model }
}

/**
 * The handlers run in the host's sandbox: ECMAScript built-ins and `ctx` only (no Node, no
 * global fetch). Inputs arrive parsed with the definition's schemas; outputs are checked.
 */
export default defineHandlers<typeof definition>({
  actions: {
    complete: (input, ctx) => chatCompletion(ctx, input),
  },
  nodes: {
    async generateReply({ config, input, vars }, ctx) {
      const question = input?.text ?? (typeof vars.lastMessage === 'string' ? vars.lastMessage : '')
      try {
        const { text } = await chatCompletion(ctx, {
          messages: [
            { role: 'system', content: config.instructions },
            { role: 'user', content: question },
          ],
        })
        return { port: 'next', vars: { [config.saveAs]: text }, messages: config.send ? [{ text }] : [] }
      } catch (error) {
        ctx.log.warn('the model did not answer', { message: (error as Error).message })
        return { port: 'failed' }
      }
    },
  },
})
