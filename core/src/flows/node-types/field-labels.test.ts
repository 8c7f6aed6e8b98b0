import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineNodeType, labelConfigSchema } from './define-node-type.js'
import { builtinNodeTypes } from './registry.js'

type Schema = Record<string, unknown>

/** Every field of a config schema, with its path (`choices.*.key`), as the builder's form walks it. */
function fieldsOf(schema: Schema, prefix = ''): Array<{ path: string; schema: Schema }> {
  const out: Array<{ path: string; schema: Schema }> = []
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    const path = prefix + name
    out.push({ path, schema: child })
    if (child.properties) out.push(...fieldsOf(child, `${path}.`))
    const items = child.items as Schema | undefined
    if (child.type === 'array' && items && typeof items === 'object' && items.properties)
      out.push(...fieldsOf(items, `${path}.*.`))
  }
  return out
}

describe('node config field labels', () => {
  it('every field of every built-in node type has a label in English and Chinese, and every choice of an enum too', () => {
    const missing: string[] = []
    for (const d of builtinNodeTypes)
      for (const { path, schema } of fieldsOf(d.configSchema)) {
        const zh = (schema['x-i18n'] as { 'zh-CN'?: { title?: string; enumNames?: Record<string, string> } })?.['zh-CN']
        if (typeof schema.title !== 'string' || !schema.title) missing.push(`${d.type} ${path}: no English label`)
        if (!zh?.title) missing.push(`${d.type} ${path}: no Chinese label`)
        if (zh?.title && zh.title === schema.title && /[a-z]{3}/.test(zh.title))
          missing.push(`${d.type} ${path}: the Chinese label is the English one`)
        const values = (schema.enum as string[] | undefined) ?? []
        for (const v of values) {
          if (!(schema['x-enumNames'] as Record<string, string> | undefined)?.[v])
            missing.push(`${d.type} ${path}: no English label for "${v}"`)
          if (!zh?.enumNames?.[v]) missing.push(`${d.type} ${path}: no Chinese label for "${v}"`)
        }
      }
    // add the field to `fields` of its node type (core/src/flows/node-types/builtins)
    expect(missing).toEqual([])
  })

  it('writes labels as JSON Schema title/description with the Chinese under x-i18n, into nested and array fields', () => {
    const type = defineNodeType({
      type: 'test-labels',
      title: { en: 'Test', 'zh-CN': '测试' },
      description: { en: 'Test', 'zh-CN': '测试' },
      category: 'logic',
      config: z.strictObject({
        queue: z.string().describe('the queue'),
        level: z.enum(['a', 'b']).default('a'),
        rows: z.array(z.strictObject({ key: z.string() })).default([]),
      }),
      fields: {
        queue: { label: { en: 'Queue', 'zh-CN': '队列' }, help: { 'zh-CN': '排队的队列' } },
        level: {
          label: { en: 'Level', 'zh-CN': '级别' },
          help: { en: 'How high', 'zh-CN': '多高' },
          options: { a: { en: 'Low', 'zh-CN': '低' }, b: { en: 'High', 'zh-CN': '高' } },
        },
        'rows.*.key': { label: { en: 'Key', 'zh-CN': '键' } },
        'nothing.here': { label: { en: 'Gone', 'zh-CN': '无' } },
      },
      ports: ['next'],
      execute: async () => ({ next: 'next' }),
    })
    const props = type.configSchema.properties as Record<string, Schema>
    // the English help falls back to the schema's own description
    expect(props.queue).toMatchObject({
      title: 'Queue',
      description: 'the queue',
      'x-i18n': { 'zh-CN': { title: '队列', description: '排队的队列' } },
    })
    expect(props.level).toMatchObject({
      title: 'Level',
      description: 'How high',
      enum: ['a', 'b'],
      'x-enumNames': { a: 'Low', b: 'High' },
      'x-i18n': { 'zh-CN': { title: '级别', description: '多高', enumNames: { a: '低', b: '高' } } },
    })
    expect((props.rows!.items as Schema).properties).toMatchObject({
      key: { title: 'Key', 'x-i18n': { 'zh-CN': { title: '键' } } },
    })
    // labels change nothing about what the config accepts
    expect(type.checkConfig!({ queue: 'q', level: 'c' })).toHaveLength(1)
    expect(type.checkConfig!({ queue: 'q', level: 'b', rows: [{ key: 'k' }] })).toEqual([])
    // a path the schema lacks is skipped, nothing else changes
    const schema = { type: 'object', properties: { a: { type: 'string' } } }
    labelConfigSchema(schema, { 'b.c': { label: { en: 'B', 'zh-CN': '乙' } } })
    expect(schema).toEqual({ type: 'object', properties: { a: { type: 'string' } } })
  })
})
