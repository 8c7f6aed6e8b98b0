import jsonata from 'jsonata'
import { describe, expect, it } from 'vitest'
import { ExpressionError, evaluateExpression, renderTemplate } from './expressions.js'

const scope = () => ({
  contact: null,
  conversation: { id: 'c1', tags: ['vip'], attributes: { tier: 'gold', score: 7, ok: true, none: null } },
  vars: {
    orderNumber: '12345678',
    count: 0,
    big: 1e21,
    nan: Number.NaN,
    flag: false,
    empty: '',
    list: [{ name: 'a' }, { name: 'b' }],
    nested: { deep: { value: 'x' } },
    one: [5],
  },
  input: { text: 'Hi, where is my order 12345678?' },
  now: '2026-11-21T08:00:00.000Z',
  channel: 'text',
})

describe('expressions', () => {
  // plain paths are read directly when they can be: the answer must always be JSONata's
  const paths = [
    'input.text',
    'vars.orderNumber',
    'vars.count',
    'vars.big',
    'vars.nan',
    'vars.flag',
    'vars.empty',
    'vars.missing',
    'vars.missing.deeper',
    'vars.list',
    'vars.list.name',
    'vars.one',
    'vars.nested',
    'vars.nested.deep.value',
    'vars.constructor',
    'vars.toString',
    'vars.hasOwnProperty',
    'conversation.tags',
    'conversation.attributes.tier',
    'conversation.attributes.score',
    'conversation.attributes.ok',
    'conversation.attributes.none',
    'contact.name',
    'channel',
    'now',
    'true',
    'null',
    'vars.orderNumber.length',
  ]
  it.each(paths)('%s is what JSONata answers', async (expression) => {
    const direct = await jsonata(expression).evaluate(scope())
    expect(await evaluateExpression(expression, scope())).toEqual(direct)
  })

  it('renders templates, the same template many times, with JSONata for what is not a plain path', async () => {
    const template =
      'Order {{ vars.orderNumber }} ({{ $count(vars.list) }} items, {{ vars.nested }}){{ vars.missing }}.'
    for (let i = 0; i < 3; i++)
      expect(await renderTemplate(template, scope())).toBe('Order 12345678 (2 items, {"deep":{"value":"x"}}).')
    expect(await renderTemplate('no placeholders', scope())).toBe('no placeholders')
  })

  it('reports a syntax error and a failing expression', async () => {
    await expect(evaluateExpression('vars.', scope())).rejects.toThrow(ExpressionError)
    await expect(evaluateExpression('$number("x")', scope())).rejects.toThrow(/failed/)
  })
})
