import { describe, expect, it } from 'vitest'
import { humanize, localizeSchema } from './schema-labels'

describe('field labels of the node form', () => {
  it('humanizes property names that have no title', () => {
    expect(humanize('maxAttempts')).toBe('Max attempts')
    expect(humanize('quickReplies')).toBe('Quick replies')
    expect(humanize('no-match')).toBe('No match')
    expect(humanize('order_id')).toBe('Order id')
    expect(humanize('callbackURL')).toBe('Callback URL')
    expect(humanize('URLPrefix')).toBe('URL prefix')
    expect(humanize('queue')).toBe('Queue')
    expect(humanize('L1')).toBe('L1')
  })

  const schema = {
    type: 'object',
    properties: {
      queue: {
        type: 'string',
        title: 'Queue',
        description: 'The queue',
        'x-i18n': { 'zh-CN': { title: '队列', description: '排队的队列' } },
      },
      tier: {
        type: 'string',
        enum: ['L1', 'L2'],
        title: 'Tier',
        'x-enumNames': { L1: 'First line', L2: 'Specialists' },
        'x-i18n': { 'zh-CN': { title: '级别', enumNames: { L1: '一线', L2: '二线' } } },
      },
      maxAttempts: { type: 'integer' },
      choices: {
        type: 'array',
        items: {
          type: 'object',
          properties: { key: { type: 'string', title: 'Key', 'x-i18n': { 'zh-CN': { title: '按键' } } } },
        },
      },
    },
  }

  it('takes the labels, help and choice names in the language of the form, else the English, else the name', () => {
    const zh = localizeSchema(schema, 'zh-CN') as { properties: Record<string, Record<string, unknown>> }
    expect(zh.properties.queue).toMatchObject({ title: '队列', description: '排队的队列' })
    expect(zh.properties.tier).toMatchObject({ title: '级别', 'x-enumNames': { L1: '一线', L2: '二线' } })
    expect(zh.properties.maxAttempts!.title).toBe('Max attempts')
    expect(zh.properties.choices).toMatchObject({
      title: 'Choices',
      items: { properties: { key: { title: '按键' } } },
    })
    const en = localizeSchema(schema, 'en') as { properties: Record<string, Record<string, unknown>> }
    expect(en.properties.queue).toMatchObject({ title: 'Queue', description: 'The queue' })
    expect(en.properties.tier!['x-enumNames']).toEqual({ L1: 'First line', L2: 'Specialists' })
    // a language the schema has no words for: English
    expect((localizeSchema(schema, 'fr') as typeof en).properties.queue!.title).toBe('Queue')
    // the node type's schema itself is not changed
    expect(schema.properties.maxAttempts).toEqual({ type: 'integer' })
  })
})
