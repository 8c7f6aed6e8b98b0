import { textFeatures } from '../text/index.js'

/** the most signature words kept per text: enough to compare, small enough to store */
const MAX_TOKENS = 40

/**
 * The words of a customer's text that say what the problem is, for comparing two contacts about
 * it: words (English stems, Chinese words from Intl.Segmenter), pairs of Chinese characters and
 * service concepts (退款, delivery…) from core/src/text; filler words, single characters and
 * question words are left out. Sorted and unique.
 */
export function issueTokens(text: string): string[] {
  const features = [...textFeatures(text)].filter(([feature]) => /^[wbk]:/.test(feature))
  return features
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_TOKENS)
    .map(([feature]) => feature)
    .sort()
}

/** |A ∩ B| / |A ∪ B|: 1 for the same words, 0 for none in common. */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0
  const left = new Set(a)
  const right = new Set(b)
  let common = 0
  for (const token of left) if (right.has(token)) common++
  return common / (left.size + right.size - common)
}

/** A recurring issue's key for similar text: `text:` and its signature words (what later texts are compared with). */
export function textIssueKey(tokens: readonly string[]): string {
  return `text:${tokens.slice(0, 12).join(' ')}`
}

export function tokensOfTextKey(key: string): string[] {
  return key.startsWith('text:') ? key.slice(5).split(' ').filter(Boolean) : []
}
