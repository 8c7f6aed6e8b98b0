import { api, ApiError, withQuery } from '../../api/http'
import type { Conversation, DirectoryUser, InboxRow, InboxSummary, Message } from './conversation-types'

/** The conversations resource of the REST API, as the inbox and the workspace use it. */
export interface InboxQuery {
  view?: 'mine' | 'queues' | 'all'
  id?: string
  status?: string
  channel?: string
  tag?: string
  priority?: number
  q?: string
  cursor?: string
  limit?: number
}

const base = '/api/v1/conversations'

export const conversationApi = {
  list: (query: InboxQuery) => api.get<InboxRow[]>(base, { ...query }),
  summary: () => api.get<InboxSummary>(`${base}/inbox`),
  get: (id: string) => api.get<Conversation>(`${base}/${id}`),
  messages: (id: string, afterSeq = 0, limit = 500) =>
    api.get<Message[]>(`${base}/${id}/messages`, { afterSeq, limit }),
  reply: (id: string, text: string) => api.post<Message>(`${base}/${id}/messages`, { text }),
  note: (id: string, text: string, mentions: string[]) =>
    api.post<Message>(`${base}/${id}/messages`, { text, internal: true, ...(mentions.length ? { mentions } : {}) }),
  typing: (id: string) => api.post<void>(`${base}/${id}/typing`),
  markRead: (id: string, seq?: number) =>
    api.post<{ lastReadSeq: number }>(`${base}/${id}/read`, seq === undefined ? {} : { seq }),
  update: (id: string, change: { status?: 'resolved' | 'open'; tags?: string[]; priority?: number }) =>
    api.patch<Conversation>(`${base}/${id}`, change),
  transfer: (id: string, to: { queueId?: string; agentId?: string }) => api.post<void>(`${base}/${id}/transfer`, to),
  directory: () => api.get<DirectoryUser[]>('/api/v1/users/directory'),

  /** Sends a file as it is (its type as Content-Type); the shared client only sends JSON and forms. */
  async attach(id: string, file: File): Promise<Message> {
    const res = await fetch(withQuery(`${base}/${id}/attachments`, { name: file.name }), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': file.type || 'application/octet-stream', accept: 'application/json' },
      body: file,
    }).catch((cause: unknown) => {
      throw new ApiError(0, { code: 'NETWORK', message: 'The server cannot be reached' }, String(cause))
    })
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>
    if (!res.ok) throw new ApiError(res.status, body, `upload answered ${res.status}`)
    return body as unknown as Message
  },
}
