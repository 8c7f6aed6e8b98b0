import type { ConversationsService } from '../conversations/index.js'
import type { EventBus } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import { readSentiment } from './sentiment-lexicon.js'

/** what a word-list reading is recorded as (attributes.sentimentBy) */
export const LEXICON_READER = 'lexicon'
/** how many of the customer's latest messages make the reading */
const WINDOW = 3

export type SentimentLabel = 'negative' | 'neutral' | 'positive'

/**
 * The customer's mood from their latest messages, newest weighing most: the newest message's
 * words count twice. Negative while the balance is negative and the newest message says nothing
 * kind (a complaint followed by "let me talk to your manager" is still negative); positive when
 * the balance is positive and the newest is not negative; neutral otherwise.
 */
export function sentimentOfMessages(newestFirst: string[]): SentimentLabel {
  const scores = newestFirst.slice(0, WINDOW).map((text) => readSentiment(text).score)
  if (scores.length === 0) return 'neutral'
  const total = scores.reduce((sum, score, index) => sum + (index === 0 ? 2 * score : score), 0)
  if (total < 0 && scores[0]! <= 0) return 'negative'
  if (total > 0 && scores[0]! >= 0) return 'positive'
  return 'neutral'
}

/**
 * Live sentiment: after each message from a customer the conversation's `sentiment` is read again
 * from their latest messages by the word list (Chinese and English), so escalation rules on a
 * negative sentiment and the inbox see it while the conversation is going on. A sentiment a flow
 * or plugin set (the column by someone else, or attributes.sentiment) is left alone.
 */
export async function startLiveSentiment(deps: {
  db: Db
  bus: EventBus
  logger: Logger
  conversations: Pick<ConversationsService, 'setSentiment'>
}): Promise<() => Promise<void>> {
  const logger = deps.logger.child({ module: 'live-sentiment' })
  return deps.bus.subscribe('conversation.message.created', async (event) => {
    const { conversationId, direction } = (event ?? {}) as { conversationId?: unknown; direction?: unknown }
    if (direction !== 'inbound' || typeof conversationId !== 'string') return
    try {
      const conversation = await deps.db.conversation.findUnique({
        where: { id: conversationId },
        select: { sentiment: true, attributes: true, status: true },
      })
      if (!conversation || conversation.status === 'resolved') return
      const attributes = (conversation.attributes ?? {}) as Record<string, unknown>
      if (attributes.sentiment !== undefined && attributes.sentiment !== null) return
      if (conversation.sentiment && attributes.sentimentBy !== LEXICON_READER) return
      const messages = await deps.db.message.findMany({
        where: { conversationId, direction: 'inbound', kind: 'text' },
        orderBy: { seq: 'desc' },
        take: WINDOW,
        select: { body: true },
      })
      const label = sentimentOfMessages(messages.map((m) => m.body ?? ''))
      // neutral is what a conversation starts as: only a change from a reading is written
      if (label === (conversation.sentiment ?? 'neutral')) return
      await deps.conversations.setSentiment(conversationId, label, LEXICON_READER)
    } catch (error) {
      logger.warn({ err: error, conversationId }, 'the live sentiment could not be read')
    }
  })
}
