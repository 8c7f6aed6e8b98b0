import { createChatCompletion } from './chat-completion.js'
import type { ActionInput, ActionOutput, LlmContext } from './context.js'

/** `llm.complete`: the messages as given, the model's reply as it comes. */
export async function complete(input: ActionInput<'complete'>, ctx: LlmContext): Promise<ActionOutput<'complete'>> {
  const { text, model } = await createChatCompletion(ctx, {
    messages: input.messages,
    temperature: input.temperature,
    maxTokens: input.maxTokens,
  })
  return { text, model: model ?? ctx.config.model }
}
