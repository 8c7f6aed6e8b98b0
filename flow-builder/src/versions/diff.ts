import type { Overlay } from '../editor/editor-api'
import { edgeId, type FlowDocument, type FlowEdge, type FlowNode } from '../graph/document'

/**
 * What changed between two documents: the shape the core's diff answers (GET /api/v1/flows/{id}/diff
 * for versions, POST /api/v1/flows/diff for an unsaved drawing). This module only draws it.
 */
export interface FlowDiff {
  nodes: {
    added: FlowNode[]
    removed: FlowNode[]
    changed: Array<{ id: string; fields: string[]; configKeys: string[]; before: FlowNode; after: FlowNode }>
    moved: string[]
  }
  edges: { added: FlowEdge[]; removed: FlowEdge[] }
  variables: { added: string[]; removed: string[]; changed: string[] }
  same: boolean
}

/**
 * The document to draw a diff on: the newer one, plus the removed nodes as ghosts at their old
 * positions and the removed edges whose ends are both drawn. A removed edge that shares its
 * `from:port` with an added one (a re-routed port) is left out: one edge per port on the canvas.
 */
export function documentForDiff(after: FlowDocument, diff: FlowDiff): FlowDocument {
  const ids = new Set([...after.nodes.map((n) => n.id), ...diff.nodes.removed.map((n) => n.id)])
  const usedPorts = new Set(after.edges.map((e) => edgeId(e)))
  const ghostEdges = diff.edges.removed.filter((e) => ids.has(e.from) && ids.has(e.to) && !usedPorts.has(edgeId(e)))
  return {
    ...after,
    nodes: [...after.nodes, ...diff.nodes.removed],
    edges: [...after.edges, ...ghostEdges],
  }
}

/** The overlays of a diff: added, removed (ghosts) and changed nodes and edges, with short labels. */
export function diffOverlays(diff: FlowDiff, labels: { added: string; removed: string; changed: string }): Overlay[] {
  const label = (ids: string[], text: string) => Object.fromEntries(ids.map((id) => [id, text]))
  const added = diff.nodes.added.map((n) => n.id)
  const removed = diff.nodes.removed.map((n) => n.id)
  const overlays: Overlay[] = [
    {
      kind: 'added',
      nodeIds: added,
      edgeIds: diff.edges.added.map((e) => edgeId(e)),
      labels: label(added, labels.added),
    },
    {
      kind: 'removed',
      nodeIds: removed,
      edgeIds: diff.edges.removed.map((e) => edgeId(e)),
      labels: label(removed, labels.removed),
    },
    {
      kind: 'changed',
      nodeIds: diff.nodes.changed.map((c) => c.id),
      labels: Object.fromEntries(
        diff.nodes.changed.map((c) => [
          c.id,
          `${labels.changed}: ${[...c.configKeys, ...c.fields.filter((f) => f !== 'config')].join(', ')}`,
        ]),
      ),
    },
  ]
  return overlays.filter((o) => o.nodeIds.length || o.edgeIds?.length)
}

export type ChangeLine =
  | { kind: 'added' | 'removed'; nodeId: string; title: string; type: string }
  | { kind: 'changed'; nodeId: string; title: string; type: string; fields: string[] }
  | { kind: 'edge-added' | 'edge-removed'; nodeId: string; text: string }
  | { kind: 'variable-added' | 'variable-removed' | 'variable-changed'; name: string }

/** The diff as a list a person reads: each node with its title, each changed config field by name. */
export function changeList(diff: FlowDiff): ChangeLine[] {
  const title = (n: FlowNode) => n.title ?? n.id
  return [
    ...diff.nodes.added.map((n) => ({ kind: 'added' as const, nodeId: n.id, title: title(n), type: n.type })),
    ...diff.nodes.removed.map((n) => ({ kind: 'removed' as const, nodeId: n.id, title: title(n), type: n.type })),
    ...diff.nodes.changed.map((c) => ({
      kind: 'changed' as const,
      nodeId: c.id,
      title: title(c.after),
      type: c.after.type,
      fields: [...c.fields.filter((f) => f !== 'config'), ...c.configKeys],
    })),
    ...diff.edges.added.map((e) => ({
      kind: 'edge-added' as const,
      nodeId: e.from,
      text: `${e.from} —${e.port}→ ${e.to}`,
    })),
    ...diff.edges.removed.map((e) => ({
      kind: 'edge-removed' as const,
      nodeId: e.from,
      text: `${e.from} —${e.port}→ ${e.to}`,
    })),
    ...diff.variables.added.map((name) => ({ kind: 'variable-added' as const, name })),
    ...diff.variables.removed.map((name) => ({ kind: 'variable-removed' as const, name })),
    ...diff.variables.changed.map((name) => ({ kind: 'variable-changed' as const, name })),
  ]
}
