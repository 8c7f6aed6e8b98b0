import { api, ApiError } from '../../api/http'
import type { Message } from '../conversation/conversation-types'
import type {
  CreateTicketInput,
  EscalateInput,
  SlaClockView,
  TicketAttachment,
  TicketDetail,
  TicketFilters,
  TicketHistoryItem,
  TicketPage,
  TicketPatch,
} from './ticket-types'

/** The tickets resource of the REST API (core/src/tickets) and the SLA clocks of one ticket (core/src/sla). */
const base = '/api/v1/tickets'

export interface TicketListQuery extends Partial<TicketFilters> {
  conversationId?: string
  contactId?: string
  cursor?: string
  limit?: number
  sort?: string
}

export const ticketApi = {
  list: (query: TicketListQuery = {}) => api.get<TicketPage>(base, { ...query }),
  get: (id: number | string) => api.get<TicketDetail>(`${base}/${id}`),
  create: (input: CreateTicketInput) => api.post<TicketDetail>(base, input),
  createFromConversation: (conversationId: string, input: CreateTicketInput) =>
    api.post<TicketDetail>(`/api/v1/conversations/${conversationId}/ticket`, input),
  update: (id: number, patch: TicketPatch) => api.patch<TicketDetail>(`${base}/${id}`, patch),
  escalate: (id: number, input: EscalateInput) => api.post<TicketDetail>(`${base}/${id}/escalate`, input),
  reopen: (id: number, reason: string) => api.post<TicketDetail>(`${base}/${id}/reopen`, { reason }),
  history: (id: number) => api.get<TicketHistoryItem[]>(`${base}/${id}/history`),
  addNote: (id: number, body: string, attachmentIds: string[] = []) =>
    api.post<unknown>(`${base}/${id}/notes`, { body, ...(attachmentIds.length ? { attachmentIds } : {}) }),
  upload: (id: number, file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return api.post<TicketAttachment>(`${base}/${id}/attachments`, form)
  },
  link: (id: number, conversationId: string) =>
    api.post<TicketDetail>(`${base}/${id}/conversations`, { conversationId }),
  merge: (id: number, intoId: number) => api.post<TicketDetail>(`${base}/${id}/merge`, { intoId }),
  split: (id: number, input: { subject: string; conversationIds?: string[]; noteIds?: string[] }) =>
    api.post<TicketDetail>(`${base}/${id}/split`, input),
  clocks: (ticketId: number) => api.get<SlaClockView[]>('/api/v1/sla/clocks', { ticketId }),
  /** a linked conversation's thread, readable by whoever may see the ticket (its new team after an escalation) */
  messages: (id: number, conversationId: string, afterSeq = 0) =>
    api.get<Message[]>(`${base}/${id}/conversations/${conversationId}/messages`, { afterSeq, limit: 500 }),
}

/** A PATCH sent with a version someone else already moved past. */
export function isStale(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409
}
