import { api } from '../api/http'
import type { FlowDocument } from '../graph/document'
import type { FlowFile } from '../graph/flow-file'
import type { NodeTypeInfo } from '../graph/node-types'
import type { FlowProblem } from '../graph/problems'

/** A row of GET /api/v1/flows. */
export interface FlowSummary {
  id: string
  name: string
  kind: string
  description: string
  draftRev: number
  publishedVersion: number | null
  draftChanged: boolean
  updatedAt: string
  updatedBy: string | null
}

/** GET /api/v1/flows/{id}: the flow with its draft. */
export interface FlowView {
  id: string
  name: string
  kind: string
  description: string
  draft: FlowDocument
  draftRev: number
  publishedVersion: number | null
  problems: FlowProblem[]
  updatedAt: string
}

export interface FlowTemplate {
  id: string
  name: string
  kind: string
  description: string
  nodeCount: number
  document: FlowDocument
}

const enc = encodeURIComponent

/** The flow engine's REST API as the builder uses it (core/src/flows/flows-routes.ts). */
export const flowClient = {
  list: () => api.get<FlowSummary[]>('/api/v1/flows'),
  get: (id: string) => api.get<FlowView>(`/api/v1/flows/${enc(id)}`),
  create: (input: { name: string; kind: string; description?: string; document?: FlowDocument }) =>
    api.post<FlowView>('/api/v1/flows', input),
  remove: (id: string) => api.delete(`/api/v1/flows/${enc(id)}`),
  saveDraft: (id: string, document: FlowDocument, baseRev: number) =>
    api.put<FlowView>(`/api/v1/flows/${enc(id)}/draft`, { document, baseRev }),
  publish: (id: string, note?: string) =>
    api.post<{ version: number }>(`/api/v1/flows/${enc(id)}/publish`, note ? { note } : {}),
  validate: (document: FlowDocument) =>
    api.post<{ ok: boolean; problems: FlowProblem[] }>('/api/v1/flows/validate', { document }),
  importFile: (flow: FlowFile) => api.post<FlowView>('/api/v1/flows/import', { flow }),
  exportFile: (id: string) => api.get<FlowFile>(`/api/v1/flows/${enc(id)}/export`),
  templates: () => api.get<FlowTemplate[]>('/api/v1/flow-templates'),
  nodeTypes: () => api.get<NodeTypeInfo[]>('/api/v1/node-types'),
  ports: (type: string, config: Record<string, unknown>) =>
    api.post<{ ports: string[]; requiredPorts: string[] }>(`/api/v1/node-types/${enc(type)}/ports`, { config }),
}

/** Starts a download of a JSON text in the browser. */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
