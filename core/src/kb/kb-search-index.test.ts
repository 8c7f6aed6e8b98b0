import { describe, expect, it } from 'vitest'
import { buildKbSearchIndex, DEFAULT_KB_THRESHOLD } from './kb-search-index.js'

const index = buildKbSearchIndex([
  {
    id: 'refund-time',
    question: '退款多久到账？',
    answer: '仓库签收退货后 1–3 个工作日内退款，原路退回。',
    tags: ['退款', 'refund'],
    variants: ['退款几天能到', 'How long does a refund take?'],
  },
  {
    id: 'invoice',
    question: '怎么开发票？',
    answer: '在订单详情页点击“申请开票”，填写抬头和税号。',
    tags: ['发票'],
    variants: ['可以开专票吗', 'How do I get an invoice?'],
  },
  {
    id: 'shipping-fee',
    question: '运费怎么算？包邮吗？',
    answer: '满 99 元包邮。',
    tags: [],
    variants: [],
  },
])

describe('buildKbSearchIndex', () => {
  it('finds Chinese and English paraphrases, best first, with scores', () => {
    const hits = index.search('钱退回来要几天')
    expect(hits[0]).toMatchObject({ id: 'refund-time', question: '退款多久到账？' })
    expect(hits[0]!.score).toBeGreaterThanOrEqual(DEFAULT_KB_THRESHOLD)
    expect(index.search('when will my refund arrive')[0]!.id).toBe('refund-time')
    expect(index.search('need a VAT invoice')[0]!.id).toBe('invoice')
    expect(index.search('满多少包邮')[0]!.id).toBe('shipping-fee')
  })

  it('answers nothing when nothing fits', () => {
    expect(index.search('你们老板是谁')).toEqual([])
    expect(index.search('')).toEqual([])
  })

  it('keeps to the limit and the threshold', () => {
    expect(index.search('退款 发票 运费', { limit: 1, threshold: 0 })).toHaveLength(1)
    expect(index.search('退款 发票 运费', { limit: 5, threshold: 0 }).length).toBeGreaterThan(1)
    expect(index.search('退款多久到账？', { threshold: 1.01 })).toEqual([])
  })

  it('searches an empty knowledge base without failing', () => {
    expect(buildKbSearchIndex([]).search('退款')).toEqual([])
  })
})
