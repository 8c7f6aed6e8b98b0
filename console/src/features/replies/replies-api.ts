import { api } from '../../api/http'

/** The shapes of the canned-responses and suggestions APIs (core/src/canned, core/src/suggestions). */
export interface Rendered {
  text: string
  /** {{names}} that are no variable */
  unknown: string[]
  /** variables with no value for this conversation */
  missing: string[]
}

export interface CannedResponse {
  id: string
  title: string
  shortcut: string
  body: string
  language: 'en' | 'zh-CN' | null
  tags: string[]
  shared: boolean
  ownerId: string | null
  createdAt: string
  updatedAt: string
  rendered?: Rendered
}

export interface Suggestions {
  text: string | null
  language: 'en' | 'zh-CN'
  kb: Array<{ id: string; question: string; answer: string; score: number }>
  canned: Array<{ id: string; title: string; shortcut: string; score: number; rendered: Rendered }>
  ai: { available: boolean }
}

export interface CannedVariable {
  name: string
  description: { en: string; 'zh-CN': string }
  example: { en: string; 'zh-CN': string }
}

export interface CannedInput {
  title: string
  shortcut: string
  body: string
  language: 'en' | 'zh-CN' | null
  tags: string[]
  shared?: boolean
}

const base = '/api/v1/canned-responses'
export const repliesApi = {
  suggestions: (conversationId: string, text?: string | null) =>
    api.get<Suggestions>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/suggestions`, {
      text: text ?? undefined,
    }),
  draft: (conversationId: string, guidance?: string) =>
    api.post<{ text: string; language: string }>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/draft`, {
      ...(guidance ? { guidance } : {}),
    }),
  canned: (query: {
    q?: string
    conversationId?: string
    scope?: 'all' | 'shared' | 'mine'
    language?: string
    limit?: number
  }) => api.get<CannedResponse[]>(base, query),
  create: (input: CannedInput) => api.post<CannedResponse>(base, input),
  update: (id: string, input: Partial<CannedInput>) => api.patch<CannedResponse>(`${base}/${id}`, input),
  remove: (id: string) => api.delete(`${base}/${id}`),
  variables: () => api.get<CannedVariable[]>(`${base}/variables`),
  preview: (body: string, language: 'en' | 'zh-CN', conversationId?: string) =>
    api.post<Rendered>(`${base}/preview`, { body, language, ...(conversationId ? { conversationId } : {}) }),
}
