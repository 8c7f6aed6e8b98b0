import { pluginError } from '@switchboard/plugin-sdk/runtime'
import { createChatCompletion } from './chat-completion.js'
import type { ActionInput, ActionOutput, LlmContext } from './context.js'
import { parseModelJson } from './model-json.js'
import { sentimentPrompt } from './prompts.js'

type Label = ActionOutput<'sentiment'>['label']
const labels: readonly Label[] = ['positive', 'neutral', 'negative']

/** The label a score implies, for replies that give a score but no usable label. */
function labelOf(score: number): Label {
  return score > 0.25 ? 'positive' : score < -0.25 ? 'negative' : 'neutral'
}

/**
 * `llm.sentiment`: a label and a score in [-1, 1]. A missing score is taken from the label
 * (±0.7 or 0) and a missing label from the score; a reply with neither is an error worth
 * retrying, since there is no honest default.
 */
export async function sentiment(input: ActionInput<'sentiment'>, ctx: LlmContext): Promise<ActionOutput<'sentiment'>> {
  const messages = sentimentPrompt(input.text, ctx.config.language)
  const { text } = await createChatCompletion(ctx, { messages, temperature: 0, maxTokens: 60, json: true })
  const reply = parseModelJson(text)
  const said = typeof reply?.label === 'string' ? reply.label.trim().toLowerCase() : ''
  const label = labels.find((l) => l === said)
  const rawScore = typeof reply?.score === 'string' ? Number(reply.score) : reply?.score
  const score = typeof rawScore === 'number' && Number.isFinite(rawScore) ? Math.min(1, Math.max(-1, rawScore)) : null
  if (label && score !== null) return { label, score }
  if (label) return { label, score: label === 'positive' ? 0.7 : label === 'negative' ? -0.7 : 0 }
  if (score !== null) return { label: labelOf(score), score }
  throw pluginError('SB_ERR_LLM_INVALID_RESPONSE', 'The model did not return a sentiment label or score', {
    retryable: true,
    details: { reply: text.slice(0, 200) },
  })
}
