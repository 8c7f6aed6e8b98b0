import { describe, expect, it } from 'vitest'
import { doc } from './graph.fixtures'
import { detailOf, mapProblems } from './problems'

const flow = doc(
  [
    { id: 'start', type: 'start', config: {} },
    { id: 's', type: 'switch', config: { cases: [{ port: 'a', when: 'vars.' }] } },
  ],
  [
    { from: 'start', port: 'next', to: 's' },
    { from: 's', port: 'gone', to: 'start' },
  ],
)

describe('validation mapping', () => {
  it('puts node problems on the node, edge problems on the edge and its source, the rest in general', () => {
    const map = mapProblems(flow, [
      {
        code: 'invalid-expression',
        nodeId: 's',
        path: 'config.cases.0.when',
        message: 'node "s": the expression "vars." is not valid',
      },
      {
        code: 'unknown-port',
        edge: 1,
        nodeId: 's',
        message: 'node "s" (switch) has no output port "gone" (ports: a, default)',
      },
      { code: 'missing-port', nodeId: 's', message: 'port "default" of node "s" (switch) must be connected' },
      { code: 'no-start', message: 'the flow has no start node' },
    ])
    expect(map.byNode.get('s')!.length).toBe(3)
    expect([...map.edgeIds]).toEqual(['s:gone'])
    expect(map.general.map((p) => p.code)).toEqual(['no-start'])
    expect([...map.fieldErrors('s').entries()]).toEqual([['cases.0.when', ['the expression "vars." is not valid']]])
  })

  it("shows the detail without the validator's node prefix", () => {
    expect(detailOf({ code: 'invalid-config', message: 'node "n" (ask): variable missing setting' })).toBe(
      'variable missing setting',
    )
  })
})
