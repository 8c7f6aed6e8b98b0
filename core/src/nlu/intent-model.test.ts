import { describe, expect, it } from 'vitest'
import { DEFAULT_INTENT_THRESHOLD, trainIntentModel } from './intent-model.js'

const model = trainIntentModel([
  { name: 'order_status', examples: ['我的快递到哪了', '帮我查一下物流', 'Where is my order?'] },
  { name: 'refund', examples: ['我要退款', '退款什么时候到账', 'I want a refund'] },
  { name: 'greeting', examples: ['你好', '在吗', 'Hello'] },
  { name: 'empty', examples: [] },
])

describe('trainIntentModel', () => {
  it('classifies Chinese and English messages, with a confidence and a ranking', () => {
    const zh = model.classify('快递到哪里了？')
    expect(zh.intent).toBe('order_status')
    expect(zh.confidence).toBeGreaterThanOrEqual(DEFAULT_INTENT_THRESHOLD)
    expect(zh.ranking[0]).toEqual({ intent: 'order_status', score: zh.confidence })
    expect(model.classify('when do I get my refund').intent).toBe('refund')
    expect(model.classify('您好，在吗').intent).toBe('greeting')
  })

  it('returns no intent below the threshold, but still the confidence and the ranking', () => {
    const result = model.classify('帮我写一首关于春天的诗')
    expect(result.intent).toBeNull()
    expect(result.confidence).toBeLessThan(DEFAULT_INTENT_THRESHOLD)
    const strict = model.classify('我要退款', { threshold: 0.999 })
    expect(strict.intent).toBeNull()
    expect(strict.ranking[0]!.intent).toBe('refund')
    expect(model.classify('退款', { threshold: 0 }).intent).toBe('refund')
  })

  it('ranks at most five intents, best first, only those with a score', () => {
    const { ranking } = model.classify('我要退款，快递到哪了')
    expect(ranking.length).toBeLessThanOrEqual(5)
    expect(ranking.every((r, i) => i === 0 || ranking[i - 1]!.score >= r.score)).toBe(true)
    expect(ranking.every((r) => r.score > 0)).toBe(true)
  })

  it('knows only intents with examples, and gives empty text no intent', () => {
    expect(model.intents).toEqual(['order_status', 'refund', 'greeting'])
    expect(model.classify('   ')).toEqual({ intent: null, confidence: 0, ranking: [] })
    expect(trainIntentModel([]).classify('你好')).toEqual({ intent: null, confidence: 0, ranking: [] })
  })
})
