import type { Actor } from '../audit/index.js'
import type { CreateRuleInput } from './qa-dto.js'
import type { QaService } from './qa-service.js'

/**
 * The rules a new shop starts from (the demo data loads them): the forbidden phrases of the
 * contact-centre seeds, the privacy notice on calls, 保价 for orders over 500 yuan, and the
 * first response within a minute.
 */
export const DEFAULT_QA_RULES: CreateRuleInput[] = [
  {
    name: '禁用语 Forbidden phrases',
    description: '推诿、不耐烦的说法 / Phrases that push the customer away',
    kind: 'forbidden-phrase',
    category: 'attitude',
    weight: 10,
    config: {
      speaker: 'agent',
      phrases: [
        { text: '不知道', variants: ['不清楚'] },
        { text: '没办法', variants: ['没有办法', '没法子'] },
        { text: '你自己查', variants: ['您自己查', '自己去查'], regexes: ['[你您]自己(去)?(查|看)'] },
        { text: "I don't know", variants: ['I do not know', 'no idea'] },
        { text: "there's nothing I can do", variants: ['nothing I can do'] },
      ],
    },
  },
  {
    name: '隐私告知 Privacy notice on calls',
    description: '通话开始时告知隐私 / The privacy notice at the start of every call',
    kind: 'required-phrase',
    category: 'compliance',
    weight: 20,
    scope: { channels: ['voice', 'phone'] },
    config: {
      speaker: 'agent',
      match: 'any',
      within: { position: 'first', messages: 3 },
      phrases: [{ text: '为了保护您的隐私' }, { text: 'for your privacy', variants: ['to protect your privacy'] }],
    },
  },
  {
    name: '大额订单提示保价 Insurance for orders over 500',
    description: '订单金额超过 500 元时须提示保价 / Mention shipping insurance for orders over 500 yuan',
    kind: 'required-phrase',
    category: 'compliance',
    weight: 15,
    scope: { when: 'attributes.orderAmount > 500' },
    config: {
      speaker: 'agent',
      match: 'any',
      phrases: [
        { text: '保价', variants: ['保价服务'] },
        { text: 'shipping insurance', variants: ['insured shipping'] },
      ],
    },
  },
  {
    name: '首次响应 60 秒 First response within 60 s',
    description: '转人工后 60 秒内首次回复 / The agent answers within a minute of the handoff',
    kind: 'timing',
    category: 'process',
    weight: 10,
    config: { measure: 'first-response', seconds: 60 },
  },
]

/** Creates the default rules that are not there yet (by name). */
export async function loadDefaultQaRules(qa: QaService, actor: Actor): Promise<number> {
  const existing = new Set((await qa.rules.list()).map((r) => r.name))
  let created = 0
  for (const rule of DEFAULT_QA_RULES) {
    if (existing.has(rule.name)) continue
    await qa.rules.create(actor, rule)
    created++
  }
  return created
}
