/**
 * Text as the phrase rules compare it, with the way back to the original: NFKC (full-width
 * letters, digits and punctuation become half-width), lower case, curly apostrophes as "'",
 * and every run of white space as one space. Each character of the normalised text remembers
 * the range of the original it came from, so a match is reported at the original's offsets
 * (UTF-16 code units, what String.prototype.slice takes).
 */
export interface NormalizedText {
  text: string
  /** for each character of `text`: where its source grapheme starts in the original */
  startOf: number[]
  /** for each character of `text`: where its source grapheme ends in the original */
  endOf: number[]
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' })
const SPACE = /^\s+$/u
const APOSTROPHES = /[\u2018\u2019\u02bc\u2032]/gu

/** One grapheme as the matcher sees it. */
function foldGrapheme(grapheme: string): string {
  return grapheme.normalize('NFKC').toLowerCase().replace(APOSTROPHES, "'")
}

export function normalizeText(original: string): NormalizedText {
  let text = ''
  const startOf: number[] = []
  const endOf: number[] = []
  let inSpace = false
  for (const { segment, index } of graphemes.segment(original)) {
    const end = index + segment.length
    const folded = foldGrapheme(segment)
    if (SPACE.test(folded)) {
      if (inSpace) {
        endOf[endOf.length - 1] = end
      } else {
        text += ' '
        startOf.push(index)
        endOf.push(end)
        inSpace = true
      }
      continue
    }
    inSpace = false
    for (const char of folded) {
      // a surrogate pair is two code units: both point at the same grapheme
      for (let i = 0; i < char.length; i++) {
        startOf.push(index)
        endOf.push(end)
      }
      text += char
    }
  }
  return { text, startOf, endOf }
}

/** A phrase as the rules store it for matching: normalised, without space at its ends. */
export function normalizePhrase(phrase: string): string {
  return normalizeText(phrase).text.trim()
}

/** The original range of the normalised range [start, end). */
export function originalRange(normalized: NormalizedText, start: number, end: number): { start: number; end: number } {
  return { start: normalized.startOf[start]!, end: normalized.endOf[end - 1]! }
}

/** Chinese, Japanese and Korean characters: no spaces between words, so phrases match as plain substrings. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u
const WORD = /[\p{L}\p{N}_']/u

/** A letter, digit, underscore or apostrophe of a script written with spaces (Latin, Cyrillic…). */
export function isSpacedWordChar(char: string | undefined): boolean {
  return char !== undefined && WORD.test(char) && !CJK.test(char)
}

export function isCjk(char: string | undefined): boolean {
  return char !== undefined && CJK.test(char)
}

/** A short piece of the original around [start, end), for lists: at most `around` characters each side. */
export function excerptOf(original: string, start: number, end: number, around = 20): string {
  const before = Array.from(original.slice(0, start))
  const after = Array.from(original.slice(end))
  const head = before.length > around ? `…${before.slice(-around).join('')}` : before.join('')
  const tail = after.length > around ? `${after.slice(0, around).join('')}…` : after.join('')
  return `${head}${original.slice(start, end)}${tail}`.replace(/\s+/gu, ' ')
}
