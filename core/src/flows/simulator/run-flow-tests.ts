import type { FlowDocument } from '../document/flow-document.js'
import { simulateFlow, type SimulatorDeps } from './simulate.js'

export interface FlowTestReport {
  passed: number
  failed: number
  results: Array<{
    name: string
    passed: boolean
    failures: Array<{ step: number; message: string }>
    status: string
    error: string | null
  }>
}

/** Runs the transcripts recorded in a flow document (`tests`) through the simulator. */
export async function runFlowTests(
  deps: SimulatorDeps,
  document: FlowDocument,
  flowName?: string,
): Promise<FlowTestReport> {
  const results: FlowTestReport['results'] = []
  for (const test of document.tests) {
    const given = test.given ?? {}
    const result = await simulateFlow(deps, {
      document,
      flowName,
      steps: test.steps,
      channel: given.channel,
      vars: given.vars,
      now: given.now,
      mocks: given.mocks,
      context: { contact: given.contact ?? null, conversation: given.conversation ?? null },
    })
    results.push({
      name: test.name,
      passed: result.failures.length === 0,
      failures: result.failures,
      status: result.status,
      error: result.error,
    })
  }
  const passed = results.filter((r) => r.passed).length
  return { passed, failed: results.length - passed, results }
}
