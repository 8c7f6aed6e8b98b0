import { api } from '../api/http'
import type { FlowDocument } from '../graph/document'
import type { FlowDiff } from './diff'

/** The flow's versions through the core's REST API (core/src/flows/flows-routes.ts). */
export interface VersionRow {
  version: number
  id: string
  note: string
  createdAt: string
  createdBy: { email: string; name: string } | null
  published: boolean
}

export type VersionRef = number | 'draft'

const base = (flowId: string) => `/api/v1/flows/${encodeURIComponent(flowId)}`

export const versionsApi = {
  list: (flowId: string) => api.get<VersionRow[]>(`${base(flowId)}/versions`),
  document: (flowId: string, ref: VersionRef) => api.get<FlowDocument>(`${base(flowId)}/versions/${ref}`),
  diff: (flowId: string, from: VersionRef, to: VersionRef) =>
    api.get<FlowDiff>(`${base(flowId)}/diff?from=${from}&to=${to}`),
  /** the same diff for two documents not both stored (an unsaved drawing against the latest draft) */
  diffDrawings: (before: FlowDocument, after: FlowDocument) =>
    api.post<FlowDiff>('/api/v1/flows/diff', { before, after }),
  /** publishes the old version again as a new one and makes the draft that version (a new revision) */
  rollback: (flowId: string, version: number) =>
    api.post<{ version: number; draftRev?: number }>(`${base(flowId)}/rollback`, { version, resetDraft: true }),
}
