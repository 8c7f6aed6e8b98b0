import { describe, expect, it } from 'vitest'
import { flowDocumentSchema, type FlowDocument } from '../document/flow-document.js'
import { NodeTypeRegistry } from '../node-types/registry.js'
import { simulateFlow } from './simulate.js'

const registry = new NodeTypeRegistry()
const doc = (d: Partial<FlowDocument> & Pick<FlowDocument, 'nodes' | 'edges'>) =>
  flowDocumentSchema.parse({ schemaVersion: 1, ...d })
const chain = (...ids: string[]) => ids.slice(1).map((to, i) => ({ from: ids[i]!, port: 'next', to }))

describe('flow engine (simulated)', () => {
  it('asks, validates with retries, stores the answer and fills templates', async () => {
    const document = doc({
      nodes: [
        { id: 'start', type: 'start', config: {} },
        {
          id: 'ask',
          type: 'ask',
          config: {
            prompt: { en: 'Your order number?', 'zh-CN': '请输入订单号' },
            variable: 'order',
            validate: 'number',
            retryPrompt: 'Digits only, please',
            retries: 1,
          },
        },
        {
          id: 'thanks',
          type: 'send-message',
          config: { text: 'Order {{ vars.order }} for {{ contact.name }}: checking' },
        },
      ],
      edges: chain('start', 'ask', 'thanks'),
    })
    const result = await simulateFlow(
      { registry },
      {
        document,
        vars: { language: 'en' },
        context: { contact: { name: 'Ms. Li' } },
        steps: [
          { expect: { messages: ['Your order number?'], status: 'waiting' } },
          { say: 'hmm' },
          { expect: { messages: ['Digits only'] } },
          { say: '12345' },
          { expect: { messages: ['Order 12345 for Ms. Li: checking'], vars: { order: 12345 }, status: 'completed' } },
        ],
      },
    )
    expect(result.failures).toEqual([])
    expect(result.trace.map((s) => `${s.nodeId}:${s.port ?? ''}`)).toEqual([
      'start:next',
      'ask:',
      'ask:',
      'ask:next',
      'thanks:next',
    ])
  })

  it('an invalid answer after the retries goes to `invalid`; silence goes to `timeout` when the clock passes', async () => {
    const document = doc({
      nodes: [
        { id: 'start', type: 'start', config: {} },
        {
          id: 'ask',
          type: 'ask',
          config: { prompt: 'Phone?', variable: 'phone', validate: 'phone', retries: 0, timeout: '2m' },
        },
        { id: 'bad', type: 'send-message', config: { text: 'invalid' } },
        { id: 'late', type: 'send-message', config: { text: 'timed out' } },
        { id: 'ok', type: 'send-message', config: { text: 'ok {{vars.phone}}' } },
      ],
      edges: [
        ...chain('start', 'ask'),
        { from: 'ask', port: 'next', to: 'ok' },
        { from: 'ask', port: 'invalid', to: 'bad' },
        { from: 'ask', port: 'timeout', to: 'late' },
      ],
    })
    const invalid = await simulateFlow(
      { registry },
      { document, steps: [{ say: 'no' }, { expect: { messages: ['invalid'], status: 'completed' } }] },
    )
    expect(invalid.failures).toEqual([])
    const silent = await simulateFlow(
      { registry },
      {
        document,
        steps: [
          { advance: '1m' },
          { expect: { status: 'waiting' } },
          { advance: '90s' },
          { expect: { messages: ['timed out'], status: 'completed' } },
        ],
      },
    )
    expect(silent.failures).toEqual([])
    const ok = await simulateFlow(
      { registry },
      { document, steps: [{ say: '138 0013 8000' }, { expect: { messages: ['ok +8613800138000'] } }] },
    )
    expect(ok.failures).toEqual([])
  })

  it('a voice menu takes DTMF digits; a chat menu takes the label or a synonym', async () => {
    const document = doc({
      nodes: [
        { id: 'start', type: 'start', config: {} },
        {
          id: 'menu',
          type: 'menu',
          config: {
            prompt: '售前请按1，售后请按2',
            choices: [
              { key: '1', label: '售前' },
              { key: '2', label: '售后', synonyms: ['退货', 'refund'] },
            ],
          },
        },
        { id: 'sales', type: 'handoff', config: { queue: 'Pre-sales' } },
        { id: 'after', type: 'handoff', config: { queue: 'After-sales', priority: 5 } },
      ],
      edges: [
        ...chain('start', 'menu'),
        { from: 'menu', port: '1', to: 'sales' },
        { from: 'menu', port: '2', to: 'after' },
      ],
    })
    const voice = await simulateFlow(
      { registry },
      {
        document,
        channel: 'voice',
        steps: [{ digits: '2' }, { expect: { outputs: ['voice.play', 'handoff'], status: 'completed' } }],
      },
    )
    expect(voice.failures).toEqual([])
    expect(voice.effects).toEqual([{ effect: 'handoff', input: { queue: 'After-sales', priority: 5, skills: [] } }])
    const chat = await simulateFlow(
      { registry },
      { document, steps: [{ say: '我要退货' }, { expect: { outputs: ['handoff'] } }] },
    )
    expect(chat.failures).toEqual([])
    expect(chat.effects[0]!.input).toMatchObject({ queue: 'After-sales' })
  })

  it('stops an endless loop at the step limit with a clear error in the trace', async () => {
    const document = doc({
      settings: { maxSteps: 50 },
      variables: { n: 0 },
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'inc', type: 'set-variables', config: { assignments: [{ name: 'n', value: 'vars.n + 1' }] } },
        { id: 'again', type: 'condition', config: { expression: 'true' } },
      ],
      edges: [
        ...chain('start', 'inc', 'again'),
        { from: 'again', port: 'true', to: 'inc' },
        { from: 'again', port: 'false', to: 'inc' },
      ],
    })
    const result = await simulateFlow({ registry }, { document, steps: [{ expect: { status: 'failed' } }] })
    expect(result.failures).toEqual([])
    expect(result.error).toMatch(
      /stopped after 50 steps without waiting \(the flow's limit is 50\): it seems to loop \(last nodes: .*inc → again/,
    )
    expect(result.trace.at(-1)).toMatchObject({ nodeType: 'step-limit', error: result.error })
  })

  it('waits 72 hours on the virtual clock, and business hours follow the time zone', async () => {
    const document = doc({
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'wait', type: 'wait', config: { duration: '72h' } },
        {
          id: 'hours',
          type: 'business-hours',
          config: {
            timezone: 'Asia/Shanghai',
            weekly: {
              mon: [['09:00', '18:00']],
              tue: [['09:00', '18:00']],
              wed: [['09:00', '18:00']],
              thu: [['09:00', '18:00']],
              fri: [['09:00', '18:00']],
            },
            holidayCountry: 'CN',
          },
        },
        { id: 'open', type: 'send-survey', config: {} },
        { id: 'closed', type: 'schedule-callback', config: { after: '12h', note: 'call back' } },
      ],
      edges: [
        ...chain('start', 'wait', 'hours'),
        { from: 'hours', port: 'open', to: 'open' },
        { from: 'hours', port: 'closed', to: 'closed' },
      ],
    })
    // Friday 2026-11-20 10:00 Shanghai + 72 h = Monday 10:00: open
    const open = await simulateFlow(
      { registry },
      {
        document,
        now: '2026-11-20T02:00:00Z',
        steps: [
          { advance: '71h' },
          { expect: { status: 'waiting' } },
          { advance: '1h' },
          { expect: { outputs: ['survey.scheduled'], status: 'completed' } },
        ],
      },
    )
    expect(open.failures).toEqual([])
    // Tuesday 2026-09-29 10:00 + 72 h = Friday 2026-10-02, inside China's National Day holiday: closed
    const holiday = await simulateFlow(
      { registry },
      {
        document,
        now: '2026-09-29T02:00:00Z',
        steps: [{ advance: '3d' }, { expect: { outputs: ['callback.scheduled'] } }],
      },
    )
    expect(holiday.failures).toEqual([])
  })

  it('returns through nested subflows, continuing in each caller; a missing subflow fails the run with a clear error', async () => {
    const sub = (name: string, text: string, call?: string) => ({
      id: `v-${name}`,
      flowId: name,
      flowName: name,
      document: doc({
        nodes: [
          { id: 'start', type: 'start', config: {} },
          { id: 'say', type: 'send-message', config: { text } },
          ...(call ? [{ id: 'call', type: 'subflow', config: { flow: call } }] : []),
        ],
        edges: [...chain('start', 'say'), ...(call ? [{ from: 'say', port: 'next', to: 'call' }] : [])],
      }),
    })
    const flows = [sub('inner', 'inner'), sub('middle', 'middle', 'inner')]
    const resolveFlow = async (name: string) => {
      const found = flows.find((f) => f.flowName === name)
      if (!found) throw new Error(`no published flow "${name}"`)
      return found
    }
    const document = doc({
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'call', type: 'subflow', config: { flow: 'middle' } },
        { id: 'after', type: 'send-message', config: { text: 'back in main' } },
      ],
      edges: [...chain('start', 'call', 'after')],
    })
    const nested = await simulateFlow(
      { registry, resolveFlow },
      { document, steps: [{ expect: { messages: ['middle', 'inner', 'back in main'], status: 'completed' } }] },
    )
    expect(nested.failures).toEqual([])
    const missing = await simulateFlow(
      { registry, resolveFlow },
      {
        document: doc({
          nodes: [
            { id: 'start', type: 'start', config: {} },
            { id: 'call', type: 'subflow', config: { flow: 'nowhere' } },
          ],
          edges: chain('start', 'call'),
        }),
        steps: [{ expect: { status: 'failed' } }],
      },
    )
    expect(missing.failures).toEqual([])
    expect(missing.error).toMatch(/node "call" \(subflow\) cannot run flow "nowhere": no published flow "nowhere"/)
  })

  it('reports failed expectations with what happened instead', async () => {
    const document = doc({
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'hi', type: 'send-message', config: { text: 'Hello' } },
      ],
      edges: chain('start', 'hi'),
    })
    const result = await simulateFlow(
      { registry },
      { document, steps: [{ expect: { messages: ['Goodbye'], vars: { x: 1 } } }] },
    )
    expect(result.failures.map((f) => f.message)).toEqual([
      'expected a message containing "Goodbye"; the flow sent: "Hello"',
      'expected vars.x = 1, got undefined',
    ])
  })
})
