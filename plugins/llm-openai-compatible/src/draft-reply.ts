import { streamChatCompletion } from './chat-stream.js'
import type { ActionInput, ActionOutput, LlmContext } from './context.js'
import { draftReplyPrompt } from './prompts.js'

/** `llm.draftReply`: the agent's next reply, streamed to the caller through `ctx.progress`. */
export async function draftReply(
  input: ActionInput<'draftReply'>,
  ctx: LlmContext,
): Promise<ActionOutput<'draftReply'>> {
  const messages = draftReplyPrompt(input.transcript, input.guidance, input.language ?? ctx.config.language)
  const { text } = await streamChatCompletion(ctx, { messages, maxTokens: 800 }, (soFar) => ctx.progress(soFar))
  return { text: text.trim() }
}
