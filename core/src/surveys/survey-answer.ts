import { SCORE_RANGE, type SurveyKind } from './survey-settings.js'

export interface SurveyAnswer {
  score: number
  /** what the customer wrote besides the score, if anything */
  comment: string | null
}

type Language = 'zh-CN' | 'en'

/** The quick replies offered with the question: tapping one sends its text. */
export function quickReplies(kind: SurveyKind, language: Language): string[] {
  if (kind === 'nps') return ['10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0']
  return [5, 4, 3, 2, 1].map((score) => `${score} ${CSAT_LABELS[language][score]}`)
}

const CSAT_LABELS: Record<Language, Record<number, string>> = {
  'zh-CN': { 5: '非常满意', 4: '满意', 3: '一般', 2: '不满意', 1: '非常不满意' },
  en: { 5: 'Excellent', 4: 'Good', 3: 'OK', 2: 'Poor', 1: 'Very poor' },
}

/**
 * Chinese words that are a CSAT score by themselves, longest first so 非常不满意 is not read as
 * 满意. No English words: "good", "ok" or "great" start too many new requests ("Good morning, my
 * parcel…"); English speakers tap a quick reply or send the number.
 */
const CSAT_WORDS: Array<[string, number]> = (
  [
    ['非常不满意', 1],
    ['很不满意', 1],
    ['十分不满意', 1],
    ['非常满意', 5],
    ['十分满意', 5],
    ['很满意', 5],
    ['不太满意', 2],
    ['不满意', 2],
    ['满意', 4],
    ['一般', 3],
    ['还行', 3],
    ['差评', 1],
    ['好评', 5],
  ] as Array<[string, number]>
).sort((a, b) => b[0].length - a[0].length)

/** the longest comment an answer carries: a longer message is a new request, not an answer */
export const MAX_ANSWER_COMMENT = 200

const CHINESE_DIGITS: Record<string, number> = {
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
}

/** what may follow a score: the end, a space, punctuation (not "3天前" or "4.5") */
const AFTER_SCORE = /^(?:$|[\s,，。.!！?？:：;；、~～\-—)）])/u
const LEADING_NOISE = /^[\s,，。.!！?？:：;；、~～\-—)）]+/u

/**
 * Reads a survey answer from what the customer sent: a number in the kind's range first
 * ("5", "５", "1 太慢了", "4分", "9/10", "五星"), or a Chinese CSAT word ("非常满意"), or a quick
 * reply ("4 Good"); what follows (after a space or punctuation, at most 200 characters) is the
 * comment. Anything else is no answer and goes to the bot or an agent as usual: a number that
 * counts something ("2 items missing", "2件商品少了", "3 天前"), an English word ("Good morning…"),
 * a long message.
 */
export function parseSurveyAnswer(text: string | null | undefined, kind: SurveyKind): SurveyAnswer | null {
  if (!text) return null
  const normalized = text.normalize('NFKC').trim()
  const found = leadingNumber(normalized) ?? (kind === 'csat' ? leadingWord(normalized) : null)
  if (!found) return null
  const { min, max } = SCORE_RANGE[kind]
  if (found.score < min || found.score > max) return null
  const after = normalized.slice(found.length)
  const rest = after.replace(LEADING_NOISE, '').trim()
  if (!rest) return { score: found.score, comment: null }
  if (isLabel(rest, found.score, kind)) return { score: found.score, comment: null }
  // "2 items missing", "3 天前买的": a number that counts something starts a request, not an answer
  if (found.bare && /^\s+(?:(?!\p{Script=Han})\p{L}|[个件单次天号块元月日年周小岁台瓶箱包盒张条份位])/u.test(after))
    return null
  if (rest.length > MAX_ANSWER_COMMENT) return null
  return { score: found.score, comment: rest }
}

interface Found {
  score: number
  length: number
  /** a number without a unit ("5", not "5分" or "5/5") */
  bare: boolean
}

function leadingNumber(text: string): Found | null {
  const digits = /^(\d{1,2})(\s*(?:分|星|stars?|points?|\/\s*(?:5|10)))?/iu.exec(text)
  if (digits && !/^\.\d/.test(text.slice(digits[0].length)) && AFTER_SCORE.test(text.slice(digits[0].length)))
    return { score: Number(digits[1]), length: digits[0].length, bare: digits[2] === undefined }
  const chinese = /^([零一二两三四五六七八九十])\s*(?:分|星)/u.exec(text)
  if (chinese && AFTER_SCORE.test(text.slice(chinese[0].length)))
    return { score: CHINESE_DIGITS[chinese[1]!]!, length: chinese[0].length, bare: false }
  return null
}

function leadingWord(text: string): Found | null {
  for (const [word, score] of CSAT_WORDS) {
    // the word must end there: "满意！" but not "满意度怎么查" or "一般来说…"
    if (text.startsWith(word) && AFTER_SCORE.test(text.slice(word.length)))
      return { score, length: word.length, bare: false }
  }
  return null
}

/** "5 非常满意" from a quick reply carries no comment: the label is the score's own. */
function isLabel(rest: string, score: number, kind: SurveyKind): boolean {
  if (kind !== 'csat') return false
  const lower = rest.toLowerCase()
  return lower === CSAT_LABELS['zh-CN'][score] || lower === CSAT_LABELS.en[score]!.toLowerCase()
}
