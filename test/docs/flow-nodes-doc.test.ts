import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { NodeTypeRegistry, validateFlow, type NodeTypeDefinition } from '../../core/src/flows/index.js'
import { configFields, nodeDocPath, readNodeExamples, renderNodeDocs } from '../../scripts/gen-node-docs.mjs'

// Ajv 8 is a dependency of core (the root's ajv is eslint's Ajv 6, which has no draft 2020-12)
type Validate = ((data: unknown) => boolean) & { errors?: unknown }
const { Ajv2020 } = createRequire(new URL('../../core/package.json', import.meta.url))('ajv/dist/2020.js') as {
  Ajv2020: new (options: Record<string, unknown>) => { compile(schema: object): Validate }
}
// the same options as the flow validator (core/src/flows/validate/validate-flow.ts); formats such as "uri" are not checked
const ajv = new Ajv2020({ allErrors: true, strict: false, logger: false })

const registry = new NodeTypeRegistry()
const nodeTypes = registry.list()
const examples = readNodeExamples()

const portList = (ports: NodeTypeDefinition['requiredPorts'], config: Record<string, unknown>): string[] =>
  ports === undefined ? [] : typeof ports === 'function' ? ports(config) : [...ports]

describe('docs/flow-nodes.md', () => {
  it('is what scripts/gen-node-docs.mjs renders from the node types and docs/flow-node-examples.json', async () => {
    const committed = readFileSync(nodeDocPath, 'utf8')
    expect(committed, 'docs/flow-nodes.md is out of date: run `npm run build && node scripts/gen-node-docs.mjs`').toBe(
      await renderNodeDocs(nodeTypes, examples),
    )
  })

  it('has an example for every registered node type, and none for a type that does not exist', () => {
    expect(nodeTypes.length).toBeGreaterThanOrEqual(28)
    for (const { type } of nodeTypes)
      expect(examples[type], `docs/flow-node-examples.json has no "${type}"`).toBeDefined()
    for (const type of Object.keys(examples))
      expect(registry.get(type), `docs/flow-node-examples.json has "${type}", which is no node type`).toBeDefined()
  })

  it.each(nodeTypes.map((d) => [d.type, d] as const))('the %s example matches its config JSON Schema', (type, d) => {
    const example = examples[type]!
    expect(example.explanation.trim(), `${type}: explanation`).not.toBe('')
    const validate = ajv.compile(d.configSchema)
    expect(validate(example.config), `${type}: ${JSON.stringify(validate.errors)}`).toBe(true)
  })

  it.each(nodeTypes.map((d) => [d.type, d] as const))('the %s example is a valid node in a flow', (type, d) => {
    // start → the example node, each required port → an end node: no problems, expressions included
    const example = examples[type]!
    const id = type === 'start' ? 'start' : 'example'
    const required = portList(d.requiredPorts, example.config)
    const nodes: Array<{ id: string; type: string; config: Record<string, unknown> }> = [
      { id, type, config: example.config },
    ]
    const edges = required.map((port) => ({ from: id, port, to: 'done' }))
    if (type !== 'start') {
      nodes.unshift({ id: 'start', type: 'start', config: {} })
      edges.unshift({ from: 'start', port: 'next', to: id })
    }
    if (required.length) nodes.push({ id: 'done', type: 'end', config: {} })
    const document = { schemaVersion: 1, nodes, edges }
    expect(validateFlow(document, registry).problems).toEqual([])
  })

  it('describes only config fields that exist, and the ports of config-dependent node types', () => {
    for (const d of nodeTypes) {
      const example = examples[d.type]!
      const fields = new Set(configFields(d.configSchema).map((f) => f.path))
      for (const path of Object.keys(example.fields ?? {}))
        expect(fields.has(path), `${d.type}: "fields" names "${path}", which the config schema does not have`).toBe(
          true,
        )
      if (typeof d.ports === 'function') expect(example.portsNote, `${d.type}: portsNote`).toBeTruthy()
      if (typeof d.requiredPorts === 'function')
        expect(example.requiredPortsNote, `${d.type}: requiredPortsNote`).toBeTruthy()
    }
  })
})
