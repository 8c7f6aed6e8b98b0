import type { FlowDocument, FlowTest } from '../graph/document'
import type { SimulationResult } from './simulation'

/** What one recorded test gave when run against the document as drawn. */
export interface TestOutcome {
  name: string
  passed: boolean
  /** the first expectation that did not hold, as the simulator words it */
  firstDifference: string | null
  failures: SimulationResult['failures']
  status: string
}

/** The simulate request that runs a recorded test (as the core's runFlowTests does, on the drawn document). */
export function testRequest(document: FlowDocument, test: FlowTest) {
  const given = test.given ?? {}
  return {
    document,
    steps: test.steps,
    channel: given.channel ?? 'text',
    ...(given.vars ? { vars: given.vars } : {}),
    ...(given.now ? { now: given.now } : {}),
    ...(given.mocks ? { mocks: given.mocks } : {}),
    context: { contact: given.contact ?? null, conversation: given.conversation ?? null },
  }
}

export function outcomeOf(test: FlowTest, result: SimulationResult): TestOutcome {
  const first = result.failures[0]
  return {
    name: test.name,
    passed: result.failures.length === 0,
    firstDifference: first ? `#${first.step + 1}: ${first.message}` : null,
    failures: result.failures,
    status: result.status,
  }
}

export const summary = (outcomes: TestOutcome[]) => ({
  passed: outcomes.filter((o) => o.passed).length,
  failed: outcomes.filter((o) => !o.passed).length,
})
