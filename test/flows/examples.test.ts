import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { flowKinds, NodeTypeRegistry, runFlowTests, validateFlow } from '../../core/src/flows/index.js'

/**
 * Every flow in examples/flows is a flow file as `switchboard flow import` takes it, and carries
 * recorded test transcripts. Each must validate without a problem and pass all its tests in the
 * simulator; a new example file is picked up without changing this suite.
 */
const folder = fileURLToPath(new URL('../../examples/flows/', import.meta.url))
const files = readdirSync(folder)
  .filter((f) => f.endsWith('.json'))
  .sort()
const registry = new NodeTypeRegistry()

describe('example flows (examples/flows)', () => {
  it('there are examples to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(6)
  })

  describe.each(files)('%s', (file) => {
    const flow = JSON.parse(readFileSync(folder + file, 'utf8')) as {
      name?: unknown
      kind?: unknown
      description?: unknown
      document?: unknown
    }

    it('is a flow file whose document has no problems', () => {
      expect(Object.keys(flow).sort()).toEqual(['description', 'document', 'kind', 'name'])
      expect(typeof flow.name === 'string' && flow.name.length > 0).toBe(true)
      expect(flowKinds).toContain(flow.kind)
      const result = validateFlow(flow.document, registry)
      const problems = result.problems.map(
        (p) => `${p.nodeId ? `node "${p.nodeId}"` : 'flow'} [${p.code}] ${p.message}`,
      )
      expect(problems, `${file} has problems`).toEqual([])
    })

    it('passes every recorded test in the simulator', async () => {
      const result = validateFlow(flow.document, registry)
      expect(result.document, `${file} is not a flow document`).toBeDefined()
      const document = result.document!
      expect(document.tests.length, `${file} records no tests`).toBeGreaterThanOrEqual(3)
      const report = await runFlowTests({ registry }, document, String(flow.name))
      const failed = report.results
        .filter((r) => !r.passed)
        .map(
          (r) =>
            `✖ ${r.name} (run ${r.status}${r.error ? `: ${r.error}` : ''})\n` +
            r.failures.map((f) => `    step ${f.step}: ${f.message}`).join('\n'),
        )
      expect(failed.join('\n'), `${report.failed} of ${report.results.length} tests of ${file} failed`).toBe('')
      expect(report.passed).toBe(document.tests.length)
    })
  })
})
