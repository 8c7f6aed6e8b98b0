import { graphlib, layout } from '@dagrejs/dagre'
import type { FlowDocument } from './document'
import { NOTE_TYPE } from './node-types'

export const NODE_WIDTH = 240
export const NODE_HEIGHT = 96

/**
 * Top-to-bottom auto-layout (dagre). Deterministic: the same document gives the same positions,
 * nodes and edges are fed in document order. Notes keep their place (they annotate a spot).
 */
export function autoLayout(
  doc: FlowDocument,
  size: (nodeId: string) => { width: number; height: number } = () => ({ width: NODE_WIDTH, height: NODE_HEIGHT }),
): FlowDocument {
  const g = new graphlib.Graph({ multigraph: true })
  g.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 72, marginx: 0, marginy: 0 })
  g.setDefaultEdgeLabel(() => ({}))
  const laidOut = doc.nodes.filter((n) => n.type !== NOTE_TYPE)
  for (const n of laidOut) g.setNode(n.id, size(n.id))
  const ids = new Set(laidOut.map((n) => n.id))
  for (const e of doc.edges) if (ids.has(e.from) && ids.has(e.to)) g.setEdge(e.from, e.to, {}, e.port)
  layout(g)
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      if (!ids.has(n.id)) return n
      const { x, y, width, height } = g.node(n.id) as { x: number; y: number; width: number; height: number }
      // dagre gives centres; the canvas places nodes by their top-left corner
      return { ...n, position: { x: Math.round(x - width / 2), y: Math.round(y - height / 2) } }
    }),
  }
}
