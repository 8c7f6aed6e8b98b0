import { checkForbidden, checkRequired, type FoundPhrase } from './phrase-rules.js'
import type { QaCategory, QaHit } from './qa-dto.js'
import type { QaRuleDef } from './qa-hits.js'
import { checkResolution, type QaLlm } from './resolution-rules.js'
import { ruleApplies, type RuleScope } from './rule-scope.js'
import { checkSentiment } from './sentiment-rules.js'
import { checkTiming } from './timing-rules.js'
import type { Inspection } from './transcript.js'

export interface RuleOutcome {
  ruleId: string
  applied: boolean
  /** why it did not apply */
  reason?: string
  /** a condition that failed to evaluate */
  error?: string
  hits: QaHit[]
  /** required phrases that were said, and where */
  found?: FoundPhrase[]
}

export interface InspectionOutcome {
  hits: QaHit[]
  applied: Set<QaCategory>
  rules: RuleOutcome[]
}

async function checkRule(rule: QaRuleDef, inspection: Inspection, llm?: QaLlm): Promise<RuleOutcome> {
  const decision = await ruleApplies(rule.scope as RuleScope, inspection)
  if (!decision.applies)
    return { ruleId: rule.id, applied: false, reason: decision.reason, error: decision.error, hits: [] }
  switch (rule.kind) {
    case 'forbidden-phrase':
      return { ruleId: rule.id, applied: true, hits: checkForbidden(rule, inspection) }
    case 'required-phrase': {
      const { hits, found } = checkRequired(rule, inspection)
      return { ruleId: rule.id, applied: true, hits, found }
    }
    default: {
      const hits =
        rule.kind === 'timing'
          ? checkTiming(rule, inspection)
          : rule.kind === 'sentiment'
            ? checkSentiment(rule, inspection)
            : await checkResolution(rule, inspection, llm)
      return hits
        ? { ruleId: rule.id, applied: true, hits }
        : { ruleId: rule.id, applied: false, reason: 'nothing to measure in this conversation', hits: [] }
    }
  }
}

/** Runs every rule on one conversation: the hits in transcript order, and which categories were inspected. */
export async function inspectConversation(
  rules: QaRuleDef[],
  inspection: Inspection,
  llm?: QaLlm,
): Promise<InspectionOutcome> {
  const outcomes: RuleOutcome[] = []
  for (const rule of rules) outcomes.push(await checkRule(rule, inspection, llm))
  const hits = outcomes
    .flatMap((o) => o.hits)
    .sort(
      (a, b) =>
        (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER) || (a.start ?? 0) - (b.start ?? 0),
    )
  const applied = new Set(outcomes.filter((o) => o.applied).map((o) => rules.find((r) => r.id === o.ruleId)!.category))
  return { hits, applied, rules: outcomes }
}
