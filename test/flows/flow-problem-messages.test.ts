import { describe, expect, it } from 'vitest'
import { NodeTypeRegistry } from '../../core/src/flows/node-types/registry.js'
import { FLOW_PROBLEM_CODES, validateFlow, type FlowProblem } from '../../core/src/flows/validate/validate-flow.js'
import {
  placeholdersOf,
  problemMessages,
  problemText,
  templateKeyOf,
} from '../../flow-builder/src/problems/problem-messages.js'

/**
 * The builder says every validator problem in zh-CN and English from its code and params
 * (flow-builder/src/problems/problem-messages.ts): every code has both translations, and the
 * params the core sends fill every placeholder of them.
 */
const registry = new NodeTypeRegistry()
const start = { id: 'start', type: 'start', config: {} }
const say = (id: string, config: Record<string, unknown>) => ({ id, type: 'send-message', config })
const doc = (nodes: unknown[], edges: unknown[]) => ({ schemaVersion: 1, nodes, edges })

/** Flows that between them make the validator report every code (and every reason of invalid-config). */
const broken: unknown[] = [
  { schemaVersion: 1, nodes: 'not a list', edges: [] },
  doc([start, say('a', { text: 'x' }), say('a', { text: 'y' })], [{ from: 'start', port: 'next', to: 'a' }]),
  doc([start, { id: 'odd', type: 'no-such-type', config: {} }], [{ from: 'start', port: 'next', to: 'odd' }]),
  doc(
    [
      start,
      say('missing', {}),
      say('extra', { text: 'hi', colour: 'red' }),
      say('photo', { text: 'Our store', media: { url: 'store.jpg', type: 'image' } }),
      { id: 'pause', type: 'wait', config: {} },
      say('bad-template', { text: 'Hello {{ vars. }}' }),
    ],
    [{ from: 'start', port: 'next', to: 'missing' }],
  ),
  doc([say('alone', { text: 'x' })], []),
  doc(
    [start, { id: 'start-2', title: 'Second start', type: 'start', config: {} }, say('s', { text: 'x' })],
    [
      { from: 'start', port: 'next', to: 's' },
      { from: 'start', port: 'nope', to: 's' },
      { from: 'start', port: 'next', to: 'ghost' },
      { from: 'phantom', port: 'next', to: 's' },
    ],
  ),
  doc(
    [
      start,
      { id: 'q', type: 'ask', config: { prompt: 'Order number?', variable: 'order' } },
      say('orphan', { text: 'x' }),
    ],
    [{ from: 'start', port: 'next', to: 'q' }],
  ),
]

const problems: Array<FlowProblem> = broken.flatMap((d) => validateFlow(d, registry).problems)

describe('problem messages in the builder’s languages', () => {
  it('has a zh-CN and an English message for every problem code', () => {
    for (const code of FLOW_PROBLEM_CODES) {
      for (const locale of ['en', 'zh-CN'] as const)
        expect(problemMessages[locale][code], `${locale} ${code}`).toBeTruthy()
      expect(problemMessages['zh-CN'][code]).not.toBe(problemMessages.en[code])
    }
    // the same templates in both languages, with the same placeholders
    expect(Object.keys(problemMessages['zh-CN']).sort()).toEqual(Object.keys(problemMessages.en).sort())
    for (const key of Object.keys(problemMessages.en))
      expect(placeholdersOf(problemMessages['zh-CN'][key]!).sort(), key).toEqual(
        placeholdersOf(problemMessages.en[key]!).sort(),
      )
    // and no template for a code the core does not have
    for (const key of Object.keys(problemMessages.en))
      expect(FLOW_PROBLEM_CODES as readonly string[]).toContain(key.split('/')[0])
  })

  it('gets from the core the params every placeholder needs, for every code and reason', () => {
    const seen = new Set(problems.map((p) => templateKeyOf(p)))
    expect([...seen].sort()).toEqual(Object.keys(problemMessages.en).sort())
    for (const p of problems) {
      const key = templateKeyOf(p)
      for (const name of placeholdersOf(problemMessages.en[key]!))
        expect(p.params, `${key} (${p.message}) lacks ${name}`).toHaveProperty(name)
      for (const locale of ['en', 'zh-CN'] as const) {
        const text = problemText(locale, p)
        expect(text, `${locale} ${key}`).not.toMatch(/\{\w+\}|undefined/)
      }
    }
  })

  it('says the problem in Chinese with the node’s values, and in English as the core does', () => {
    const missing = problems.find((p) => p.code === 'missing-port' && p.nodeId === 'q')!
    expect(missing.message).toContain('must be connected')
    expect(problemText('en', missing)).toBe('output "next" of node "q" must be connected')
    expect(problemText('zh-CN', missing)).toBe('节点“q”的出口“next”必须连接')
    const second = problems.find((p) => p.code === 'several-starts')!
    expect(problemText('zh-CN', second)).toContain('“Second start”')
    const setting = problems.find((p) => p.code === 'invalid-config' && p.nodeId === 'extra')!
    expect(problemText('zh-CN', setting)).toBe('未知的设置“colour”')
    const expression = problems.find((p) => p.code === 'invalid-expression')!
    expect(problemText('zh-CN', expression)).toMatch(/^“text”中的表达式有误：.+/)
  })

  it('falls back to the core’s message for a code it does not know', () => {
    const future = { code: 'from-a-newer-core', message: 'node "x": something new', params: { nodeId: 'x' } }
    expect(problemText('zh-CN', future)).toBe('something new')
    const noParams = { code: 'unreachable', message: 'node "x" cannot be reached from the start' }
    expect(problemText('zh-CN', noParams as never)).toBe(noParams.message)
  })
})
