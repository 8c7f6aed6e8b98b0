import type { AiServices } from '../ai/index.js'
import type { CannedService, CannedUser } from '../canned/index.js'
import { ErrorCode, isSwitchboardError, operationalError, userError } from '../errors/index.js'
import type { KbService } from '../kb/index.js'
import type { Db } from '../storage/index.js'
import { buildPhraseIndex } from '../text/index.js'
import type { Suggestions } from './suggestions-dto.js'

/** canned responses scoring below this do not fit the customer's words */
const CANNED_THRESHOLD = 0.15
/** what a canned response tagged with the conversation's intent adds to its score */
const INTENT_BONUS = 0.35
/** how much of the thread an AI draft reads */
const TRANSCRIPT_MESSAGES = 30

type Language = 'en' | 'zh-CN'
const languageOf = (text: string | null, contactLanguage: string | null | undefined): Language => {
  if (contactLanguage?.toLowerCase().startsWith('zh')) return 'zh-CN'
  if (contactLanguage?.toLowerCase().startsWith('en')) return 'en'
  return text && /[\u3400-\u9fff]/.test(text) ? 'zh-CN' : 'en'
}
const round = (n: number) => Math.round(n * 10_000) / 10_000

export type SuggestionsService = ReturnType<typeof createSuggestionsService>

/**
 * Suggested replies for the agent: knowledge-base answers and canned responses that fit the
 * customer's last message (canned ones rendered for the conversation), and, when an LLM is
 * configured, a drafted reply on request. The agent always edits and sends; nothing is sent here.
 */
export function createSuggestionsService(deps: { db: Db; kb: KbService; canned: CannedService; ai: AiServices }) {
  const { db, kb, canned, ai } = deps

  async function conversationOf(id: string) {
    const conversation = await db.conversation.findUnique({
      where: { id },
      include: { contact: { select: { language: true } } },
    })
    if (!conversation) throw userError(ErrorCode.NOT_FOUND, `No conversation ${id}`, { status: 404 })
    return conversation
  }

  async function lastCustomerText(conversationId: string): Promise<string | null> {
    const message = await db.message.findFirst({
      where: { conversationId, direction: 'inbound', kind: 'text', body: { not: '' } },
      orderBy: { seq: 'desc' },
    })
    return message?.body ?? null
  }

  async function rankCanned(user: CannedUser, text: string, intent: string | null, language: Language) {
    const usable = (await canned.visible(user)).filter((c) => c.language === null || c.language === language)
    if (usable.length === 0 || text.trim() === '') return []
    const index = buildPhraseIndex(
      usable.map((c) => ({
        key: c.id,
        phrases: [c.title, ...c.tags],
        context: [{ text: c.body.replace(/\{\{[^}]*\}\}/g, ' '), weight: 0.4 }],
      })),
    )
    const scores = new Map(index.rank(text).map((r) => [r.key, r.score]))
    return usable
      .map((c) => {
        const bonus = intent && c.tags.some((t) => t.toLowerCase() === intent.toLowerCase()) ? INTENT_BONUS : 0
        return { c, score: Math.min(1, Math.max(0, scores.get(c.id) ?? 0) + bonus) }
      })
      .filter((r) => r.score >= CANNED_THRESHOLD)
      .sort((a, b) => b.score - a.score)
  }

  return {
    async suggest(
      user: CannedUser,
      conversationId: string,
      options: { text?: string; limit: number },
    ): Promise<Suggestions> {
      const conversation = await conversationOf(conversationId)
      const text = options.text?.trim() || (await lastCustomerText(conversationId))
      const language = languageOf(text, conversation.contact?.language)
      const available = ai.llmAvailable()
      if (!text) return { text: null, language, kb: [], canned: [], ai: { available } }
      const [hits, ranked] = await Promise.all([
        kb.search(text, { limit: options.limit }),
        rankCanned(user, text, conversation.intent, language),
      ])
      const top = ranked.slice(0, options.limit)
      const ctx = top.length > 0 ? await canned.contextFor(conversationId, user) : {}
      return {
        text,
        language,
        kb: hits.map((h) => ({ id: h.id, question: h.question, answer: h.answer, score: h.score })),
        canned: top.map(({ c, score }) => ({
          id: c.id,
          title: c.title,
          shortcut: c.shortcut,
          score: round(score),
          rendered: canned.render(c.body, ctx),
        })),
        ai: { available },
      }
    },

    /** An LLM's draft of the next reply, from the thread (internal notes left out). */
    async draft(conversationId: string, guidance?: string): Promise<{ text: string; language: Language }> {
      const conversation = await conversationOf(conversationId)
      if (!ai.llmAvailable())
        throw operationalError(
          ErrorCode.PLUGIN_UNAVAILABLE,
          'No AI provider is configured: enable an LLM plugin (e.g. llm-openai-compatible) and set SWITCHBOARD_AI_PROVIDER=llm',
          { status: 503 },
        )
      const messages = await db.message.findMany({
        where: { conversationId, direction: { in: ['inbound', 'outbound'] }, body: { not: '' } },
        orderBy: { seq: 'desc' },
        take: TRANSCRIPT_MESSAGES,
      })
      const transcript = messages.reverse().map((m) => ({
        from:
          m.direction === 'inbound' ? ('customer' as const) : m.authorUserId ? ('agent' as const) : ('bot' as const),
        text: m.body.slice(0, 4000),
      }))
      if (transcript.length === 0)
        throw userError(ErrorCode.VALIDATION, 'The conversation has no messages to draft a reply to', { status: 400 })
      const lastCustomer = [...transcript].reverse().find((m) => m.from === 'customer')?.text ?? null
      const language = languageOf(lastCustomer, conversation.contact?.language)
      try {
        const result = await ai.draftReply({ transcript, language, ...(guidance ? { guidance } : {}) })
        return { text: result.text.trim(), language }
      } catch (error) {
        const code = isSwitchboardError(error) ? error.code : ErrorCode.PLUGIN_THREW
        throw operationalError(code, `The AI provider failed: ${(error as Error).message}`, {
          status: 502,
          cause: error,
        })
      }
    },
  }
}
