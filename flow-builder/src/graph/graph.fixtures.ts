import type { FlowDocument } from './document'

// the example flows (examples/flows/*.json) as text, read by Vite (vitest) at load time
const files = import.meta.glob<string>('../../../examples/flows/*.json', {
  eager: true,
  query: '?raw',
  import: 'default',
})

/** The example flows, the builder's test fixtures. */
export const exampleFlows = () => Object.entries(files).map(([path, text]) => ({ file: path.split('/').pop()!, text }))

export const doc = (nodes: FlowDocument['nodes'], edges: FlowDocument['edges'] = []): FlowDocument => ({
  schemaVersion: 1,
  nodes,
  edges,
  variables: {},
  tests: [],
  settings: { maxSteps: 1000 },
})
