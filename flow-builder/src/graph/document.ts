/**
 * The flow document as the core stores it (core/src/flows/document/flow-document.ts): nodes with a
 * type, a config checked against the node type's JSON Schema and a canvas position; edges from a
 * named output port to a node. Plain types, no React.
 */
export interface FlowNode {
  id: string
  type: string
  config: Record<string, unknown>
  position?: { x: number; y: number }
  title?: string
}

export interface FlowEdge {
  from: string
  /** the named output port of `from` */
  port: string
  to: string
}

export type TranscriptStep =
  | { say: string }
  | { digits: string }
  | { event: string; data?: unknown }
  | { advance: string | number }
  | {
      expect: {
        messages?: string[]
        vars?: Record<string, unknown>
        status?: 'running' | 'waiting' | 'completed' | 'failed'
        outputs?: string[]
      }
    }

export interface FlowTest {
  name: string
  given?: {
    vars?: Record<string, unknown>
    contact?: Record<string, unknown>
    conversation?: Record<string, unknown>
    channel?: 'text' | 'voice'
    now?: string
    mocks?: Record<string, unknown>
  }
  steps: TranscriptStep[]
}

export interface FlowDocument {
  schemaVersion: number
  nodes: FlowNode[]
  edges: FlowEdge[]
  variables: Record<string, unknown>
  tests: FlowTest[]
  settings: { maxSteps: number }
}

/** The id of an edge on the canvas: one edge per output port, so `from:port` names it. */
export function edgeId(edge: Pick<FlowEdge, 'from' | 'port'>): string {
  return `${edge.from}:${edge.port}`
}
