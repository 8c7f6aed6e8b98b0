import type { FlowDocument, FlowNode } from './document'
import { START_TYPE } from './node-types'

/** `base`, or `base-2`, `base-3`… : the first id not taken (ids are letters, digits, _ and -). */
export function uniqueNodeId(base: string, taken: ReadonlySet<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 56) || 'node'
  if (!taken.has(clean)) return clean
  for (let i = 2; ; i++) if (!taken.has(`${clean}-${i}`)) return `${clean}-${i}`
}

export function addNode(
  doc: FlowDocument,
  node: Omit<FlowNode, 'id'> & { id?: string },
): { document: FlowDocument; id: string } {
  const id = uniqueNodeId(node.id ?? node.type, new Set(doc.nodes.map((n) => n.id)))
  return { document: { ...doc, nodes: [...doc.nodes, { ...node, id }] }, id }
}

/** Removes nodes (never the start) and every edge touching them. */
export function removeNodes(doc: FlowDocument, ids: ReadonlySet<string>): FlowDocument {
  const removed = new Set(doc.nodes.filter((n) => ids.has(n.id) && n.type !== START_TYPE).map((n) => n.id))
  if (!removed.size) return doc
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !removed.has(n.id)),
    edges: doc.edges.filter((e) => !removed.has(e.from) && !removed.has(e.to)),
  }
}

export function removeEdges(doc: FlowDocument, edgeIds: ReadonlySet<string>): FlowDocument {
  const edges = doc.edges.filter((e) => !edgeIds.has(`${e.from}:${e.port}`))
  return edges.length === doc.edges.length ? doc : { ...doc, edges }
}

export function moveNodes(doc: FlowDocument, positions: ReadonlyMap<string, { x: number; y: number }>): FlowDocument {
  if (!positions.size) return doc
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const p = positions.get(n.id)
      return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n
    }),
  }
}

/** Replaces one node's config and/or title; other nodes keep their identity (memoised components skip them). */
export function updateNode(
  doc: FlowDocument,
  id: string,
  patch: Partial<Pick<FlowNode, 'config' | 'title'>>,
): FlowDocument {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      if (n.id !== id) return n
      const next = { ...n, ...patch }
      if (next.title === '' || next.title === undefined) delete next.title
      return next
    }),
  }
}
