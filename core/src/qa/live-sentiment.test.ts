import { describe, expect, it } from 'vitest'
import { sentimentOfMessages } from './live-sentiment.js'

describe('live sentiment from the latest customer messages', () => {
  it('reads a complaint as negative, in Chinese and English', () => {
    expect(sentimentOfMessages(['你们的服务太差了，我要投诉'])).toBe('negative')
    expect(sentimentOfMessages(['This is useless, I am very disappointed'])).toBe('negative')
  })

  it('reads thanks as positive and plain questions as neutral', () => {
    expect(sentimentOfMessages(['谢谢，问题解决了'])).toBe('positive')
    expect(sentimentOfMessages(['我的订单什么时候发货？'])).toBe('neutral')
    expect(sentimentOfMessages([])).toBe('neutral')
  })

  it('weighs the newest message most: a customer who calms down is no longer negative', () => {
    const newestFirst = ['好的，谢谢你', '太慢了', '我要投诉']
    expect(sentimentOfMessages(newestFirst)).not.toBe('negative')
    // and one who turns angry after being polite is
    expect(sentimentOfMessages(['太差了，我要投诉', '谢谢', '你好'])).toBe('negative')
  })

  it('only reads the last three messages', () => {
    expect(sentimentOfMessages(['我的订单号是 123', '什么时候到', '在吗', '我要投诉', '太差了'])).toBe('neutral')
  })
})

describe('a complaint followed by a neutral message', () => {
  it('stays negative until the customer says something kind or it leaves the window', () => {
    expect(sentimentOfMessages(['Let me talk to your manager', '我要投诉'])).toBe('negative')
    expect(sentimentOfMessages(['好的谢谢', '我要投诉'])).not.toBe('negative')
  })
})
