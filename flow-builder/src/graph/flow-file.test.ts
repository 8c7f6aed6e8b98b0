import { describe, expect, it } from 'vitest'
import { exampleFlows } from './graph.fixtures'
import { flowFileName, parseFlowFile, serializeFlowFile, uniqueFlowName } from './flow-file'

describe('flow files (import/export)', () => {
  it('round-trips every example flow: parse → serialise → parse gives the same file', () => {
    const files = exampleFlows()
    expect(files.length).toBeGreaterThan(3)
    for (const { file, text } of files) {
      const first = parseFlowFile(text, file)
      expect(first.ok, file).toBe(true)
      if (!first.ok) continue
      const again = parseFlowFile(serializeFlowFile(first.file), file)
      expect(again).toEqual(first)
      expect(first.file.document.nodes.length).toBe(JSON.parse(text).document.nodes.length)
    }
  })

  it('accepts a bare document named after the file, and refuses what is not a flow', () => {
    const bare = parseFlowFile(
      JSON.stringify({ nodes: [{ id: 'start', type: 'start', config: {} }], edges: [] }),
      'greeter.json',
    )
    expect(bare.ok && bare.file.name).toBe('greeter')
    expect(bare.ok && bare.file.document.settings).toEqual({ maxSteps: 1000 })
    expect(parseFlowFile('{nope', 'x.json')).toEqual({ ok: false, error: 'json' })
    expect(parseFlowFile('{"name":"x"}', 'x.json')).toEqual({ ok: false, error: 'shape' })
  })

  it('names downloads safely and finds a free flow name', () => {
    expect(flowFileName('Order status bot 订单查询')).toBe('Order-status-bot-订单查询.json')
    expect(uniqueFlowName('A', new Set(['A', 'A (2)']))).toBe('A (3)')
    expect(uniqueFlowName('B', new Set(['A']))).toBe('B')
  })
})
