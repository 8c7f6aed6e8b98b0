import { describe, expect, it } from 'vitest'
import { applySuggestion, expressionKindAt, expressionSuggestions, filterSuggestions, wordAt } from './expressions'
import { doc } from './graph.fixtures'

const flow = {
  ...doc(
    [
      { id: 'start', type: 'start', config: {} },
      { id: 'init', type: 'set-variables', config: { assignments: [{ name: 'tries', value: '0' }] } },
      { id: 'ask', type: 'ask', config: { prompt: 'Order?', variable: 'orderNumber' } },
      { id: 'lookup', type: 'plugin-action', config: { action: 'erp.getOrder', variable: 'order' } },
      { id: 'say', type: 'send-message', config: { text: '' } },
      { id: 'elsewhere', type: 'ask', config: { prompt: 'x', variable: 'unrelated' } },
    ],
    [
      { from: 'start', port: 'next', to: 'init' },
      { from: 'init', port: 'next', to: 'ask' },
      { from: 'ask', port: 'next', to: 'lookup' },
      { from: 'lookup', port: 'ok', to: 'say' },
    ],
  ),
  variables: { language: 'zh-CN' },
}

describe('expression autocomplete', () => {
  it('offers document variables, variables set upstream (nearest first), then contact and conversation fields', () => {
    const all = expressionSuggestions(flow, 'say').map((s) => s.insert)
    expect(all.slice(0, 5)).toEqual([
      'vars.language',
      'vars.order',
      'vars.orderError',
      'vars.orderNumber',
      'vars.tries',
    ])
    expect(all).toContain('contact.name')
    expect(all).toContain('conversation.channel')
    expect(all).not.toContain('vars.unrelated')
  })

  it('filters by the word at the caret and replaces it', () => {
    const all = expressionSuggestions(flow, 'say')
    expect(wordAt('vars.order = 1', 10)).toEqual({ start: 0, word: 'vars.order' })
    expect(filterSuggestions(all, 'vars.ord').map((s) => s.insert)).toEqual([
      'vars.order',
      'vars.orderError',
      'vars.orderNumber',
    ])
    expect(filterSuggestions(all, 'name').map((s) => s.insert)).toEqual(['contact.name'])
    expect(applySuggestion('{{ vars.ordN }}', 12, 'vars.orderNumber')).toEqual({
      text: '{{ vars.orderNumber }}',
      caret: 19,
    })
  })

  it('knows which form fields are expressions or templates from the node type', () => {
    const fields = [
      { path: 'cases.*.when', kind: 'expression' as const },
      { path: 'prompt', kind: 'template' as const },
    ]
    expect(expressionKindAt(fields, 'cases.3.when')).toBe('expression')
    expect(expressionKindAt(fields, 'cases.3.port')).toBeNull()
    expect(expressionKindAt(fields, 'prompt')).toBe('template')
    expect(expressionKindAt(fields, 'prompt.zh-CN')).toBe('template')
  })
})
