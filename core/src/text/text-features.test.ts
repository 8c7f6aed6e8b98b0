import { describe, expect, it } from 'vitest'
import { stemEnglish } from './english-stem.js'
import { normalizeText } from './normalize-text.js'
import { textFeatures } from './text-features.js'

const keys = (text: string, options = {}) => [...textFeatures(text, options).keys()]

describe('normalizeText', () => {
  it('folds full-width forms, case, curly apostrophes and white space', () => {
    expect(normalizeText('  ＡＢＣ１２３  Where’s   MY order？ ')).toBe("abc123 where's my order?")
  })
})

describe('stemEnglish', () => {
  it('maps the forms of one word to one key', () => {
    expect(new Set(['refund', 'refunds', 'refunded', 'refunding'].map(stemEnglish))).toEqual(new Set(['refund']))
    expect(new Set(['ship', 'ships', 'shipped', 'shipping'].map(stemEnglish))).toEqual(new Set(['ship']))
    expect(new Set(['cancel', 'cancelled', 'canceled', 'cancellation'].map(stemEnglish))).toEqual(new Set(['cancel']))
    expect(stemEnglish('deliveries')).toBe(stemEnglish('delivery'))
    expect(stemEnglish('address')).toBe('address')
  })
})

describe('textFeatures', () => {
  it('gives Chinese text words, character pairs and characters, without particles or pronouns', () => {
    const features = keys('我的快递到哪了')
    expect(features).toEqual(
      expect.arrayContaining(['w:快递', 'b:快递', 'c:快', 'c:递', 'b:递到', 'f:哪', 'k:logistics']),
    )
    expect(features.some((f) => f.includes('的') || f === 'c:我' || f === 'c:了')).toBe(false)
  })

  it('gives English text stems and letter trigrams, without stop words', () => {
    const features = keys('Where is my ORDER?')
    expect(features).toEqual(expect.arrayContaining(['w:wher', 'w:order', 'g:^or', 'g:der', 'q:where']))
    expect(features).not.toContain('w:my')
    expect(features).not.toContain('w:is')
  })

  it('weighs common words as their own kind', () => {
    expect(keys('可以帮我一下吗')).toEqual(expect.arrayContaining(['f:可以']))
    expect(keys('I want a refund')).toEqual(expect.arrayContaining(['f:want', 'w:refund']))
  })

  it('adds service concepts in either language, also across a particle', () => {
    expect(keys('退款什么时候到账')).toEqual(expect.arrayContaining(['k:refund', 'q:when']))
    expect(keys('When will I get my refund?')).toEqual(expect.arrayContaining(['k:refund', 'q:when']))
    expect(keys('退的款还没到')).toContain('k:refund')
    expect(keys('I ordered by mistake')).toContain('k:cancel')
    expect(keys('退款', { lexicon: false }).some((f) => f.startsWith('k:'))).toBe(false)
  })

  it('counts repeats and ignores digits, punctuation and emoji', () => {
    const counts = textFeatures('退款 退款！！😭 20240512338')
    expect(counts.get('w:退款')).toBe(2)
    expect([...counts.keys()].some((f) => /\d|!|😭/.test(f))).toBe(false)
  })

  it('gives nothing for text without letters or Chinese characters', () => {
    expect(textFeatures('？？？ 123 !!!').size).toBe(0)
  })
})
