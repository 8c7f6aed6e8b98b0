import { describe, expect, it } from 'vitest'
import { addNode, moveNodes, removeEdges, removeNodes, uniqueNodeId, updateNode } from './document-ops'
import { doc } from './graph.fixtures'
import { defaultConfig, groupByCategory, matchesSearch, portsOfNode, portsKey, type NodeTypeInfo } from './node-types'
import { summarizeConfig } from './summary'

const flow = doc(
  [
    { id: 'start', type: 'start', config: {} },
    { id: 'ask', type: 'ask', config: { prompt: 'x' } },
    { id: 'bye', type: 'end', config: {} },
  ],
  [
    { from: 'start', port: 'next', to: 'ask' },
    { from: 'ask', port: 'next', to: 'bye' },
  ],
)
const type = (t: Partial<NodeTypeInfo>): NodeTypeInfo => ({
  type: 'x',
  version: 1,
  title: { en: 'X', 'zh-CN': '叉' },
  description: { en: '', 'zh-CN': '' },
  category: 'logic',
  channels: ['text'],
  configSchema: {},
  ports: [],
  dynamicPorts: false,
  requiredPorts: [],
  expressionFields: [],
  ...t,
})

describe('document edits', () => {
  it('adds nodes with free ids, removes nodes (never the start) with their edges, removes edges, moves, updates', () => {
    expect(uniqueNodeId('ask', new Set(['ask', 'ask-2']))).toBe('ask-3')
    expect(uniqueNodeId('plugin action!', new Set())).toBe('plugin-action-')
    const added = addNode(flow, { type: 'ask', config: {} })
    expect(added.id).toBe('ask-2')
    const removed = removeNodes(flow, new Set(['start', 'ask']))
    expect(removed.nodes.map((n) => n.id)).toEqual(['start', 'bye'])
    expect(removed.edges).toEqual([])
    expect(removeEdges(flow, new Set(['ask:next'])).edges).toEqual([{ from: 'start', port: 'next', to: 'ask' }])
    const moved = moveNodes(flow, new Map([['bye', { x: 10.4, y: 20.6 }]]))
    expect(moved.nodes[2]!.position).toEqual({ x: 10, y: 21 })
    expect(moved.nodes[0]).toBe(flow.nodes[0])
    const titled = updateNode(flow, 'ask', { title: 'Ask', config: { prompt: 'y' } })
    expect(titled.nodes[1]).toMatchObject({ title: 'Ask', config: { prompt: 'y' } })
    expect(updateNode(titled, 'ask', { title: '' }).nodes[1]!.title).toBeUndefined()
  })
})

describe('node types', () => {
  it('groups by category in the palette order, plugin categories last; searches both languages', () => {
    const groups = groupByCategory([
      type({ type: 'p', category: 'crm' }),
      type({ type: 'a', category: 'messaging' }),
      type({ type: 's', category: 'flow' }),
    ])
    expect(groups.map((g) => g.category)).toEqual(['flow', 'messaging', 'crm'])
    expect(matchesSearch(type({ title: { en: 'Switch', 'zh-CN': '分支' } }), '分支')).toBe(true)
    expect(matchesSearch(type({ title: { en: 'Switch', 'zh-CN': '分支' } }), 'swi')).toBe(true)
    expect(matchesSearch(type({ title: { en: 'Switch', 'zh-CN': '分支' } }), 'menu')).toBe(false)
  })

  it('takes fixed ports from the type and dynamic ones from the resolved cache; defaults from the schema', () => {
    const sw = type({ type: 'switch', ports: null, dynamicPorts: true })
    const node = { type: 'switch', config: { cases: [{ port: 'vip', when: 'true' }] } }
    expect(portsOfNode(node, sw, new Map())).toEqual([])
    expect(portsOfNode(node, sw, new Map([[portsKey(node), ['vip', 'default']]]))).toEqual(['vip', 'default'])
    expect(portsOfNode(node, type({ ports: ['next'] }), new Map())).toEqual(['next'])
    expect(defaultConfig(type({ configSchema: { properties: { retries: { default: 2 }, rule: {} } } }))).toEqual({
      retries: 2,
    })
  })

  it('summarises a config in one line', () => {
    expect(summarizeConfig({ type: 'send-message', config: { text: { en: 'Hi', 'zh-CN': '你好' } } }, 'zh-CN')).toBe(
      '你好',
    )
    expect(
      summarizeConfig({ type: 'plugin-action', config: { action: 'erp.getOrder', variable: 'order' } }, 'en'),
    ).toBe('erp.getOrder → order')
    expect(summarizeConfig({ type: 'condition', config: { expression: 'x'.repeat(100) } }, 'en')).toHaveLength(60)
  })
})
