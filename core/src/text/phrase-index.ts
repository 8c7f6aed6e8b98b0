import { centroid, cosine, fitTextVectorizer, type SparseVector, type VectorizerOptions } from './text-vectorizer.js'

/** A labelled group of texts: an intent and its examples, or a FAQ entry and its phrasings. */
export interface PhraseGroup {
  key: string
  /** texts that each say what the group is about; the closest one counts most */
  phrases: string[]
  /** texts that only add to the group's overall direction (tags, an answer), with their weight */
  context?: Array<{ text: string; weight: number }>
}

export interface PhraseIndexOptions extends VectorizerOptions {
  /** share of the nearest phrase in the score; the rest is the similarity to the group's centroid */
  nearestShare?: number
}

export interface RankedKey {
  key: string
  score: number
}

export interface PhraseIndex {
  /** every group with a score from 0 (nothing in common) to 1, best first */
  rank(text: string): RankedKey[]
}

/**
 * Nearest neighbours over TF-IDF vectors: a text's score for a group blends its cosine
 * similarity to the group's closest phrase (kNN with k = 1) and to the group's centroid.
 * Building is cheap (milliseconds for thousands of phrases), so callers rebuild on change.
 */
export function buildPhraseIndex(groups: PhraseGroup[], options: PhraseIndexOptions = {}): PhraseIndex {
  const nearestShare = options.nearestShare ?? 0.6
  const vectorizer = fitTextVectorizer(
    groups.flatMap((g) => [...g.phrases, ...(g.context ?? []).map((c) => c.text)]),
    options,
  )
  const indexed = groups.map((group) => {
    const phrases = group.phrases.map((p) => vectorizer.vectorize(p))
    const context = (group.context ?? []).map((c) => ({ vector: vectorizer.vectorize(c.text), weight: c.weight }))
    return { key: group.key, phrases, centroid: centroid([...phrases.map((vector) => ({ vector })), ...context]) }
  })
  return {
    rank(text) {
      const query = vectorizer.vectorize(text)
      return indexed
        .map((g) => ({ key: g.key, score: groupScore(query, g.phrases, g.centroid, nearestShare) }))
        .sort((a, b) => b.score - a.score || a.key.localeCompare(b.key))
    },
  }
}

function groupScore(query: SparseVector, phrases: SparseVector[], center: SparseVector, nearestShare: number) {
  if (query.size === 0) return 0
  const nearest = phrases.reduce((best, p) => Math.max(best, cosine(query, p)), 0)
  return nearestShare * nearest + (1 - nearestShare) * cosine(query, center)
}
