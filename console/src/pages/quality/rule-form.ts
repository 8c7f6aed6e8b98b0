import type { QaCategory, QaKind, QaRule, RuleScope } from './qa-types'

/** The category a kind of rule counts in unless the admin picks another (as the API defaults it). */
export const DEFAULT_CATEGORY: Record<QaKind, QaCategory> = {
  'forbidden-phrase': 'attitude',
  'required-phrase': 'compliance',
  timing: 'process',
  sentiment: 'attitude',
  resolution: 'resolution',
}

export interface PhraseRow {
  text: string
  /** other ways of saying it, one per line or separated by commas */
  variants: string
  /** regular expressions, one per line */
  regexes: string
}

/** What the rule editor edits: one flat form for every kind; `payloadOf` keeps what the kind uses. */
export interface RuleForm {
  name: string
  description: string
  kind: QaKind
  category: QaCategory
  weight: number
  enabled: boolean
  channels: string[]
  queueIds: string[]
  intents: string
  when: string
  phrases: PhraseRow[]
  speaker: 'agent' | 'customer' | 'any'
  match: 'any' | 'all'
  withinPosition: '' | 'first' | 'last'
  withinMessages: number
  measure: 'first-response' | 'silence' | 'call-silence'
  seconds: number
  lastMessages: number
  useConversationSentiment: boolean
  llm: boolean
  rubric: string
}

export function emptyForm(kind: QaKind = 'forbidden-phrase'): RuleForm {
  return {
    name: '',
    description: '',
    kind,
    category: DEFAULT_CATEGORY[kind],
    weight: 10,
    enabled: true,
    channels: [],
    queueIds: [],
    intents: '',
    when: '',
    phrases: [{ text: '', variants: '', regexes: '' }],
    speaker: 'agent',
    match: 'any',
    withinPosition: '',
    withinMessages: 3,
    measure: 'first-response',
    seconds: 60,
    lastMessages: kind === 'sentiment' ? 2 : 3,
    useConversationSentiment: true,
    llm: true,
    rubric: '',
  }
}

const list = (text: string, separators: RegExp) =>
  text
    .split(separators)
    .map((s) => s.trim())
    .filter(Boolean)

/** A stored rule as the editor's form. */
export function formOf(rule: QaRule): RuleForm {
  const c = rule.config as Record<string, unknown>
  const form = emptyForm(rule.kind)
  const phrases = (c.phrases as Array<{ text: string; variants?: string[]; regexes?: string[] }> | undefined) ?? []
  const within = c.within as { position: 'first' | 'last'; messages: number } | undefined
  return {
    ...form,
    name: rule.name,
    description: rule.description,
    category: rule.category,
    weight: rule.weight,
    enabled: rule.enabled,
    channels: rule.scope.channels ?? [],
    queueIds: rule.scope.queueIds ?? [],
    intents: (rule.scope.intents ?? []).join(', '),
    when: rule.scope.when ?? '',
    phrases: phrases.length
      ? phrases.map((p) => ({
          text: p.text,
          variants: (p.variants ?? []).join(', '),
          regexes: (p.regexes ?? []).join('\n'),
        }))
      : form.phrases,
    speaker: (c.speaker as RuleForm['speaker']) ?? 'agent',
    match: (c.match as RuleForm['match']) ?? 'any',
    withinPosition: within?.position ?? '',
    withinMessages: within?.messages ?? 3,
    measure: (c.measure as RuleForm['measure']) ?? 'first-response',
    seconds: (c.seconds as number) ?? 60,
    lastMessages: (c.lastMessages as number) ?? form.lastMessages,
    useConversationSentiment: (c.useConversationSentiment as boolean) ?? true,
    llm: (c.llm as boolean) ?? true,
    rubric: (c.rubric as string) ?? '',
  }
}

export function scopeOf(form: RuleForm): RuleScope {
  const intents = list(form.intents, /[,，\n]/)
  return {
    ...(form.channels.length ? { channels: form.channels } : {}),
    ...(form.queueIds.length ? { queueIds: form.queueIds } : {}),
    ...(intents.length ? { intents } : {}),
    ...(form.when.trim() ? { when: form.when.trim() } : {}),
  }
}

export function configOf(form: RuleForm): Record<string, unknown> {
  switch (form.kind) {
    case 'forbidden-phrase':
    case 'required-phrase': {
      const phrases = form.phrases
        .filter((p) => p.text.trim() || p.variants.trim() || p.regexes.trim())
        .map((p) => ({
          text: p.text.trim(),
          variants: list(p.variants, /[,，\n]/),
          regexes: list(p.regexes, /\n/),
        }))
      if (form.kind === 'forbidden-phrase') return { phrases, speaker: form.speaker }
      return {
        phrases,
        speaker: form.speaker,
        match: form.match,
        ...(form.withinPosition ? { within: { position: form.withinPosition, messages: form.withinMessages } } : {}),
      }
    }
    case 'timing':
      return { measure: form.measure, seconds: form.seconds }
    case 'sentiment':
      return { lastMessages: form.lastMessages, useConversationSentiment: form.useConversationSentiment }
    case 'resolution':
      return {
        lastMessages: form.lastMessages,
        llm: form.llm,
        ...(form.rubric.trim() ? { rubric: form.rubric.trim() } : {}),
      }
  }
}

/** The rule as POST /api/v1/qa/rules (and rules/test) take it. */
export function payloadOf(form: RuleForm) {
  return {
    name: form.name.trim(),
    description: form.description.trim(),
    kind: form.kind,
    category: form.category,
    weight: form.weight,
    enabled: form.enabled,
    scope: scopeOf(form),
    config: configOf(form),
  }
}

/** The fields PATCH /api/v1/qa/rules/{id} takes (the kind of a rule does not change). */
export function patchOf(form: RuleForm) {
  const { kind: _kind, ...rest } = payloadOf(form)
  return rest
}
