import type { FlowDocument } from './document'

export const FLOW_KINDS = ['bot', 'ivr', 'routing', 'ticket', 'callback', 'survey'] as const
export type FlowKind = (typeof FLOW_KINDS)[number]

/** A flow as a file (what export writes and import reads): examples/flows/*.json have this shape. */
export interface FlowFile {
  name: string
  kind: FlowKind
  description: string
  document: FlowDocument
}

export type ParseFlowFileResult = { ok: true; file: FlowFile } | { ok: false; error: 'json' | 'shape' }

/**
 * Reads an imported file: a flow file, or a bare document (named after the file). Only the shape is
 * checked here; the core validates the document itself and refuses an invalid file whole.
 */
export function parseFlowFile(text: string, fileName = 'Imported flow'): ParseFlowFileResult {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, error: 'json' }
  }
  if (!value || typeof value !== 'object') return { ok: false, error: 'shape' }
  const v = value as Record<string, unknown>
  const isDocument = (d: unknown): d is FlowDocument =>
    !!d && typeof d === 'object' && Array.isArray((d as FlowDocument).nodes) && Array.isArray((d as FlowDocument).edges)
  if (isDocument(v.document) && typeof v.name === 'string') {
    const kind = FLOW_KINDS.includes(v.kind as FlowKind) ? (v.kind as FlowKind) : 'bot'
    const description = typeof v.description === 'string' ? v.description : ''
    return { ok: true, file: { name: v.name, kind, description, document: normalizeDocument(v.document) } }
  }
  if (isDocument(v)) {
    const name = fileName.replace(/\.json$/i, '') || 'Imported flow'
    return { ok: true, file: { name, kind: 'bot', description: '', document: normalizeDocument(v) } }
  }
  return { ok: false, error: 'shape' }
}

/** Fills the optional parts the core defaults, so a round trip compares equal. */
export function normalizeDocument(doc: Partial<FlowDocument> & Pick<FlowDocument, 'nodes' | 'edges'>): FlowDocument {
  return {
    schemaVersion: doc.schemaVersion ?? 1,
    nodes: doc.nodes.map((n) => ({ ...n, config: n.config ?? {} })),
    edges: doc.edges,
    variables: doc.variables ?? {},
    tests: doc.tests ?? [],
    settings: doc.settings ?? { maxSteps: 1000 },
  }
}

/** The file export writes: pretty JSON, in the order of the examples. */
export function serializeFlowFile(file: FlowFile): string {
  return (
    JSON.stringify(
      { name: file.name, kind: file.kind, description: file.description, document: file.document },
      null,
      2,
    ) + '\n'
  )
}

/** A file name for the download: the flow's name, safe on every OS. */
export function flowFileName(name: string): string {
  return `${name.replace(/[\\/:*?"<>|\s]+/g, '-').replace(/^-+|-+$/g, '') || 'flow'}.json`
}

/** The first of `name`, `name (2)`, `name (3)`… that is not taken. */
export function uniqueFlowName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name
  for (let i = 2; ; i++) if (!taken.has(`${name} (${i})`)) return `${name} (${i})`
}
