import { describe, expect, it } from 'vitest'
import type { FlowDocument } from '../graph/document'
import { outcomeOf, testRequest } from './flow-tests'
import {
  chatItems,
  emptySetup,
  freeTestName,
  pathOverlays,
  simulationRequest,
  toFlowTest,
  traceOf,
  withTest,
  type InputStep,
  type SimulationResult,
  type TraceStep,
} from './simulation'

const doc: FlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'ask', type: 'ask', config: {} },
    { id: 'reply', type: 'send-message', config: {} },
  ],
  edges: [],
  variables: {},
  tests: [],
  settings: { maxSteps: 1000 },
}

const step = (seq: number, nodeId: string, port: string | null, error: string | null = null): TraceStep => ({
  seq,
  nodeId,
  nodeType: nodeId,
  input: null,
  output: null,
  port,
  error,
})

const result: SimulationResult = {
  status: 'completed',
  variables: { orderNumber: '12345' },
  turns: [
    { step: -1, outputs: [{ kind: 'message', text: 'Your order number?' }], status: 'waiting', error: null },
    {
      step: 0,
      outputs: [
        { kind: 'message', text: 'Order 12345 has shipped\nCarrier: SF' },
        { kind: 'handoff', queue: 'After-sales', priority: 0, skills: [] },
      ],
      status: 'completed',
      error: null,
    },
  ],
  outputs: [],
  trace: [step(1, 'start', 'next'), step(2, 'ask', 'next'), step(3, 'reply', 'next'), step(4, 'ask', null)],
  effects: [],
  failures: [],
  error: null,
}

describe('the simulator model', () => {
  it('sends only what is set: vars, contact, mocks and clock stay out when empty', () => {
    expect(simulationRequest(doc, emptySetup(), [{ say: 'hi' }])).toEqual({
      document: doc,
      steps: [{ say: 'hi' }],
      channel: 'text',
    })
    const full = simulationRequest(
      doc,
      {
        channel: 'voice',
        vars: { language: 'en' },
        contact: { name: '李' },
        now: '2026-01-01T00:00:00Z',
        mocks: { actions: { 'erp.getOrder': {} } },
      },
      [],
    )
    expect(full).toMatchObject({
      channel: 'voice',
      vars: { language: 'en' },
      context: { contact: { name: '李' } },
      now: '2026-01-01T00:00:00Z',
      mocks: { actions: {} },
    })
  })

  it('lays out the chat: greeting, my input, replies, other outputs, the end; refused inputs are marked', () => {
    const items = chatItems([{ say: '12345' }, { digits: '1' }], {
      ...result,
      failures: [{ step: 1, message: 'the flow is completed, not for input' }],
    })
    expect(items.map((i) => i.kind)).toEqual(['bot', 'customer', 'bot', 'event', 'customer', 'end'])
    expect(items[4]).toMatchObject({ input: 'digits', text: '1', refused: 'the flow is completed, not for input' })
    expect(chatItems([{ advance: '1h' }], null)).toEqual([{ kind: 'clock', step: 0, text: '1h' }])
    const voice = chatItems([], {
      ...result,
      status: 'waiting',
      turns: [
        {
          step: -1,
          outputs: [
            { kind: 'message', text: 'Press 1' },
            { kind: 'voice.play', text: 'Press 1' },
            { kind: 'voice.gather' },
          ],
          status: 'waiting',
          error: null,
        },
      ],
    })
    expect(voice.map((i) => i.kind)).toEqual(['bot', 'event'])
  })

  it('lights the path with step numbers, the edges taken and the current node', () => {
    const [path, current] = pathOverlays(result.trace)
    expect(path).toEqual({
      kind: 'path',
      nodeIds: ['start', 'ask', 'reply'],
      edgeIds: ['start:next', 'ask:next', 'reply:next'],
      labels: { start: '1', ask: '2 · 4', reply: '3' },
    })
    expect(current).toEqual({ kind: 'current', nodeIds: ['ask'], labels: { ask: '4' } })
    expect(pathOverlays([])).toEqual([])
    // a loop keeps the label short: first, …, latest
    const loop = pathOverlays([1, 2, 3, 4].map((n) => step(n, 'ask', 'next')))
    expect(loop[0]!.labels).toEqual({ ask: '1 · … · 4' })
    expect(traceOf(result.trace, 'ask').map((s) => s.number)).toEqual([2, 4])
  })

  it('turns the conversation into a flow test that expects the messages, outputs and end status', () => {
    const setup = {
      ...emptySetup(),
      vars: { language: 'en' },
      mocks: { actions: { 'erp.getOrder': { state: 'shipped' } } },
    }
    const steps: InputStep[] = [{ say: '12345' }]
    const test = toFlowTest('shipped', setup, steps, result)
    expect(test).toEqual({
      name: 'shipped',
      given: { vars: { language: 'en' }, mocks: { actions: { 'erp.getOrder': { state: 'shipped' } } } },
      steps: [
        { expect: { messages: ['Your order number?'] } },
        { say: '12345' },
        { expect: { messages: ['Order 12345 has shipped'], outputs: ['handoff'] } },
        { expect: { status: 'completed' } },
      ],
    })
    const withIt = withTest(doc, test)
    expect(withIt.tests).toHaveLength(1)
    expect(withTest(withIt, { ...test, steps: [{ say: 'x' }] }).tests).toEqual([{ ...test, steps: [{ say: 'x' }] }])
    expect(freeTestName(withIt, 'shipped')).toBe('shipped 2')
    expect(freeTestName(doc, 'shipped')).toBe('shipped')
  })

  it('runs a recorded test with its given and reports the first difference', () => {
    const test = {
      name: 't',
      given: { channel: 'voice' as const, now: '2026-11-20T14:30:00Z', contact: { name: '李' } },
      steps: [{ digits: '1' }],
    }
    expect(testRequest(doc, test)).toEqual({
      document: doc,
      steps: [{ digits: '1' }],
      channel: 'voice',
      now: '2026-11-20T14:30:00Z',
      context: { contact: { name: '李' }, conversation: null },
    })
    const failed = outcomeOf(test, {
      ...result,
      failures: [{ step: 2, message: 'expected a message containing "Bye"' }],
    })
    expect(failed).toMatchObject({ passed: false, firstDifference: '#3: expected a message containing "Bye"' })
    expect(outcomeOf(test, result)).toMatchObject({ passed: true, firstDifference: null })
  })
})
