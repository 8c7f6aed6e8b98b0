import { describe, expect, it } from 'vitest'
import { compilePhrases, findPhrases, regexProblem } from './phrase-match.js'
import { readSentiment } from './sentiment-lexicon.js'
import { normalizeText } from './text-normalize.js'

const find = (text: string, phrases: Parameters<typeof compilePhrases>[0]) =>
  findPhrases(normalizeText(text), compilePhrases(phrases)).map((m) => ({ ...m, said: text.slice(m.start, m.end) }))

describe('normalised text', () => {
  it('folds full-width letters and digits, case and spaces, and remembers where each character came from', () => {
    const original = 'ＯＲＤＥＲ\u3000  Ｎｏ．１２３'
    const n = normalizeText(original)
    expect(n.text).toBe('order no.123')
    // "no" starts at the full-width Ｎ after the three spaces
    expect(original.slice(n.startOf[6], n.endOf[7])).toBe('Ｎｏ')
  })
})

describe('phrase matching', () => {
  it('finds Chinese phrases and their variants as plain substrings, at offsets in the original', () => {
    const text = '亲，这个我们也没有办法，您自己查一下物流吧，我不知道。'
    const hits = find(text, [
      { text: '没办法', variants: ['没有办法', '没法子'] },
      { text: '你自己查', regexes: ['[你您]自己(去)?查'] },
      { text: '不知道' },
    ])
    expect(hits.map((h) => [h.phrase, h.said, h.start, h.end])).toEqual([
      ['没办法', '没有办法', 7, 11],
      ['你自己查', '您自己查', 12, 16],
      ['不知道', '不知道', 23, 26],
    ])
  })

  it('matches English phrases between word boundaries only, across case, curly apostrophes and full-width text', () => {
    const phrase = [{ text: "I don't know" }]
    expect(find('Sorry, I DON’T know.', phrase).map((h) => h.said)).toEqual(['I DON’T know'])
    expect(find("I don't knowingly share data", phrase)).toEqual([])
    expect(find("Hi don't know", [{ text: "don't know" }]).map((h) => h.start)).toEqual([3])
    expect(find("ｉ ｄｏｎ'ｔ ｋｎｏｗ", phrase).map((h) => [h.start, h.end])).toEqual([[0, 12]])
    // an English phrase right after Chinese text is still a whole word
    expect(find("这个I don't know啊", phrase).map((h) => h.said)).toEqual(["I don't know"])
  })

  it('keeps the earlier, then the longer of overlapping matches', () => {
    const hits = find('我不知道', [{ text: '不知道' }, { text: '我不知道' }])
    expect(hits.map((h) => h.phrase)).toEqual(['我不知道'])
  })

  it('refuses regular expressions that do not compile, are too long or repeat a repeating group', () => {
    expect(regexProblem('[你您]自己(去)?查')).toBeNull()
    expect(regexProblem('order (no\\.|number) \\d{6,}')).toBeNull()
    expect(regexProblem('(abc')).toContain('not a valid regular expression')
    expect(regexProblem('(a+)+$')).toContain('exponential')
    expect(regexProblem('((ab)*c)*')).toContain('exponential')
    expect(regexProblem('(\\w{2,})+')).toContain('exponential')
    expect(regexProblem('x'.repeat(201))).toContain('at most')
  })
})

describe('sentiment word lists', () => {
  it('tells an unhappy ending from a happy one, in Chinese and English', () => {
    expect(readSentiment('太差了，我要投诉！').score).toBeLessThan(0)
    expect(readSentiment('不满意').negative.map((m) => m.phrase)).toEqual(['不满意'])
    expect(readSentiment('好的，谢谢！').score).toBeGreaterThan(0)
    expect(readSentiment('This is useless, I am not happy').negative.map((m) => m.phrase)).toEqual([
      'useless',
      'not happy',
    ])
    expect(readSentiment('Thanks, that was helpful').score).toBe(2)
  })
})
