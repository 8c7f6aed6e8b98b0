import type { KbHit, KbService } from '../kb/index.js'
import type { Logger } from '../logger.js'
import type { NluService } from '../nlu/index.js'
import type { PluginsService } from '../plugins/index.js'

export type AiProvider = 'builtin' | 'llm'

/** What flows (and later the console) ask: the same two questions, whoever answers them. */
export interface AiServices {
  classifyIntent(text: string): Promise<{ intent: string | null; confidence: number }>
  searchKnowledgeBase(text: string, limit: number): Promise<Array<KbHit & { citations?: string[] }>>
  /** whether an LLM answers (the admin chose `llm` and an enabled plugin implements it): drafts need one */
  llmAvailable(): boolean
  /** An LLM's draft of the agent's next reply; the provider's error is thrown as it is (a 502). */
  draftReply(input: DraftReplyInput): Promise<{ text: string }>
}

export interface DraftReplyInput {
  transcript: Array<{ from: 'customer' | 'agent' | 'bot'; text: string }>
  guidance?: string
  language?: 'en' | 'zh-CN'
}

/**
 * Intent classification and knowledge-base answers, by the built-in offline models or, when the
 * admin chose `llm` and an enabled plugin implements the `llm` capability, by that plugin: the
 * LLM picks among the same intents, and answers from the same FAQ entries (found by the built-in
 * search) with citations. When the LLM fails, the built-in answer is used, so a flow never
 * stalls on a model outage.
 */
export function createAiServices(deps: {
  nlu: NluService
  kb: KbService
  plugins: PluginsService
  provider: AiProvider
  logger: Logger
}): AiServices {
  const { nlu, kb, plugins, logger } = deps
  const useLlm = () => deps.provider === 'llm' && plugins.hasCapability('llm')

  return {
    llmAvailable: useLlm,

    async draftReply(input) {
      return (await plugins.callAction('llm.draftReply', input)) as { text: string }
    },

    async classifyIntent(text) {
      if (useLlm()) {
        try {
          const intents = (await nlu.list()).map((i) => ({
            name: i.name,
            description: i.description || i.examples.slice(0, 5).join(' / '),
          }))
          if (intents.length > 0) {
            const result = (await plugins.callAction('llm.classifyIntent', { text, intents })) as {
              intent: string | null
              confidence: number
            }
            // only an intent it was offered: anything else is no intent
            const offered = result.intent !== null && intents.some((i) => i.name === result.intent)
            return offered ? { intent: result.intent, confidence: result.confidence } : { intent: null, confidence: 0 }
          }
        } catch (error) {
          logger.warn({ err: error }, 'LLM intent classification failed: using the built-in classifier')
        }
      }
      const result = await nlu.classify(text)
      return { intent: result.intent, confidence: result.confidence }
    },

    async searchKnowledgeBase(text, limit) {
      if (!useLlm()) return kb.search(text, { limit })
      // the LLM reads a few more candidates than the built-in answer would show, lower-scored too
      const hits = await kb.search(text, { limit: Math.max(limit, 5), threshold: 0.1 })
      if (hits.length === 0) return []
      try {
        const result = (await plugins.callAction('llm.answer', {
          question: text,
          passages: hits.map((h) => ({ id: h.id, text: `Q: ${h.question}\nA: ${h.answer}` })),
        })) as { answer: string | null; citations: string[] }
        if (!result.answer) return []
        const cited = hits.filter((h) => result.citations.includes(h.id))
        const best = cited[0] ?? hits[0]!
        return [{ ...best, answer: result.answer, citations: result.citations }]
      } catch (error) {
        logger.warn({ err: error }, 'LLM answer failed: using the built-in knowledge-base answer')
        return (await kb.search(text, { limit })).slice(0, limit)
      }
    },
  }
}
