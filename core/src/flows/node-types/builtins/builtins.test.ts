import { describe, expect, it } from 'vitest'
import { flowDocumentSchema, type FlowDocument } from '../../document/flow-document.js'
import { simulateFlow } from '../../simulator/simulate.js'
import { NodeTypeRegistry } from '../registry.js'

const registry = new NodeTypeRegistry()
const doc = (d: Pick<FlowDocument, 'nodes' | 'edges'>) => flowDocumentSchema.parse({ schemaVersion: 1, ...d })

describe('built-in node types', () => {
  it('extract-entity: after "order"/"订单" the order number must hold a digit, so words are not taken for it', async () => {
    const document = doc({
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'ask', type: 'ask', config: { prompt: '?', variable: 'text' } },
        {
          id: 'find',
          type: 'extract-entity',
          config: { entity: 'order-number', text: 'vars.text', variable: 'order' },
        },
        { id: 'none', type: 'send-message', config: { text: 'none' } },
      ],
      edges: [
        { from: 'start', port: 'next', to: 'ask' },
        { from: 'ask', port: 'next', to: 'find' },
        { from: 'find', port: 'not-found', to: 'none' },
      ],
    })
    const extract = async (text: string) => {
      const result = await simulateFlow({ registry }, { document, steps: [{ say: text }] })
      return result.variables.order ?? null
    }
    expect(await extract('my order number is 2026111812345')).toBe('2026111812345')
    expect(await extract('Where is my order please')).toBeNull()
    expect(await extract('order status?')).toBeNull()
    expect(await extract('order #A1234-5 please')).toBe('A1234-5')
    expect(await extract('订单号：2026111812345，谢谢')).toBe('2026111812345')
    expect(await extract('订单还没到')).toBeNull()
  })

  it('handoff speaks its message on a call, like send-message', async () => {
    const document = doc({
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'go', type: 'handoff', config: { queue: 'VIP', message: { 'zh-CN': '正在转接', en: 'Connecting' } } },
      ],
      edges: [{ from: 'start', port: 'next', to: 'go' }],
    })
    const call = await simulateFlow({ registry }, { document, channel: 'voice', steps: [] })
    expect(call.outputs.map((o) => o.kind)).toEqual(['voice.play', 'message', 'handoff'])
    expect(call.outputs[0]).toMatchObject({ text: '正在转接' })
    const chat = await simulateFlow({ registry }, { document, steps: [] })
    expect(chat.outputs.map((o) => o.kind)).toEqual(['message', 'handoff'])
  })

  it('handoff takes `closed` when it is connected and the queue is outside its hours; without it, it queues anyway', async () => {
    const nodes = [
      { id: 'start', type: 'start', config: {} },
      { id: 'go', type: 'handoff', config: { queue: 'After-sales', message: 'Connecting you…' } },
      { id: 'later', type: 'send-message', config: { text: 'We are closed; we will call you back.' } },
    ]
    const afterHours = doc({
      nodes,
      edges: [
        { from: 'start', port: 'next', to: 'go' },
        { from: 'go', port: 'closed', to: 'later' },
      ],
    })
    const closed = { queues: { 'After-sales': { open: false, nextChangeAt: '2026-03-03T01:00:00Z' } } }
    const shut = await simulateFlow({ registry }, { document: afterHours, steps: [], mocks: closed })
    expect(shut.outputs).toEqual([{ kind: 'message', text: 'We are closed; we will call you back.' }])
    expect(shut.effects).toEqual([])
    expect(shut.trace.find((s) => s.nodeId === 'go')).toMatchObject({
      port: 'closed',
      output: { queue: 'After-sales', open: false, opensAt: '2026-03-03T01:00:00.000Z' },
    })
    // open (queues are open in the simulator unless mocked closed): queued as always
    const open = await simulateFlow({ registry }, { document: afterHours, steps: [] })
    expect(open.outputs.map((o) => o.kind)).toEqual(['message', 'handoff'])
    // `closed` not connected: the conversation waits in line even though the queue is closed
    const queuedAnyway = doc({ nodes, edges: [{ from: 'start', port: 'next', to: 'go' }] })
    const waiting = await simulateFlow({ registry }, { document: queuedAnyway, steps: [], mocks: closed })
    expect(waiting.effects).toEqual([{ effect: 'handoff', input: { queue: 'After-sales', priority: 0, skills: [] } }])
  })

  it('menu asks again the way it asked first: aloud on a call, with quick replies in a chat', async () => {
    const document = doc({
      nodes: [
        { id: 'start', type: 'start', config: {} },
        {
          id: 'menu',
          type: 'menu',
          config: {
            prompt: 'Sales 1, service 2',
            choices: [
              { key: '1', label: 'Sales' },
              { key: '2', label: 'Service' },
            ],
          },
        },
      ],
      edges: [{ from: 'start', port: 'next', to: 'menu' }],
    })
    const call = await simulateFlow({ registry }, { document, channel: 'voice', steps: [{ digits: '9' }] })
    expect(call.turns[1]!.outputs).toEqual([
      { kind: 'voice.play', text: 'Sales 1, service 2' },
      { kind: 'message', text: 'Sales 1, service 2' },
    ])
    const chat = await simulateFlow({ registry }, { document, steps: [{ say: 'hello?' }] })
    expect(chat.turns[1]!.outputs).toEqual([
      { kind: 'message', text: 'Sales 1, service 2', quickReplies: ['Sales', 'Service'] },
    ])
  })
})
