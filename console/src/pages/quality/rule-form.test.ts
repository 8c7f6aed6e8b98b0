import { describe, expect, it } from 'vitest'
import type { QaRule } from './qa-types'
import { emptyForm, formOf, patchOf, payloadOf } from './rule-form'

const stored = (over: Partial<QaRule>): QaRule => ({
  id: 'r1',
  name: 'Rule',
  description: '',
  enabled: true,
  kind: 'forbidden-phrase',
  category: 'attitude',
  weight: 10,
  scope: {},
  config: {},
  createdAt: '2026-11-20T08:00:00Z',
  updatedAt: '2026-11-20T08:00:00Z',
  ...over,
})

describe('the rule form', () => {
  it('turns phrases with variants (commas, Chinese commas or lines) and regexes (lines) into the API config', () => {
    const form = emptyForm('forbidden-phrase')
    form.name = ' 禁用语 '
    form.phrases = [
      { text: '没办法', variants: '没有办法，没法子', regexes: '' },
      { text: '你自己查', variants: '', regexes: '[你您]自己(去)?查\n自己看' },
      { text: '', variants: '', regexes: '' },
    ]
    form.channels = ['webchat']
    form.when = ' attributes.orderAmount > 500 '
    expect(payloadOf(form)).toEqual({
      name: '禁用语',
      description: '',
      kind: 'forbidden-phrase',
      category: 'attitude',
      weight: 10,
      enabled: true,
      scope: { channels: ['webchat'], when: 'attributes.orderAmount > 500' },
      config: {
        speaker: 'agent',
        phrases: [
          { text: '没办法', variants: ['没有办法', '没法子'], regexes: [] },
          { text: '你自己查', variants: [], regexes: ['[你您]自己(去)?查', '自己看'] },
        ],
      },
    })
  })

  it('gives a required phrase its place only when one is chosen', () => {
    const form = emptyForm('required-phrase')
    form.phrases = [{ text: '为了保护您的隐私', variants: '', regexes: '' }]
    expect(payloadOf(form).config).toEqual({
      phrases: [{ text: '为了保护您的隐私', variants: [], regexes: [] }],
      speaker: 'agent',
      match: 'any',
    })
    form.withinPosition = 'first'
    expect(payloadOf(form).config).toMatchObject({ within: { position: 'first', messages: 3 } })
    expect(payloadOf(form).category).toBe('compliance')
  })

  it('reads a stored rule back into the same payload, and a patch leaves the kind out', () => {
    const rule = stored({
      kind: 'required-phrase',
      category: 'compliance',
      weight: 20,
      scope: { channels: ['voice'], intents: ['refund', 'presale'] },
      config: {
        phrases: [{ text: 'for your privacy', variants: ['to protect your privacy'], regexes: [] }],
        speaker: 'agent',
        match: 'any',
        within: { position: 'first', messages: 3 },
      },
    })
    const payload = payloadOf(formOf(rule))
    expect(payload.scope).toEqual(rule.scope)
    expect(payload.config).toEqual(rule.config)
    expect(patchOf(formOf(rule))).not.toHaveProperty('kind')
    expect(
      payloadOf(formOf(stored({ kind: 'timing', category: 'process', config: { measure: 'silence', seconds: 90 } })))
        .config,
    ).toEqual({
      measure: 'silence',
      seconds: 90,
    })
  })
})
