import { describe, expect, it, vi } from 'vitest'
import { NodeTypeRegistry } from '../node-types/registry.js'
import { validateFlow } from './validate-flow.js'

const registry = new NodeTypeRegistry()
const withMedia = (url: string) => ({
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'photo', type: 'send-message', config: { text: 'Our store', media: { url, type: 'image' } } },
  ],
  edges: [{ from: 'start', port: 'next', to: 'photo' }],
})

describe('validateFlow', () => {
  it('checks URL settings (JSON Schema format "uri") the way the node executes them, without console noise', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      expect(validateFlow(withMedia('https://shop.example.cn/store.jpg'), registry).problems).toEqual([])
      const bad = validateFlow(withMedia('store.jpg'), registry)
      expect(bad.problems.map((p) => `${p.code}@${p.nodeId}:${p.path}`)).toEqual([
        'invalid-config@photo:config.media.url',
      ])
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })
})

describe('validator: rules beyond the JSON Schema', () => {
  const registry = new NodeTypeRegistry()
  const flow = (nodes: unknown[], edges: unknown[]) => ({
    schemaVersion: 1,
    nodes: [{ id: 'start', type: 'start', config: {} }, ...nodes],
    edges: [{ from: 'start', port: 'next', to: 'n' }, ...edges],
  })
  const problemsOf = (doc: unknown) =>
    validateFlow(doc, registry).problems.map((p) => `${p.code}@${p.nodeId}:${p.path ?? ''}`)

  it("reports a node's own cross-field rules (wait needs duration or until) as invalid config", () => {
    expect(problemsOf(flow([{ id: 'n', type: 'wait', config: {} }], []))).toEqual(['invalid-config@n:config'])
  })

  it('checks templates in each language of a localized text', () => {
    expect(
      problemsOf(
        flow(
          [{ id: 'n', type: 'send-message', config: { text: { en: 'ok {{ vars.a }}', 'zh-CN': '坏 {{ vars. }}' } } }],
          [],
        ),
      ),
    ).toEqual(['invalid-expression@n:config.text.zh-CN'])
  })

  it('checks expressions in object-valued settings (set-attributes, plugin input, HTTP headers)', () => {
    const got = problemsOf(
      flow(
        [
          { id: 'n', type: 'set-attributes', config: { attributes: { vip: 'contact.tags[' } } },
          { id: 'p', type: 'plugin-action', config: { action: 'erp.getOrder', input: { orderId: 'vars.order +' } } },
        ],
        [
          { from: 'n', port: 'next', to: 'p' },
          { from: 'p', port: 'ok', to: 'n' },
        ],
      ),
    )
    expect(got.sort()).toEqual([
      'invalid-expression@n:config.attributes.vip',
      'invalid-expression@p:config.input.orderId',
    ])
  })

  it('does not add port noise for a node whose config is invalid', () => {
    expect(problemsOf(flow([{ id: 'n', type: 'menu', config: { prompt: 'x', choices: 'not a list' } }], []))).toEqual([
      'invalid-config@n:config.choices',
    ])
  })
})

describe('validator: notes on the canvas', () => {
  const registry = new NodeTypeRegistry()
  const base = {
    schemaVersion: 1,
    nodes: [
      { id: 'start', type: 'start', config: {} },
      { id: 'bye', type: 'end', config: {} },
    ],
    edges: [{ from: 'start', port: 'next', to: 'bye' }],
  }

  it('accepts an unconnected note (a comment, never run) and still reports other unreachable nodes', () => {
    const note = { id: 'note-1', type: 'note', config: { text: 'Ask legal before changing this', color: 'blue' } }
    expect(validateFlow({ ...base, nodes: [...base.nodes, note] }, registry).problems).toEqual([])
    const orphan = { id: 'orphan', type: 'end', config: {} }
    const problems = validateFlow({ ...base, nodes: [...base.nodes, note, orphan] }, registry).problems
    expect(problems.map((p) => `${p.code}@${p.nodeId}`)).toEqual(['unreachable@orphan'])
  })

  it('refuses an edge out of a note (it has no ports)', () => {
    const doc = {
      ...base,
      nodes: [...base.nodes, { id: 'n', type: 'note', config: {} }],
      edges: [...base.edges, { from: 'n', port: 'next', to: 'bye' }],
    }
    expect(validateFlow(doc, registry).problems.map((p) => p.code)).toEqual(['unknown-port'])
  })
})
