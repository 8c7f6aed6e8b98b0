import type { z } from 'zod'
import { compilePhrases, findPhrases } from './phrase-match.js'
import type { QaHit, resolutionConfig } from './qa-dto.js'
import { hitOf, type QaRuleDef } from './qa-hits.js'
import { normalizeText } from './text-normalize.js'
import type { Inspection, TranscriptLine } from './transcript.js'

type ResolutionConfig = z.output<typeof resolutionConfig>

/** An LLM for the rubric: the `llm.complete` capability of the configured plugin. */
export interface QaLlm {
  /** whether an LLM answers (the admin chose `llm` and a plugin implements it) */
  available(): boolean
  complete(input: {
    messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>
    temperature?: number
    maxTokens?: number
  }): Promise<{ text: string }>
}

/**
 * What a concrete resolution looks like in the agent's words (matched on the normalised, lower
 * case text): an action done or arranged, a delivery or refund time, a period, a date or time,
 * an order, tracking or ticket number.
 */
const CONCRETE: Array<{ name: string; pattern: RegExp }> = [
  {
    name: 'action',
    pattern:
      /已(?:经)?(?:为您|帮您|给您|替您)?(?:办理|退款|退回|补发|换货|重新发货|寄出|发出|发货|登记|提交|取消|修改|更改|安排|处理好|处理完|申请|备注|加急|开具|开好|转交|升级|改好|补偿|赔付)/u,
  },
  {
    name: 'action',
    pattern: /(?:为您|帮您|给您|替您)(?:办理|安排|退款|补发|换货|寄出|申请|登记|修改|取消|加急|开具|补偿)/u,
  },
  { name: 'time', pattern: /预计.{0,12}(?:送达|到账|到货|发货|退回|处理完|完成|联系|回电)/u },
  { name: 'period', pattern: /\d+\s*个?(?:工作日|小时|天|分钟)(?:内|之内|以内)/u },
  { name: 'date', pattern: /(?:明天|后天|今天|今晚|本周|下周)[^，。！？,.!?]{0,8}(?:前|内|送达|到|联系|回电|发货)/u },
  { name: 'date', pattern: /\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}月\d{1,2}[日号]|\b\d{1,2}:\d{2}\b|\d{1,2}点/u },
  { name: 'number', pattern: /(?:单号|订单号|运单号|工单号)[^\d]{0,6}\d|\d{6,}|\b[a-z]{1,4}\d{8,}\b/u },
  {
    name: 'action',
    pattern:
      /\b(?:i|we)(?:'ve| have)? (?:just |already )?(?:refunded|issued|sent|arranged|processed|cancell?ed|updated|scheduled|replaced|reshipped|credited|created|escalated|booked|changed|reset|fixed|applied)\b/u,
  },
  {
    name: 'action',
    pattern:
      /\b(?:has|have) (?:now |already )?been (?:refunded|shipped|sent|processed|cancell?ed|replaced|credited|approved|updated|arranged|scheduled|dispatched|fixed|resolved)\b/u,
  },
  {
    name: 'time',
    pattern: /\bwill (?:arrive|be delivered|reach you|be refunded|be credited|ship|be shipped|be back)\b/u,
  },
  { name: 'period', pattern: /\bwithin \d+ (?:business |working )?(?:days?|hours?|minutes?)\b/u },
  {
    name: 'date',
    pattern:
      /\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\btomorrow\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}\b|\b\d{1,2}\/\d{1,2}\b/u,
  },
  { name: 'number', pattern: /\b(?:tracking|order|ticket|case|reference|refund) (?:number|no\.?|#|id)\b/u },
]

/** Endings that promise nothing: shown as the hit's place when nothing concrete was said. */
const VAGUE = compilePhrases(
  [
    '请耐心等待',
    '耐心等候',
    '我们会尽快',
    '尽快处理',
    '稍后联系',
    '稍后会联系',
    '反馈一下',
    '不清楚',
    '不确定',
    '再看看',
    '等通知',
    'please wait',
    'we will look into it',
    "we'll look into it",
    'as soon as possible',
    'get back to you',
    'not sure',
    'someone will contact you',
  ].map((text) => ({ text })),
)

/** The concrete things the agent said in these messages (names of the patterns that matched). */
export function concreteSignals(lines: TranscriptLine[]): string[] {
  const found = new Set<string>()
  for (const line of lines) {
    const text = normalizeText(line.body).text
    for (const { name, pattern } of CONCRETE) if (pattern.test(text)) found.add(name)
  }
  return [...found]
}

function heuristicHits(
  rule: QaRuleDef,
  lines: TranscriptLine[],
  config: ResolutionConfig,
  extra: Record<string, unknown> = {},
): QaHit[] {
  const signals = concreteSignals(lines)
  if (signals.length > 0) return []
  const vague = [...lines]
    .reverse()
    .map((line) => ({ line, match: findPhrases(normalizeText(line.body), VAGUE)[0] }))
    .find((v) => v.match)
  const last = lines[lines.length - 1]!
  const explanation = {
    en: `No concrete resolution (an action, a time, a date or a number) in the agent's last ${config.lastMessages} messages`,
    'zh-CN': `坐席最后 ${config.lastMessages} 条消息中没有明确的解决方案（具体操作、时间、日期或单号）`,
  }
  return [
    hitOf(rule, {
      line: vague?.line ?? last,
      start: vague?.match?.start ?? null,
      end: vague?.match?.end ?? null,
      phrase: vague?.match?.phrase ?? null,
      source: 'heuristic',
      explanation,
      detail: { ...extra },
    }),
  ]
}

const WHO = { customer: 'Customer', agent: 'Agent', bot: 'Bot' } as const

function rubricPrompt(inspection: Inspection, config: ResolutionConfig) {
  const transcript = inspection.lines
    .slice(-60)
    .map((l) => `${WHO[l.speaker]}: ${l.body.slice(0, 1000)}`)
    .join('\n')
  const system = [
    'You review customer-service conversations for quality.',
    'Decide whether the agent gave the customer a concrete resolution: a specific action taken or arranged (a refund, a replacement, a change), a time or date, or a reference number, and not only a promise to look into it.',
    config.rubric ? `Also apply these criteria: ${config.rubric}` : '',
    'Answer with JSON only: {"resolved": true or false, "reason": "<one short sentence in the language of the conversation>"}.',
  ]
    .filter(Boolean)
    .join(' ')
  return [
    { role: 'system' as const, content: system },
    { role: 'user' as const, content: transcript },
  ]
}

function parseVerdict(text: string): { resolved: boolean; reason: string } {
  const json = /\{[\s\S]*\}/.exec(text)?.[0]
  const parsed = json ? (JSON.parse(json) as { resolved?: unknown; reason?: unknown }) : null
  if (typeof parsed?.resolved !== 'boolean')
    throw new Error(`the model's answer has no "resolved": ${text.slice(0, 200)}`)
  return { resolved: parsed.resolved, reason: typeof parsed.reason === 'string' ? parsed.reason.slice(0, 500) : '' }
}

/**
 * Did the agent give a concrete resolution? The LLM rubric when an LLM is configured (and the
 * rule allows it), else, or when the LLM fails, the built-in heuristics over the agent's last
 * messages. Null (does not apply) when the agent never wrote.
 */
export async function checkResolution(rule: QaRuleDef, inspection: Inspection, llm?: QaLlm): Promise<QaHit[] | null> {
  const config = rule.config as ResolutionConfig
  const lines = inspection.lines.filter((l) => l.speaker === 'agent').slice(-config.lastMessages)
  if (lines.length === 0) return null
  if (!config.llm || !llm?.available()) return heuristicHits(rule, lines, config)
  let verdict: { resolved: boolean; reason: string }
  try {
    const reply = await llm.complete({ messages: rubricPrompt(inspection, config), temperature: 0, maxTokens: 200 })
    verdict = parseVerdict(reply.text)
  } catch (error) {
    return heuristicHits(rule, lines, config, { llmError: (error as Error).message.slice(0, 300) })
  }
  if (verdict.resolved) return []
  return [
    hitOf(rule, {
      line: lines[lines.length - 1],
      source: 'llm',
      explanation: {
        en: `No concrete resolution (LLM review)${verdict.reason ? `: ${verdict.reason}` : ''}`,
        'zh-CN': `未给出明确的解决方案（大模型评审）${verdict.reason ? `：${verdict.reason}` : ''}`,
      },
      detail: { reason: verdict.reason },
    }),
  ]
}
