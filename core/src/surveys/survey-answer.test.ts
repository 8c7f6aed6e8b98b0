import { describe, expect, it } from 'vitest'
import { parseSurveyAnswer, quickReplies } from './survey-answer.js'

describe('parseSurveyAnswer', () => {
  it.each([
    ['5', 5, null],
    ['５', 5, null],
    ['1 太慢了', 1, '太慢了'],
    ['1，太慢了', 1, '太慢了'],
    ['4分', 4, null],
    ['４分 还不错', 4, '还不错'],
    ['3/5', 3, null],
    ['五星', 5, null],
    ['2星，物流太慢', 2, '物流太慢'],
    ['非常满意', 5, null],
    ['非常不满意，客服态度差', 1, '客服态度差'],
    ['不满意', 2, null],
    ['满意！', 4, null],
    ['十分满意', 5, null],
    ['５分，很好', 5, '很好'],
    ['5分', 5, null],
    ['五星！', 5, null],
    ['4 Good', 4, null],
    ['3 OK', 3, null],
    ['5!', 5, null],
    ['2，件数不对', 2, '件数不对'],
    ['5 非常满意', 5, null],
    ['1 Very poor', 1, null],
    ['  2 - slow reply ', 2, 'slow reply'],
  ])('CSAT %j → %d, %j', (text, score, comment) => {
    expect(parseSurveyAnswer(text, 'csat')).toEqual({ score, comment })
  })

  it.each([
    ['10'],
    ['0'],
    ['6'],
    ['3天前买的还没到'],
    ['4.5'],
    ['hello'],
    ['goods arrived broken'],
    [''],
    ['我的订单呢'],
    // new requests that start like an answer
    ['Good morning, my parcel is broken'],
    ['Good'],
    ['ok'],
    ['great, where is my order?'],
    ['2 items missing'],
    ['2件商品少了'],
    ['2 件商品少了'],
    ['3 天前买的还没到'],
    ['满意度调查在哪里填'],
    ['一般来说多久发货'],
    [`1 ${'太慢了'.repeat(70)}`],
  ])('CSAT %j is no answer', (text) => {
    expect(parseSurveyAnswer(text, 'csat')).toBeNull()
  })

  it('NPS takes 0–10 and no words', () => {
    expect(parseSurveyAnswer('10', 'nps')).toEqual({ score: 10, comment: null })
    expect(parseSurveyAnswer('0 不会推荐', 'nps')).toEqual({ score: 0, comment: '不会推荐' })
    expect(parseSurveyAnswer('９分', 'nps')).toEqual({ score: 9, comment: null })
    expect(parseSurveyAnswer('11', 'nps')).toBeNull()
    expect(parseSurveyAnswer('非常满意', 'nps')).toBeNull()
  })

  it('every quick reply is read back as its own score, without a comment', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      for (const kind of ['csat', 'nps'] as const) {
        const replies = quickReplies(kind, language)
        expect(replies.length).toBe(kind === 'csat' ? 5 : 11)
        for (const reply of replies) {
          const answer = parseSurveyAnswer(reply, kind)
          expect(answer, reply).not.toBeNull()
          expect(answer!.comment, reply).toBeNull()
          expect(String(answer!.score), reply).toBe(reply.split(' ')[0])
        }
      }
    }
  })
})
