import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { ExecutionContext } from '../runtime/execution-context.js'
import { defineNodeType } from './define-node-type.js'

describe('defineNodeType', () => {
  it('parses a node config once (with its defaults), not on every run, and hands executors a frozen copy', async () => {
    let parses = 0
    const seen: unknown[] = []
    const type = defineNodeType({
      type: 'test-counting',
      title: { en: 'Test', 'zh-CN': '测试' },
      description: { en: 'Test', 'zh-CN': '测试' },
      category: 'logic',
      config: z.preprocess(
        (raw) => ((parses += 1), raw),
        z.strictObject({ words: z.array(z.string()).default(['hi']) }),
      ),
      ports: ['next'],
      async execute(ctx) {
        seen.push(ctx.node.config)
        return { next: 'next' }
      },
    })
    const ctx = (config: Record<string, unknown>) =>
      ({ node: { id: 'n', type: 'test-counting', config } }) as unknown as ExecutionContext
    const published = {}
    await type.execute(ctx(published))
    await type.execute(ctx(published))
    expect(parses).toBe(1)
    expect(seen[0]).toBe(seen[1])
    expect(seen[0]).toEqual({ words: ['hi'] })
    expect(Object.isFrozen((seen[0] as { words: string[] }).words)).toBe(true)
    // an edited document brings a new config object: parsed again
    await type.execute(ctx({ words: ['bye'] }))
    expect(parses).toBe(2)
    expect(seen[2]).toEqual({ words: ['bye'] })
  })
})
