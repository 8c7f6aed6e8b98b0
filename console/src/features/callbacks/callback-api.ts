import { api } from '../../api/http'
import type { CallbackMode, CallbackOutcome, CallbackRow, CallbackStatus } from './callback-types'

/** The callbacks resource of the REST API (core/src/callbacks). */
const base = '/api/v1/callbacks'

export interface CallbackQuery {
  status?: string
  assignee?: string
  queueId?: string
  contactId?: string
  from?: string
  to?: string
  limit?: number
}

export interface ScheduleCallbackInput {
  conversationId?: string
  contactId?: string
  /** queue id or name; the conversation's queue when not given */
  queue?: string
  mode?: CallbackMode
  phone?: string
  note?: string
  windowStart: string
  windowEnd?: string
}

export const callbackApi = {
  list: (query: CallbackQuery = {}) => api.get<CallbackRow[]>(base, { ...query }),
  get: (id: string) => api.get<CallbackRow>(`${base}/${id}`),
  schedule: (input: ScheduleCallbackInput) => api.post<CallbackRow>(base, input),
  update: (
    id: string,
    change: {
      windowStart?: string
      windowEnd?: string | null
      note?: string
      status?: Extract<CallbackStatus, 'cancelled'>
    },
  ) => api.patch<CallbackRow>(`${base}/${id}`, change),
  outcome: (id: string, outcome: CallbackOutcome, note: string) =>
    api.post<CallbackRow>(`${base}/${id}/outcome`, { outcome, note }),
  offer: (conversationId: string, input: { phone?: string; note?: string; mode?: CallbackMode }) =>
    api.post<CallbackRow>(`/api/v1/conversations/${conversationId}/callback-offer`, input),
}
