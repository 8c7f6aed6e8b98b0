import { streamChatCompletion } from './chat-stream.js'
import type { ActionInput, ActionOutput, LlmContext } from './context.js'
import { summarizePrompt } from './prompts.js'

/** `llm.summarize`: a handover summary of the conversation, streamed through `ctx.progress`. */
export async function summarize(input: ActionInput<'summarize'>, ctx: LlmContext): Promise<ActionOutput<'summarize'>> {
  const messages = summarizePrompt(input.transcript, input.language ?? ctx.config.language)
  const { text } = await streamChatCompletion(ctx, { messages, maxTokens: 600 }, (soFar) => ctx.progress(soFar))
  return { summary: text.trim() }
}
