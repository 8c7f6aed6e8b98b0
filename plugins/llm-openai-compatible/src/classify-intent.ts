import { createChatCompletion } from './chat-completion.js'
import type { ActionInput, ActionOutput, LlmContext } from './context.js'
import { parseModelJson } from './model-json.js'
import { classifyIntentPrompt } from './prompts.js'

/** Clamps what the model said its confidence was to [0, 1]; anything that is not a number is 0.5. */
function confidenceOf(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n)) return 0.5
  return Math.min(1, Math.max(0, n))
}

/**
 * `llm.classifyIntent`: which of the given intents the text expresses. The model may only
 * choose a listed name (matched exactly, else ignoring case and spaces); anything else, and a
 * reply that is not JSON, is "no intent" with confidence 0, so a flow falls through to its
 * fallback instead of failing.
 */
export async function classifyIntent(
  input: ActionInput<'classifyIntent'>,
  ctx: LlmContext,
): Promise<ActionOutput<'classifyIntent'>> {
  const messages = classifyIntentPrompt(input.text, input.intents, ctx.config.language)
  const { text } = await createChatCompletion(ctx, { messages, temperature: 0, maxTokens: 100, json: true })
  const reply = parseModelJson(text)
  if (!reply) {
    ctx.log.warn('classifyIntent: the model did not reply with JSON', { reply: text.slice(0, 200) })
    return { intent: null, confidence: 0 }
  }
  const said = typeof reply.intent === 'string' ? reply.intent.trim() : ''
  const normalize = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '')
  const intent =
    input.intents.find((i) => i.name === said) ?? input.intents.find((i) => normalize(i.name) === normalize(said))
  if (!intent) {
    if (said !== '' && said !== 'null') ctx.log.info('classifyIntent: the model named an unknown intent', { said })
    return { intent: null, confidence: 0 }
  }
  return { intent: intent.name, confidence: confidenceOf(reply.confidence) }
}
