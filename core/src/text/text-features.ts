import { stemEnglish } from './english-stem.js'
import { normalizeText } from './normalize-text.js'
import { serviceLexicon } from './service-lexicon.js'
import { chineseStopChars, commonWords, englishStopWords } from './stop-words.js'

/**
 * The features of a text and how often each occurs. A feature's prefix says its kind:
 * `w:` a word (an English stem, or a Chinese word from Intl.Segmenter), `b:` two adjacent
 * Chinese characters, `c:` one Chinese character, `g:` three letters of an English word
 * (survives typos), `f:` a common word or character that says little (可以, 怎么, want), `k:` a
 * concept of the service lexicon, `q:` a generic one (a kind of question such as when or where).
 */
export type FeatureCounts = Map<string, number>

export interface FeatureOptions {
  /** add the concepts of the built-in service lexicon (default true) */
  lexicon?: boolean
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' })
const hanRun = /\p{Script=Han}+/gu
const latinWord = /[a-z0-9][a-z0-9']*/g

export function textFeatures(text: string, options: FeatureOptions = {}): FeatureCounts {
  const normalized = normalizeText(text)
  const counts: FeatureCounts = new Map()
  const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1)

  const stems: string[] = []
  for (const [raw] of normalized.matchAll(latinWord)) {
    const word = raw.replace(/'/g, '')
    const stem = stemEnglish(word)
    stems.push(stem)
    if (englishStopWords.has(word) || /^\d+$/.test(word)) continue
    if (commonWords.has(word)) {
      add(`f:${word}`)
      continue
    }
    add(`w:${stem}`)
    if (word.length >= 4) for (const gram of letterTrigrams(word)) add(`g:${gram}`)
  }

  for (const [run] of normalized.matchAll(hanRun)) {
    for (const { segment, isWordLike } of segmenter.segment(run)) {
      if (isWordLike && segment.length > 1 && ![...segment].every((ch) => chineseStopChars.has(ch)))
        add(`${commonWords.has(segment) ? 'f' : 'w'}:${segment}`)
    }
    const chars = [...run]
    chars.forEach((ch, i) => {
      if (chineseStopChars.has(ch)) return
      add(`${commonWords.has(ch) ? 'f' : 'c'}:${ch}`)
      const next = chars[i + 1]
      if (next !== undefined && !chineseStopChars.has(next)) add(`b:${ch}${next}`)
    })
  }

  if (options.lexicon !== false)
    for (const { concept, generic } of lexiconConcepts(normalized, stems)) add(`${generic ? 'q' : 'k'}:${concept}`)
  return counts
}

function letterTrigrams(word: string): string[] {
  const padded = `^${word}$`
  const grams: string[] = []
  for (let i = 0; i + 3 <= padded.length; i++) grams.push(padded.slice(i, i + 3))
  return grams
}

const stemmedLexicon = Object.entries(serviceLexicon).map(([concept, { zh, en, generic }]) => ({
  concept,
  generic: generic === true,
  zh,
  en: en.map((phrase) => phrase.split(' ').map(stemEnglish)),
}))

function lexiconConcepts(normalized: string, stems: string[]) {
  // 退的款 is 退款 with a particle in between: match the text without particles too
  const withoutParticles = [...normalized].filter((ch) => !chineseStopChars.has(ch)).join('')
  return stemmedLexicon.filter(
    ({ zh, en }) =>
      zh.some((w) => normalized.includes(w) || withoutParticles.includes(w)) ||
      en.some((seq) => containsSequence(stems, seq)),
  )
}

function containsSequence(words: string[], seq: string[]): boolean {
  for (let i = 0; i + seq.length <= words.length; i++) if (seq.every((w, j) => words[i + j] === w)) return true
  return false
}
