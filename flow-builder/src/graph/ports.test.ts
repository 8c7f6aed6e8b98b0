import { describe, expect, it } from 'vitest'
import { doc } from './graph.fixtures'
import { connect, edgesOnMissingPorts } from './ports'

const flow = doc(
  [
    { id: 'start', type: 'start', config: {} },
    { id: 'c', type: 'condition', config: { expression: 'true' } },
    { id: 'a', type: 'end', config: {} },
    { id: 'b', type: 'end', config: {} },
  ],
  [
    { from: 'start', port: 'next', to: 'c' },
    { from: 'c', port: 'true', to: 'a' },
  ],
)
const ports: Record<string, string[]> = { start: ['next'], c: ['true', 'false'], a: [], b: [] }
const portsOf = (id: string) => ports[id] ?? []

describe('port rules', () => {
  it('connecting a used port replaces its edge (one edge per output port)', () => {
    const r = connect(flow, { from: 'c', port: 'true', to: 'b' }, portsOf)
    expect(r.ok && r.document.edges.filter((e) => e.from === 'c')).toEqual([{ from: 'c', port: 'true', to: 'b' }])
    const r2 = connect(flow, { from: 'c', port: 'false', to: 'b' }, portsOf)
    expect(r2.ok && r2.document.edges.length).toBe(3)
  })

  it('refuses edges into the start node, to the node itself, and from ports the node does not have', () => {
    expect(connect(flow, { from: 'c', port: 'false', to: 'start' }, portsOf)).toEqual({
      ok: false,
      reason: 'into-start',
    })
    expect(connect(flow, { from: 'c', port: 'false', to: 'c' }, portsOf)).toEqual({ ok: false, reason: 'self' })
    expect(connect(flow, { from: 'c', port: 'maybe', to: 'b' }, portsOf)).toEqual({ ok: false, reason: 'unknown-port' })
    expect(connect(flow, { from: 'c', port: 'true', to: 'ghost' }, portsOf)).toEqual({
      ok: false,
      reason: 'unknown-node',
    })
  })

  it('finds edges left on ports a node no longer has (a removed switch case)', () => {
    const shrunk: Record<string, string[]> = { ...ports, c: ['false'] }
    expect(edgesOnMissingPorts(flow, (id) => shrunk[id] ?? null)).toEqual([{ from: 'c', port: 'true', to: 'a' }])
  })
})
