import { buildPhraseIndex, type PhraseIndexOptions } from '../text/index.js'
import type { ClassifyOptions, IntentClassification } from './intent-classifier.js'

/**
 * The confidence below which a message gets no intent. Chosen on examples/nlu/dev.jsonl, where
 * accuracy is the same from 0.1 to 0.25; the higher end, because a wrong intent sends the customer
 * down the wrong path while no intent only asks them to rephrase (docs/nlu-and-knowledge-base.md).
 */
export const DEFAULT_INTENT_THRESHOLD = 0.2
const rankingSize = 5

export interface TrainingIntent {
  name: string
  examples: string[]
}

export interface IntentModel {
  /** the intents the model knows (those with at least one example) */
  readonly intents: string[]
  classify(text: string, options?: ClassifyOptions): IntentClassification
}

/**
 * The built-in, offline intent classifier: nearest neighbours over TF-IDF vectors of words,
 * character n-grams and service concepts (core/src/text). Training is only indexing the
 * examples, so it takes milliseconds and is redone whenever an intent changes.
 */
export function trainIntentModel(intents: TrainingIntent[], options: PhraseIndexOptions = {}): IntentModel {
  const known = intents.filter((i) => i.examples.length > 0)
  const index = buildPhraseIndex(
    known.map((i) => ({ key: i.name, phrases: i.examples })),
    options,
  )
  return {
    intents: known.map((i) => i.name),
    classify(text, { threshold = DEFAULT_INTENT_THRESHOLD } = {}) {
      const ranking = (text.trim() === '' ? [] : index.rank(text))
        .slice(0, rankingSize)
        .filter((r) => r.score > 0)
        .map((r) => ({ intent: r.key, score: round(r.score) }))
      const best = ranking[0]
      const confidence = best?.score ?? 0
      return { intent: best && confidence >= threshold ? best.intent : null, confidence, ranking }
    },
  }
}

const round = (n: number) => Math.round(n * 10_000) / 10_000
