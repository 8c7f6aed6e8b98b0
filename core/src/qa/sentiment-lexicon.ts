import { findPhrases, type CompiledPhrase, type PhraseMatch } from './phrase-match.js'
import { normalizePhrase, normalizeText } from './text-normalize.js'

/**
 * A small word list for how a customer sounds at the end of a conversation, in Chinese and
 * English. It only needs to tell "thanks, solved" from "this is useless, I will complain"; a
 * flow or an LLM plugin that sets the conversation's `sentiment` takes precedence.
 * Longer entries win over the shorter ones inside them ("不满意" over "满意", "not happy" over "happy").
 */
const NEGATIVE = [
  // zh
  '生气',
  '气死',
  '太差',
  '很差',
  '差劲',
  '垃圾',
  '失望',
  '投诉',
  '不满意',
  '不满',
  '骗子',
  '骗人',
  '坑人',
  '恶心',
  '无语',
  '糟糕',
  '什么破',
  '再也不',
  '举报',
  '愤怒',
  '太慢',
  '没用',
  '不行',
  '差评',
  '退钱',
  '服了',
  '忍无可忍',
  '莫名其妙',
  '敷衍',
  '态度差',
  '还没解决',
  '没有解决',
  '没解决',
  '不好',
  '不太好',
  // en
  'angry',
  'terrible',
  'awful',
  'worst',
  'disappointed',
  'disappointing',
  'useless',
  'ridiculous',
  'complaint',
  'complain',
  'unacceptable',
  'scam',
  'never again',
  'horrible',
  'furious',
  'rubbish',
  'waste of time',
  'not happy',
  'not satisfied',
  'unhappy',
  'not helpful',
  'still not',
  'not resolved',
  'not solved',
  'annoyed',
  'frustrated',
  'fed up',
  'not good',
  'not great',
]

const POSITIVE = [
  // zh
  '谢谢',
  '感谢',
  '多谢',
  '满意',
  '很好',
  '太好了',
  '好的',
  '辛苦',
  '棒',
  '解决了',
  '明白了',
  '清楚了',
  '给力',
  '赞',
  '好评',
  '没问题了',
  // en
  'thanks',
  'thank you',
  'great',
  'perfect',
  'appreciate',
  'helpful',
  'solved',
  'awesome',
  'good',
  'excellent',
  'happy',
  'satisfied',
  'resolved',
  'cheers',
  'wonderful',
]

// labelled by their sign: "-投诉", "+thanks"
const lexicon: CompiledPhrase[] = [
  ...NEGATIVE.map((text) => ({ label: `-${text}`, needles: [normalizePhrase(text)], regexes: [] })),
  ...POSITIVE.map((text) => ({ label: `+${text}`, needles: [normalizePhrase(text)], regexes: [] })),
]

export interface SentimentReading {
  /** positive words minus negative words */
  score: number
  negative: PhraseMatch[]
  positive: PhraseMatch[]
}

/** How one text sounds by the word lists: the words found, with their offsets in the text. */
export function readSentiment(text: string): SentimentReading {
  const matches = findPhrases(normalizeText(text), lexicon).map((m) => ({
    ...m,
    phrase: m.phrase.slice(1),
    sign: m.phrase[0],
  }))
  const negative = matches.filter((m) => m.sign === '-').map(({ sign: _sign, ...m }) => m)
  const positive = matches.filter((m) => m.sign === '+').map(({ sign: _sign, ...m }) => m)
  return { score: positive.length - negative.length, negative, positive }
}
