import { api } from '../../api/http'

/** The shapes of the contacts API the customer panel reads (core/src/contacts, core/src/plugins). */
export interface Identity {
  id: string
  channel: string
  address: string
  verified: boolean
}

export interface Contact {
  id: string
  name: string | null
  email: string | null
  phone: string | null
  address: string | null
  language: string | null
  tags: string[]
  attributes: Record<string, unknown>
  identities: Identity[]
  createdAt: string
  updatedAt: string
}

export interface HistoryConversation {
  id: string
  channel: string
  status: 'bot' | 'queued' | 'assigned' | 'resolved' | string
  intent: string | null
  firstLine: string | null
  messageCount: number
  agentName: string | null
  createdAt: string
  lastMessageAt: string | null
  resolvedAt: string | null
  /** voice conversations: the call (null for other channels) */
  call?: HistoryCall | null
}

/** A call's facts in the history (core/src/contacts/contact-history.ts). */
export interface HistoryCall {
  outcome: string | null
  ivrPath: string[]
  waitMs: number | null
  agentName: string | null
  durationMs: number | null
  talkMs: number | null
  recordingIds: string[]
}

export interface HistoryTicket {
  id: number
  subject: string
  status: string
  priority: string
  tier: string
  category: string | null
  conversationId: string | null
  createdAt: string
  updatedAt: string
}

export interface ContactHistory {
  conversations: HistoryConversation[]
  tickets: HistoryTicket[]
}

export type LocalizedText = { en: string; 'zh-CN': string }
export type FieldFormat = 'text' | 'money' | 'date' | 'link' | 'badge'

export interface PanelField {
  label: LocalizedText
  path: string
  format: FieldFormat
}

export interface PluginPanelData {
  plugin: string
  id: string
  title: LocalizedText
  action: string
  layout: 'key-value' | 'table' | 'timeline'
  fields: PanelField[]
  data: unknown
  error: { code: string; message: string } | null
  loadedAt: string
  cacheSeconds: number | null
}

export interface ThreadMessage {
  id: string
  seq: number
  direction: 'inbound' | 'outbound' | 'internal' | string
  kind: string
  body: string
  authorUserId: string | null
  createdAt: string
}

export type ContactChange = Partial<Pick<Contact, 'tags' | 'attributes' | 'language'>>

export const customerApi = {
  contact: (id: string) => api.get<Contact>(`/api/v1/contacts/${encodeURIComponent(id)}`),
  update: (id: string, change: ContactChange) =>
    api.patch<Contact>(`/api/v1/contacts/${encodeURIComponent(id)}`, change),
  history: (id: string) => api.get<ContactHistory>(`/api/v1/contacts/${encodeURIComponent(id)}/history`),
  panels: (id: string, refresh = false) =>
    api.get<PluginPanelData[]>(`/api/v1/contacts/${encodeURIComponent(id)}/panels`, { refresh: refresh || undefined }),
  search: (q: string) => api.get<Contact[]>('/api/v1/contacts', { q, limit: 20 }),
  merge: (intoId: string, fromId: string) =>
    api.post<Contact>(`/api/v1/contacts/${encodeURIComponent(intoId)}/merge`, { from: fromId }),
  messages: (conversationId: string) =>
    api.get<ThreadMessage[]>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/messages`, { limit: 200 }),
}
