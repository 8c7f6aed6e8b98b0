import { describe, expect, it } from 'vitest'
import { parseFlowFile } from './flow-file'
import { exampleFlows, doc } from './graph.fixtures'
import { autoLayout } from './layout'

describe('auto-layout (dagre, top to bottom)', () => {
  it('puts each node below the one it follows, keeps notes in place, and is stable', () => {
    const flow = doc(
      [
        { id: 'start', type: 'start', config: {} },
        { id: 'c', type: 'condition', config: { expression: 'true' } },
        { id: 'a', type: 'end', config: {} },
        { id: 'b', type: 'end', config: {} },
        { id: 'n', type: 'note', config: { text: 'hi' }, position: { x: 999, y: 7 } },
      ],
      [
        { from: 'start', port: 'next', to: 'c' },
        { from: 'c', port: 'true', to: 'a' },
        { from: 'c', port: 'false', to: 'b' },
      ],
    )
    const laid = autoLayout(flow)
    const y = (id: string) => laid.nodes.find((n) => n.id === id)!.position!.y
    const x = (id: string) => laid.nodes.find((n) => n.id === id)!.position!.x
    expect(y('start')).toBeLessThan(y('c'))
    expect(y('c')).toBeLessThan(y('a'))
    expect(y('a')).toBe(y('b'))
    expect(x('a')).not.toBe(x('b'))
    expect(laid.nodes.find((n) => n.id === 'n')!.position).toEqual({ x: 999, y: 7 })
    expect(autoLayout(laid)).toEqual(laid)
  })

  it('lays out every example flow without overlapping nodes', () => {
    for (const { file, text } of exampleFlows()) {
      const parsed = parseFlowFile(text, file)
      if (!parsed.ok) throw new Error(file)
      const laid = autoLayout(parsed.file.document)
      const spots = new Set(laid.nodes.map((n) => `${n.position!.x},${n.position!.y}`))
      expect(spots.size, file).toBe(laid.nodes.length)
    }
  })
})
