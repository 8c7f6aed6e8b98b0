import { isDeepStrictEqual } from 'node:util'
import type { FlowDocument, FlowEdge, FlowNode } from '../document/flow-document.js'

export interface FlowDiff {
  nodes: {
    added: FlowNode[]
    removed: FlowNode[]
    /** nodes whose type, config or title changed; `moved` lists those that only changed position */
    changed: Array<{
      id: string
      fields: Array<'type' | 'config' | 'title'>
      configKeys: string[]
      before: FlowNode
      after: FlowNode
    }>
    moved: string[]
  }
  edges: { added: FlowEdge[]; removed: FlowEdge[] }
  variables: { added: string[]; removed: string[]; changed: string[] }
  /** true when the two documents run the same (positions aside) */
  same: boolean
}

const edgeKey = (e: FlowEdge) => `${e.from}\u0000${e.port}\u0000${e.to}`

/** What changed from `before` to `after`, as data the builder can draw on the canvas. */
export function diffDocuments(before: FlowDocument, after: FlowDocument): FlowDiff {
  const a = new Map(before.nodes.map((n) => [n.id, n]))
  const b = new Map(after.nodes.map((n) => [n.id, n]))
  const changed: FlowDiff['nodes']['changed'] = []
  const moved: string[] = []
  for (const [id, old] of a) {
    const now = b.get(id)
    if (!now) continue
    const fields = (['type', 'config', 'title'] as const).filter((f) => !isDeepStrictEqual(old[f], now[f]))
    if (fields.length) {
      const keys = new Set([...Object.keys(old.config), ...Object.keys(now.config)])
      changed.push({
        id,
        fields: [...fields],
        configKeys: [...keys].filter((k) => !isDeepStrictEqual(old.config[k], now.config[k])),
        before: old,
        after: now,
      })
    } else if (!isDeepStrictEqual(old.position, now.position)) moved.push(id)
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
      changed: Object.keys(va).filter((k) => k in vb && !isDeepStrictEqual(va[k], vb[k])),
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
