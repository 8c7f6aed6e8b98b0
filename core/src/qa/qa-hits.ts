import type { QaCategory, QaHit, QaKind } from './qa-dto.js'
import { excerptOf } from './text-normalize.js'
import type { TranscriptLine } from './transcript.js'

/** A rule as the checks read it: its settings parsed, its scope and config as stored. */
export interface QaRuleDef {
  id: string
  name: string
  kind: QaKind
  category: QaCategory
  weight: number
  scope: Record<string, unknown>
  config: Record<string, unknown>
}

/** What a check found, before it is named after its rule. */
export interface Finding {
  line?: TranscriptLine | null
  start?: number | null
  end?: number | null
  phrase?: string | null
  source: QaHit['source']
  explanation: QaHit['explanation']
  detail?: Record<string, unknown>
}

const EXCERPT_LENGTH = 40

export function hitOf(rule: QaRuleDef, finding: Finding): QaHit {
  const line = finding.line ?? null
  const start = finding.start ?? null
  const end = finding.end ?? null
  const excerpt = line
    ? start !== null && end !== null
      ? excerptOf(line.body, start, end)
      : excerptOf(line.body, 0, 0, EXCERPT_LENGTH)
    : null
  return {
    id: `${rule.id}:${line?.id ?? finding.phrase ?? 'conversation'}:${start ?? '-'}`,
    ruleId: rule.id,
    ruleName: rule.name,
    kind: rule.kind,
    category: rule.category,
    weight: rule.weight,
    messageId: line?.id ?? null,
    seq: line?.seq ?? null,
    start,
    end,
    excerpt,
    phrase: finding.phrase ?? null,
    speaker: line?.speaker ?? null,
    source: finding.source,
    explanation: finding.explanation,
    ...(finding.detail ? { detail: finding.detail } : {}),
    // a call transcript's segment: where in the recording it was said
    ...(line?.recordingId !== undefined ? { recordingId: line.recordingId, offsetMs: line.offsetMs ?? null } : {}),
    accepted: true,
  }
}

/** "the agent's", "the customer's" — for explanations. */
export const speakerWords = {
  agent: { en: "the agent's", 'zh-CN': '坐席' },
  customer: { en: "the customer's", 'zh-CN': '客户' },
  any: { en: 'any', 'zh-CN': '' },
} as const
