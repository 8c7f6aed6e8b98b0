import type { Overlay } from '../editor/editor-api'
import { edgeId, type FlowDocument, type FlowEdge, type FlowNode } from '../graph/document'

/** What changed between two documents: the shape GET /api/v1/flows/{id}/diff answers. */
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

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
const edgeKey = (e: FlowEdge) => `${e.from}\u0000${e.port}\u0000${e.to}`

/**
 * The same diff computed in the browser, for two documents the server has not both stored
 * (mine, unsaved, against the draft someone else saved). Keys are compared in order, so an
 * object with the same keys in another order counts as changed: rare, and only shown, never merged.
 */
export function diffDocuments(before: FlowDocument, after: FlowDocument): FlowDiff {
  const a = new Map(before.nodes.map((n) => [n.id, n]))
  const b = new Map(after.nodes.map((n) => [n.id, n]))
  const changed: FlowDiff['nodes']['changed'] = []
  const moved: string[] = []
  for (const [id, old] of a) {
    const now = b.get(id)
    if (!now) continue
    const fields = (['type', 'config', 'title'] as const).filter((f) => !equal(old[f], now[f]))
    if (fields.length) {
      const keys = new Set([...Object.keys(old.config), ...Object.keys(now.config)])
      changed.push({
        id,
        fields: [...fields],
        configKeys: [...keys].filter((k) => !equal(old.config[k], now.config[k])),
        before: old,
        after: now,
      })
    } else if (!equal(old.position, now.position)) moved.push(id)
  }
  const ea = new Set(before.edges.map(edgeKey))
  const eb = new Set(after.edges.map(edgeKey))
  const va = before.variables
  const vb = after.variables
  const diff: FlowDiff = {
    nodes: {
      added: after.nodes.filter((n) => !a.has(n.id)),
      removed: before.nodes.filter((n) => !b.has(n.id)),
      changed,
      moved,
    },
    edges: {
      added: after.edges.filter((e) => !ea.has(edgeKey(e))),
      removed: before.edges.filter((e) => !eb.has(edgeKey(e))),
    },
    variables: {
      added: Object.keys(vb).filter((k) => !(k in va)),
      removed: Object.keys(va).filter((k) => !(k in vb)),
      changed: Object.keys(va).filter((k) => k in vb && !equal(va[k], vb[k])),
    },
    same: false,
  }
  diff.same =
    !diff.nodes.added.length &&
    !diff.nodes.removed.length &&
    !diff.nodes.changed.length &&
    !diff.edges.added.length &&
    !diff.edges.removed.length &&
    !diff.variables.added.length &&
    !diff.variables.removed.length &&
    !diff.variables.changed.length
  return diff
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
