import type { z } from 'zod'
import { compilePhrases, findPhrases, type CompiledPhrase, type PhraseMatch } from './phrase-match.js'
import type { forbiddenPhraseConfig, requiredPhraseConfig } from './qa-dto.js'
import { hitOf, type QaRuleDef } from './qa-hits.js'
import type { QaHit } from './qa-dto.js'
import { normalizeText, type NormalizedText } from './text-normalize.js'
import type { Inspection, TranscriptLine } from './transcript.js'

type ForbiddenConfig = z.output<typeof forbiddenPhraseConfig>
type RequiredConfig = z.output<typeof requiredPhraseConfig>

/** Where a phrase was found (a required phrase that was said; the rules/test endpoint shows them). */
export interface FoundPhrase {
  phrase: string
  messageId: string
  seq: number
  start: number
  end: number
}

const normalized = new WeakMap<TranscriptLine, NormalizedText>()
function normalizedOf(line: TranscriptLine): NormalizedText {
  let text = normalized.get(line)
  if (!text) {
    text = normalizeText(line.body)
    normalized.set(line, text)
  }
  return text
}

const compiled = new WeakMap<object, CompiledPhrase[]>()
function compiledOf(config: ForbiddenConfig | RequiredConfig): CompiledPhrase[] {
  let phrases = compiled.get(config)
  if (!phrases) {
    phrases = compilePhrases(config.phrases)
    compiled.set(config, phrases)
  }
  return phrases
}

function linesOf(inspection: Inspection, speaker: 'agent' | 'customer' | 'any'): TranscriptLine[] {
  return inspection.lines.filter((l) => (speaker === 'any' ? l.speaker !== 'bot' : l.speaker === speaker))
}

function matchesIn(
  lines: TranscriptLine[],
  phrases: CompiledPhrase[],
): Array<{ line: TranscriptLine; match: PhraseMatch }> {
  return lines.flatMap((line) => findPhrases(normalizedOf(line), phrases).map((match) => ({ line, match })))
}

/** Every time a forbidden phrase was said: one hit each, at its place in the message. */
export function checkForbidden(rule: QaRuleDef, inspection: Inspection): QaHit[] {
  const config = rule.config as ForbiddenConfig
  return matchesIn(linesOf(inspection, config.speaker), compiledOf(config)).map(({ line, match }) =>
    hitOf(rule, {
      line,
      start: match.start,
      end: match.end,
      phrase: match.phrase,
      source: 'phrase',
      explanation: {
        en: `Said "${line.body.slice(match.start, match.end)}" (forbidden: ${match.phrase})`,
        'zh-CN': `说了禁用语「${line.body.slice(match.start, match.end)}」（${match.phrase}）`,
      },
    }),
  )
}

function windowWords(config: RequiredConfig): { en: string; 'zh-CN': string } {
  const who = config.speaker === 'customer' ? { en: "the customer's", zh: '客户' } : { en: "the agent's", zh: '坐席' }
  if (config.speaker === 'any') {
    if (!config.within) return { en: 'in the conversation', 'zh-CN': '（整个对话中）' }
    const { position, messages } = config.within
    return position === 'first'
      ? { en: `within the first ${messages} messages`, 'zh-CN': `（前 ${messages} 条消息内）` }
      : { en: `within the last ${messages} messages`, 'zh-CN': `（最后 ${messages} 条消息内）` }
  }
  if (!config.within) return { en: `in ${who.en} messages`, 'zh-CN': `（${who.zh}消息中）` }
  const { position, messages } = config.within
  return position === 'first'
    ? { en: `within ${who.en} first ${messages} messages`, 'zh-CN': `（${who.zh}前 ${messages} 条消息内）` }
    : { en: `within ${who.en} last ${messages} messages`, 'zh-CN': `（${who.zh}最后 ${messages} 条消息内）` }
}

/**
 * A required phrase not said where it must be: one hit without a position (which window was
 * expected is in its explanation). `match: any` wants one of the phrases, `all` each of them.
 */
export function checkRequired(rule: QaRuleDef, inspection: Inspection): { hits: QaHit[]; found: FoundPhrase[] } {
  const config = rule.config as RequiredConfig
  let lines = linesOf(inspection, config.speaker)
  if (config.within)
    lines =
      config.within.position === 'first' ? lines.slice(0, config.within.messages) : lines.slice(-config.within.messages)
  const phrases = compiledOf(config)
  const found = matchesIn(lines, phrases).map(({ line, match }) => ({
    phrase: match.phrase,
    messageId: line.id,
    seq: line.seq,
    start: match.start,
    end: match.end,
  }))
  const said = new Set(found.map((f) => f.phrase))
  const where = windowWords(config)
  const missing = phrases.map((p) => p.label).filter((label) => !said.has(label))
  const detail = { window: config.within ?? null, speaker: config.speaker }
  if (config.match === 'any') {
    if (said.size > 0) return { hits: [], found }
    const list = missing.map((m) => `"${m}"`).join(missing.length > 1 ? ' / ' : '')
    const zhList = missing.map((m) => `「${m}」`).join(' / ')
    return {
      found,
      hits: [
        hitOf(rule, {
          phrase: missing.join(' / '),
          source: 'missing',
          explanation: {
            en: `Missing ${missing.length > 1 ? 'one of ' : ''}${list} ${where.en}`,
            'zh-CN': `缺少必说话术${zhList}${where['zh-CN']}`,
          },
          detail,
        }),
      ],
    }
  }
  return {
    found,
    hits: missing.map((phrase) =>
      hitOf(rule, {
        phrase,
        source: 'missing',
        explanation: { en: `Missing "${phrase}" ${where.en}`, 'zh-CN': `缺少必说话术「${phrase}」${where['zh-CN']}` },
        detail,
      }),
    ),
  }
}
