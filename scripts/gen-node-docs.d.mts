// Types for scripts/gen-node-docs.mjs, used by test/docs/flow-nodes-doc.test.ts.
import type { NodeTypeDefinition } from '../core/src/flows/index.js'

/** A hand-written entry of docs/flow-node-examples.json. */
export interface NodeExample {
  /** the node id shown in the example; the node type when left out */
  id?: string
  config: Record<string, unknown>
  /** what the example does */
  explanation: string
  /** how the node behaves when it runs, one point each */
  notes?: string[]
  /** for node types whose ports depend on the config: which ports it has */
  portsNote?: string
  /** for node types whose required ports depend on the config */
  requiredPortsNote?: string
  /** descriptions of config fields by their row name (`choices[].key`), added to the schema's own */
  fields?: Record<string, string>
}

export interface ConfigField {
  path: string
  type: string
  required: boolean
  default: unknown
  description: string | undefined
}

export declare const nodeDocPath: string
export declare const nodeExamplesPath: string
export declare function renderNodeDocs(
  nodeTypes: NodeTypeDefinition[],
  examples: Record<string, NodeExample>,
): Promise<string>
export declare function configFields(schema: Record<string, unknown>, prefix?: string): ConfigField[]
export declare function readNodeExamples(): Record<string, NodeExample>
