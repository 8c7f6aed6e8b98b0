import { describe, expect, it } from 'vitest'
import { flowDocumentSchema } from '../document/flow-document.js'
import { NodeTypeRegistry } from '../node-types/registry.js'
import { runFlowTests } from './run-flow-tests.js'

describe('runFlowTests', () => {
  it('an event the run does not wait for fails that test with a message; the other tests still run', async () => {
    const document = flowDocumentSchema.parse({
      schemaVersion: 1,
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'ask', type: 'ask', config: { prompt: 'Name?', variable: 'name' } },
      ],
      edges: [{ from: 'start', port: 'next', to: 'ask' }],
      tests: [
        { name: 'event while the run waits for input', steps: [{ event: 'ticket.updated' }] },
        { name: 'answers', steps: [{ say: 'Li' }, { expect: { status: 'completed', vars: { name: 'Li' } } }] },
        { name: 'event after the end', steps: [{ say: 'Li' }, { event: 'ticket.updated' }] },
      ],
    })
    const report = await runFlowTests({ registry: new NodeTypeRegistry() }, document)
    expect(report).toMatchObject({ passed: 1, failed: 2 })
    expect(report.results.map((r) => r.failures.map((f) => `${f.step}: ${f.message}`))).toEqual([
      ['0: the flow is waiting and waits for input, not for the event "ticket.updated"'],
      [],
      ['1: the flow is completed, not for the event "ticket.updated"'],
    ])
  })
})
