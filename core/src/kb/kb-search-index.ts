import { buildPhraseIndex, type PhraseIndexOptions } from '../text/index.js'
import type { KbHit, KbSearchOptions } from './knowledge-base.js'

/**
 * Entries scoring below this are no answer. Chosen on examples/kb/dev.jsonl, where accuracy is the
 * same from 0.2 to 0.3 (docs/nlu-and-knowledge-base.md).
 */
export const DEFAULT_KB_THRESHOLD = 0.25
export const DEFAULT_KB_LIMIT = 5

/** How much the tags and the answer add to an entry's direction, beside its phrasings. */
const tagsWeight = 0.5
const answerWeight = 0.3

export interface SearchableEntry {
  id: string
  question: string
  answer: string
  tags: string[]
  variants: string[]
}

export interface KbSearchIndex {
  search(text: string, options?: KbSearchOptions): KbHit[]
}

/**
 * The built-in, offline FAQ search: an entry is found by its question and its other phrasings
 * (nearest neighbour), helped by its tags and answer, over the same text features as the intent
 * classifier (core/src/text).
 */
export function buildKbSearchIndex(entries: SearchableEntry[], options: PhraseIndexOptions = {}): KbSearchIndex {
  const byId = new Map(entries.map((e) => [e.id, e]))
  const index = buildPhraseIndex(
    entries.map((e) => ({
      key: e.id,
      phrases: [e.question, ...e.variants],
      context: [
        ...(e.tags.length > 0 ? [{ text: e.tags.join(' '), weight: tagsWeight }] : []),
        { text: e.answer, weight: answerWeight },
      ],
    })),
    options,
  )
  return {
    search(text, { limit = DEFAULT_KB_LIMIT, threshold = DEFAULT_KB_THRESHOLD } = {}) {
      if (text.trim() === '') return []
      return index
        .rank(text)
        .filter((r) => r.score > 0 && r.score >= threshold)
        .slice(0, limit)
        .map((r) => {
          const entry = byId.get(r.key)!
          return { id: entry.id, question: entry.question, answer: entry.answer, score: round(r.score) }
        })
    },
  }
}

const round = (n: number) => Math.round(n * 10_000) / 10_000
