import type { z } from 'zod'
import type { QaHit, sentimentConfig } from './qa-dto.js'
import { hitOf, type QaRuleDef } from './qa-hits.js'
import { LEXICON_READER } from './live-sentiment.js'
import { readSentiment } from './sentiment-lexicon.js'
import type { Inspection } from './transcript.js'

type SentimentConfig = z.output<typeof sentimentConfig>

/**
 * The customer leaving unhappy: the conversation's `sentiment` when something set it (a flow,
 * an LLM plugin; not the live word-list reading), else the built-in word lists over the customer's last messages. Negative at
 * the end is one hit, at the strongest negative word of the latest message that has one.
 */
export function checkSentiment(rule: QaRuleDef, inspection: Inspection): QaHit[] | null {
  const config = rule.config as SentimentConfig
  // the live word-list reading (live-sentiment.ts) is read again here, with the words' positions
  const byLexicon =
    (inspection.conversation.attributes as { sentimentBy?: unknown } | null)?.sentimentBy === LEXICON_READER
  const stored = byLexicon ? null : (inspection.conversation.sentiment?.toLowerCase() ?? null)
  if (config.useConversationSentiment && stored) {
    if (stored !== 'negative') return []
    return [
      hitOf(rule, {
        source: 'conversation',
        explanation: {
          en: "The conversation's sentiment is negative",
          'zh-CN': '对话情绪为负面',
        },
        detail: { sentiment: stored },
      }),
    ]
  }
  const last = inspection.lines.filter((l) => l.speaker === 'customer').slice(-config.lastMessages)
  if (last.length === 0) return null
  const readings = last.map((line) => ({ line, reading: readSentiment(line.body) }))
  const score = readings.reduce((sum, r) => sum + r.reading.score, 0)
  if (score >= 0) return []
  const worst = [...readings].reverse().find((r) => r.reading.negative.length > 0)!
  const word = worst.reading.negative[0]!
  const said = worst.line.body.slice(word.start, word.end)
  return [
    hitOf(rule, {
      line: worst.line,
      start: word.start,
      end: word.end,
      phrase: word.phrase,
      source: 'lexicon',
      explanation: {
        en: `The customer ended unhappy ("${said}")`,
        'zh-CN': `客户结束时情绪负面（「${said}」）`,
      },
      detail: { score, messages: last.length },
    }),
  ]
}
