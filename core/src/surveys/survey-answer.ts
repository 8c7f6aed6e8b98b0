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

/** Words that are a CSAT score by themselves, longest first so 非常不满意 is not read as 满意. */
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
    ['very poor', 1],
    ['terrible', 1],
    ['excellent', 5],
    ['great', 5],
    ['good', 4],
    ['okay', 3],
    ['ok', 3],
    ['poor', 2],
    ['bad', 2],
  ] as Array<[string, number]>
).sort((a, b) => b[0].length - a[0].length)

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
 * ("5", "５", "1 太慢了", "4分", "9/10", "五星"), or a CSAT word ("非常满意", "good"); what follows is
 * the comment. Anything else is no answer (the message then goes to the bot or an agent as usual).
 */
export function parseSurveyAnswer(text: string | null | undefined, kind: SurveyKind): SurveyAnswer | null {
  if (!text) return null
  const normalized = text.normalize('NFKC').trim()
  const found = leadingNumber(normalized) ?? (kind === 'csat' ? leadingWord(normalized) : null)
  if (!found) return null
  const { min, max } = SCORE_RANGE[kind]
  if (found.score < min || found.score > max) return null
  const rest = normalized.slice(found.length).replace(LEADING_NOISE, '').trim()
  return { score: found.score, comment: rest && !isLabel(rest, found.score, kind) ? rest.slice(0, 2000) : null }
}

function leadingNumber(text: string): { score: number; length: number } | null {
  const digits = /^(\d{1,2})(\s*(?:分|星|stars?|points?|\/\s*(?:5|10)))?/iu.exec(text)
  if (digits && !/^\.\d/.test(text.slice(digits[0].length)) && AFTER_SCORE.test(text.slice(digits[0].length)))
    return { score: Number(digits[1]), length: digits[0].length }
  const chinese = /^([零一二两三四五六七八九十])\s*(?:分|星)/u.exec(text)
  if (chinese && AFTER_SCORE.test(text.slice(chinese[0].length)))
    return { score: CHINESE_DIGITS[chinese[1]!]!, length: chinese[0].length }
  return null
}

function leadingWord(text: string): { score: number; length: number } | null {
  const lower = text.toLowerCase()
  for (const [word, score] of CSAT_WORDS) {
    if (!lower.startsWith(word)) continue
    // an English word must end there ("good" but not "goods arrived")
    if (/^[a-z]/.test(word) && /^[a-z]/i.test(lower.slice(word.length))) continue
    return { score, length: word.length }
  }
  return null
}

/** "5 非常满意" from a quick reply carries no comment: the label is the score's own. */
function isLabel(rest: string, score: number, kind: SurveyKind): boolean {
  if (kind !== 'csat') return false
  const lower = rest.toLowerCase()
  return lower === CSAT_LABELS['zh-CN'][score] || lower === CSAT_LABELS.en[score]!.toLowerCase()
}
