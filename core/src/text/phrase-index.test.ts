import { describe, expect, it } from 'vitest'
import { buildPhraseIndex } from './phrase-index.js'
import { cosine, fitTextVectorizer } from './text-vectorizer.js'

describe('fitTextVectorizer', () => {
  it('makes unit vectors whose dot product is 1 for the same text and 0 for nothing shared', () => {
    const v = fitTextVectorizer(['我要退款', '帮我查物流'])
    expect(cosine(v.vectorize('我要退款'), v.vectorize('我要退款'))).toBeCloseTo(1, 6)
    expect(cosine(v.vectorize('我要退款'), v.vectorize('hello'))).toBe(0)
  })
})

describe('buildPhraseIndex', () => {
  const index = buildPhraseIndex([
    { key: 'refund', phrases: ['我要退款', 'I want a refund'] },
    { key: 'logistics', phrases: ['我的快递到哪了', 'where is my parcel'] },
    { key: 'invoice', phrases: ['能开发票吗'], context: [{ text: '增值税 专票', weight: 0.5 }] },
  ])

  it('ranks every group, best first, with scores from 0 to 1', () => {
    const ranking = index.rank('退款怎么还没到账')
    expect(ranking.map((r) => r.key)).toHaveLength(3)
    expect(ranking[0]!.key).toBe('refund')
    for (const r of ranking) expect(r.score).toBeGreaterThanOrEqual(0)
    expect(ranking[0]!.score).toBeLessThanOrEqual(1)
  })

  it('finds a paraphrase in the other language through the service concepts', () => {
    expect(index.rank('how do I get my money back, refund please')[0]!.key).toBe('refund')
    expect(index.rank('包裹到哪里了')[0]!.key).toBe('logistics')
  })

  it('uses context texts such as tags', () => {
    expect(index.rank('专票')[0]!.key).toBe('invoice')
  })

  it('scores 0 for text with nothing in common', () => {
    expect(index.rank('今天天气不错').every((r) => r.score < 0.1)).toBe(true)
    expect(index.rank('').every((r) => r.score === 0)).toBe(true)
  })
})
