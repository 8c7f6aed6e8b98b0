import { edgeId, type FlowDocument } from './document'

/** A problem as POST /api/v1/flows/validate reports it (core/src/flows/validate/validate-flow.ts). */
export interface FlowProblem {
  code: string
  message: string
  nodeId?: string
  /** index of the edge in `edges` */
  edge?: number
  /** e.g. config.cases.0.when */
  path?: string
}

export interface ProblemMap {
  /** problems per node id (including edge problems, on the edge's source node) */
  byNode: Map<string, FlowProblem[]>
  /** ids (`from:port`) of edges with a problem */
  edgeIds: Set<string>
  /** problems with no node (e.g. "the flow has no start node") */
  general: FlowProblem[]
  /** form errors of a node, by config path without the `config.` prefix ('' for the whole config) */
  fieldErrors(nodeId: string): Map<string, string[]>
}

/** Maps the validator's problems onto the canvas: node badges, red edges, form fields. */
export function mapProblems(doc: FlowDocument, problems: FlowProblem[]): ProblemMap {
  const byNode = new Map<string, FlowProblem[]>()
  const edgeIds = new Set<string>()
  const general: FlowProblem[] = []
  for (const p of problems) {
    const edge = p.edge !== undefined ? doc.edges[p.edge] : undefined
    if (edge) edgeIds.add(edgeId(edge))
    const nodeId = p.nodeId ?? edge?.from
    if (nodeId && doc.nodes.some((n) => n.id === nodeId)) byNode.set(nodeId, [...(byNode.get(nodeId) ?? []), p])
    else general.push(p)
  }
  return {
    byNode,
    edgeIds,
    general,
    fieldErrors(nodeId) {
      const fields = new Map<string, string[]>()
      for (const p of byNode.get(nodeId) ?? []) {
        if (!p.path?.startsWith('config')) continue
        const field = p.path.replace(/^config\.?/, '')
        fields.set(field, [...(fields.get(field) ?? []), detailOf(p)])
      }
      return fields
    },
  }
}

/** The message without the validator's `node "x" (type):` prefix, for showing next to a field. */
export function detailOf(problem: FlowProblem): string {
  return problem.message.replace(/^node "[^"]+"( \([^)]*\))?:\s*/, '')
}

/** Problems with an error severity block publishing; `unreachable` nodes are still errors for the core. */
export const blocksPublish = (problems: FlowProblem[]) => problems.length > 0
