import type { FlowDocument, FlowEdge, FlowNode } from './document'
import { START_TYPE } from './node-types'
import { uniqueNodeId } from './document-ops'

/** What Ctrl+C keeps: the selected nodes and the edges between them. */
export interface ClipboardContent {
  kind: 'switchboard/flow-nodes'
  nodes: FlowNode[]
  edges: FlowEdge[]
}

export function copySelection(doc: FlowDocument, selected: ReadonlySet<string>): ClipboardContent | null {
  // a flow has exactly one start: it is never copied
  const nodes = doc.nodes.filter((n) => selected.has(n.id) && n.type !== START_TYPE)
  if (!nodes.length) return null
  const ids = new Set(nodes.map((n) => n.id))
  const edges = doc.edges.filter((e) => ids.has(e.from) && ids.has(e.to))
  return structuredClone({ kind: 'switchboard/flow-nodes', nodes, edges })
}

export function isClipboardContent(value: unknown): value is ClipboardContent {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ClipboardContent).kind === 'switchboard/flow-nodes' &&
    Array.isArray((value as ClipboardContent).nodes) &&
    Array.isArray((value as ClipboardContent).edges)
  )
}

/**
 * Adds the copied nodes with new ids (the edges between them follow), moved by `offset`.
 * Returns the new document and the new nodes' ids (selected after the paste).
 */
export function pasteClipboard(
  doc: FlowDocument,
  clip: ClipboardContent,
  offset: { x: number; y: number },
): { document: FlowDocument; pasted: string[] } {
  const taken = new Set(doc.nodes.map((n) => n.id))
  const ids = new Map<string, string>()
  const nodes = clip.nodes.map((n) => {
    const id = uniqueNodeId(n.id.replace(/-\d+$/, ''), taken)
    taken.add(id)
    ids.set(n.id, id)
    const position = n.position ?? { x: 0, y: 0 }
    return { ...structuredClone(n), id, position: { x: position.x + offset.x, y: position.y + offset.y } }
  })
  const edges = clip.edges
    .filter((e) => ids.has(e.from) && ids.has(e.to))
    .map((e) => ({ from: ids.get(e.from)!, port: e.port, to: ids.get(e.to)! }))
  return {
    document: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] },
    pasted: [...ids.values()],
  }
}
