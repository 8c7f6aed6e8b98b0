import type { FlowDocument, FlowEdge } from './document'
import { START_TYPE } from './node-types'

export type ConnectRefusal = 'into-start' | 'self' | 'unknown-node' | 'unknown-port'

/**
 * The port rules of the canvas: one edge per output port (connecting a used port replaces its
 * edge), nothing goes into the start node, no node connects to itself, and only ports the node
 * has can be used.
 */
export function connect(
  doc: FlowDocument,
  edge: FlowEdge,
  portsOf: (nodeId: string) => string[],
): { ok: true; document: FlowDocument } | { ok: false; reason: ConnectRefusal } {
  const from = doc.nodes.find((n) => n.id === edge.from)
  const to = doc.nodes.find((n) => n.id === edge.to)
  if (!from || !to) return { ok: false, reason: 'unknown-node' }
  if (to.type === START_TYPE) return { ok: false, reason: 'into-start' }
  if (from.id === to.id) return { ok: false, reason: 'self' }
  if (!portsOf(from.id).includes(edge.port)) return { ok: false, reason: 'unknown-port' }
  const edges = doc.edges.filter((e) => !(e.from === edge.from && e.port === edge.port))
  return { ok: true, document: { ...doc, edges: [...edges, { from: edge.from, port: edge.port, to: edge.to }] } }
}

/** Edges whose port a node no longer has (e.g. a removed switch case): drawn dashed, reported by the validator. */
export function edgesOnMissingPorts(doc: FlowDocument, portsOf: (nodeId: string) => string[] | null): FlowEdge[] {
  return doc.edges.filter((e) => {
    const ports = portsOf(e.from)
    return ports !== null && !ports.includes(e.port)
  })
}
