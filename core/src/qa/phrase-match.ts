import { isSpacedWordChar, normalizePhrase, originalRange, type NormalizedText } from './text-normalize.js'

/** A phrase of a rule: its text, other ways of saying it, and patterns for what words cannot list. */
export interface PhraseSpec {
  text: string
  variants?: string[]
  regexes?: string[]
}

export interface CompiledPhrase {
  /** the phrase's text as the admin wrote it: how hits name it */
  label: string
  needles: string[]
  regexes: RegExp[]
}

export interface PhraseMatch {
  /** the label of the phrase that matched */
  phrase: string
  /** offsets in the original text */
  start: number
  end: number
}

export const MAX_REGEX_LENGTH = 200

/**
 * Why a pattern is refused, or null: too long, not a valid regular expression, or with a
 * quantified group that itself holds a quantifier ("(a+)+", "(\\w*)*"), the shape that can
 * take exponential time on a long message.
 */
export function regexProblem(pattern: string): string | null {
  if (pattern.length > MAX_REGEX_LENGTH) return `at most ${MAX_REGEX_LENGTH} characters`
  try {
    new RegExp(pattern, 'giu')
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`
  }
  if (hasNestedQuantifier(pattern))
    return 'a repeated group that itself repeats (e.g. "(a+)+") can take exponential time; simplify it'
  return null
}

function hasNestedQuantifier(pattern: string): boolean {
  // one entry per open group: whether something inside it repeats
  const groups: boolean[] = []
  let lastGroupRepeats = false
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!
    if (char === '\\') {
      i++
      lastGroupRepeats = false
      continue
    }
    if (char === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++
      lastGroupRepeats = false
      continue
    }
    if (char === '(') {
      groups.push(false)
      continue
    }
    if (char === ')') {
      lastGroupRepeats = groups.pop() ?? false
      if (lastGroupRepeats && groups.length > 0) groups[groups.length - 1] = true
      const next = pattern[i + 1]
      if (lastGroupRepeats && (next === '*' || next === '+' || (next === '{' && unbounded(pattern, i + 1)))) return true
      continue
    }
    if (char === '*' || char === '+' || (char === '{' && unbounded(pattern, i))) {
      if (groups.length > 0) groups[groups.length - 1] = true
    }
    lastGroupRepeats = false
  }
  return false
}

/** `{n,}` or `{n,m}` with m > 1: a repetition worth counting. */
function unbounded(pattern: string, at: number): boolean {
  const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at))
  if (!match) return false
  if (match[2] === undefined) return Number(match[1]) > 1
  return match[3] === '' || Number(match[3]) > 1
}

export function compilePhrases(phrases: PhraseSpec[]): CompiledPhrase[] {
  return phrases.map((phrase) => ({
    label: phrase.text,
    needles: [...new Set([phrase.text, ...(phrase.variants ?? [])].map(normalizePhrase).filter(Boolean))],
    regexes: (phrase.regexes ?? []).map((pattern) => new RegExp(pattern, 'giu')),
  }))
}

/** Where a needle occurs as a whole: Latin words only between word boundaries, CJK anywhere. */
function needleMatches(text: string, needle: string): Array<[number, number]> {
  const out: Array<[number, number]> = []
  const checkStart = isSpacedWordChar(needle[0])
  const checkEnd = isSpacedWordChar(needle[needle.length - 1])
  let from = 0
  for (;;) {
    const at = text.indexOf(needle, from)
    if (at < 0) return out
    const end = at + needle.length
    const startOk = !checkStart || !isSpacedWordChar(text[at - 1])
    const endOk = !checkEnd || !isSpacedWordChar(text[end])
    if (startOk && endOk) out.push([at, end])
    from = at + 1
  }
}

function regexMatches(text: string, regex: RegExp): Array<[number, number]> {
  const out: Array<[number, number]> = []
  const pattern = new RegExp(regex.source, regex.flags)
  for (const match of text.matchAll(pattern)) {
    if (match[0].length === 0) continue
    out.push([match.index, match.index + match[0].length])
  }
  return out
}

/**
 * Every place one of the phrases is said in a text, left to right, without overlaps (where two
 * matches overlap, the earlier and then the longer one is kept: "我不知道" over "不知道").
 */
export function findPhrases(normalized: NormalizedText, phrases: CompiledPhrase[]): PhraseMatch[] {
  const candidates: Array<{ phrase: string; start: number; end: number }> = []
  for (const phrase of phrases) {
    for (const needle of phrase.needles)
      for (const [start, end] of needleMatches(normalized.text, needle))
        candidates.push({ phrase: phrase.label, start, end })
    for (const regex of phrase.regexes)
      for (const [start, end] of regexMatches(normalized.text, regex))
        candidates.push({ phrase: phrase.label, start, end })
  }
  candidates.sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: PhraseMatch[] = []
  let reached = 0
  for (const c of candidates) {
    if (c.start < reached) continue
    reached = c.end
    kept.push({ phrase: c.phrase, ...originalRange(normalized, c.start, c.end) })
  }
  return kept
}
