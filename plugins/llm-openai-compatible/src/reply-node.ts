import { isPluginError, type NodeOutput } from '@switchboard/plugin-sdk/runtime'
import { createChatCompletion } from './chat-completion.js'
import type { LlmContext, NodeInputOf } from './context.js'
import { replyNodePrompt } from './prompts.js'

/**
 * The `reply` flow node: answers the customer's last message, sends the answer and keeps it in
 * `vars[variable]`, then follows `next`. Without a message to answer, or when the model fails
 * (a coded error: timeout, rate limit, bad key), it follows `error` so the flow can hand over
 * to an agent; the reason goes to the plugin's log.
 */
export async function replyNode(input: NodeInputOf<'reply'>, ctx: LlmContext): Promise<NodeOutput> {
  const text = input.input?.text?.trim()
  if (!text) {
    ctx.log.warn('reply: the customer has not said anything to answer yet')
    return { port: 'error' }
  }
  const messages = replyNodePrompt(text, input.config.instructions, input.channel, ctx.config.language)
  try {
    const { text: reply } = await createChatCompletion(ctx, { messages, maxTokens: 500 })
    const answer = reply.trim()
    if (!answer) {
      ctx.log.warn('reply: the model returned an empty reply')
      return { port: 'error' }
    }
    return { port: 'next', vars: { [input.config.variable]: answer }, messages: [{ text: answer }] }
  } catch (error) {
    if (!isPluginError(error)) throw error
    ctx.log.warn('reply: the model call failed', { code: error.code, message: error.message })
    return { port: 'error' }
  }
}
