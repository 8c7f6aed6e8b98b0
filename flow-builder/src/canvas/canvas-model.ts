import type { Edge, Node } from '@xyflow/react'
import { edgeId, type FlowDocument, type FlowNode } from '../graph/document'
import { NOTE_TYPE, portsOfNode, type NodeTypeInfo } from '../graph/node-types'
import type { ProblemMap } from '../graph/problems'
import type { Overlay, OverlayKind } from '../editor/editor-api'

export interface FlowNodeData extends Record<string, unknown> {
  node: FlowNode
  info: NodeTypeInfo | undefined
  ports: string[]
  problemCount: number
  overlays: OverlayKind[]
  overlayLabel: string | undefined
}

export type CanvasNode = Node<FlowNodeData, 'flow' | 'note'>

interface Decorations {
  nodeTypes: ReadonlyMap<string, NodeTypeInfo>
  dynamicPorts: ReadonlyMap<string, string[]>
  problems: ProblemMap
  overlays: ReadonlyMap<string, Overlay[]>
}

function overlaysByNode(overlays: ReadonlyMap<string, Overlay[]>) {
  const kinds = new Map<string, OverlayKind[]>()
  const labels = new Map<string, string>()
  for (const list of overlays.values())
    for (const o of list)
      for (const id of o.nodeIds) {
        kinds.set(id, [...(kinds.get(id) ?? []), o.kind])
        const label = o.labels?.[id]
        if (label) labels.set(id, label)
      }
  return { kinds, labels }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * Builds React Flow nodes from the document, reusing the previous node objects (and their data)
 * when nothing about a node changed, so memoised node components skip re-rendering: a 300-node
 * flow re-renders one node when one node is edited.
 */
export function buildCanvasNodes(
  doc: FlowDocument,
  deco: Decorations,
  selection: ReadonlySet<string>,
  previous: ReadonlyMap<string, CanvasNode>,
): CanvasNode[] {
  const { kinds, labels } = overlaysByNode(deco.overlays)
  return doc.nodes.map((node) => {
    const info = deco.nodeTypes.get(node.type)
    const ports = portsOfNode(node, info, deco.dynamicPorts)
    const problemCount = deco.problems.byNode.get(node.id)?.length ?? 0
    const overlays = kinds.get(node.id) ?? []
    const overlayLabel = labels.get(node.id)
    const position = node.position ?? { x: 0, y: 0 }
    const selected = selection.has(node.id)
    const prev = previous.get(node.id)
    const d = prev?.data
    const sameData =
      d &&
      d.node === node &&
      d.info === info &&
      sameList(d.ports, ports) &&
      d.problemCount === problemCount &&
      sameList(d.overlays, overlays) &&
      d.overlayLabel === overlayLabel
    if (
      prev &&
      sameData &&
      prev.selected === selected &&
      prev.position.x === position.x &&
      prev.position.y === position.y
    )
      return prev
    return {
      id: node.id,
      type: node.type === NOTE_TYPE ? 'note' : 'flow',
      position,
      selected,
      ...(prev?.measured ? { measured: prev.measured } : {}),
      data: sameData ? d : { node, info, ports, problemCount, overlays, overlayLabel },
    }
  })
}

/** One edge per output port, id `from:port`; red when the validator complains, coloured by overlays. */
export function buildCanvasEdges(
  doc: FlowDocument,
  deco: Pick<Decorations, 'problems' | 'overlays'>,
  selected: ReadonlySet<string> = new Set(),
): Edge[] {
  const edgeKinds = new Map<string, OverlayKind[]>()
  for (const list of deco.overlays.values())
    for (const o of list) for (const id of o.edgeIds ?? []) edgeKinds.set(id, [...(edgeKinds.get(id) ?? []), o.kind])
  return doc.edges.map((e) => {
    const id = edgeId(e)
    const classes = [...(edgeKinds.get(id) ?? []).map((k) => `ov-${k}`)]
    if (deco.problems.edgeIds.has(id)) classes.push('has-problem')
    return {
      id,
      source: e.from,
      sourceHandle: e.port,
      target: e.to,
      className: classes.join(' ') || undefined,
      ...(selected.has(id) ? { selected: true } : {}),
    }
  })
}
