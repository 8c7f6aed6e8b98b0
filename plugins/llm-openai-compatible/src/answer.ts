import { createChatCompletion } from './chat-completion.js'
import type { ActionInput, ActionOutput, LlmContext } from './context.js'
import { parseModelJson } from './model-json.js'
import { answerPrompt } from './prompts.js'

/**
 * `llm.answer`: answers only from the passages. An answer must cite at least one of the given
 * passage ids; an uncited answer, a null answer or a reply that is not JSON all come back as
 * `answer: null`, so a customer never gets text the knowledge base does not back.
 */
export async function answer(input: ActionInput<'answer'>, ctx: LlmContext): Promise<ActionOutput<'answer'>> {
  if (input.passages.length === 0) return { answer: null, citations: [] }
  const language = input.language ?? ctx.config.language
  const messages = answerPrompt(input.question, input.passages, language)
  const { text } = await createChatCompletion(ctx, { messages, temperature: 0, maxTokens: 800, json: true })
  const reply = parseModelJson(text)
  if (!reply) {
    ctx.log.warn('answer: the model did not reply with JSON', { reply: text.slice(0, 200) })
    return { answer: null, citations: [] }
  }
  const known = new Set(input.passages.map((p) => p.id))
  const cited = Array.isArray(reply.citations) ? reply.citations.map((c) => String(c).replace(/^\[|\]$/g, '')) : []
  const citations = [...new Set(cited.filter((id) => known.has(id)))]
  const said = typeof reply.answer === 'string' ? reply.answer.trim() : ''
  if (said === '' || citations.length === 0) {
    if (said !== '') ctx.log.info('answer: dropped an answer that cites no given passage', { cited })
    return { answer: null, citations: [] }
  }
  return { answer: said, citations }
}
