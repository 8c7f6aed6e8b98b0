import { api } from '../api/http'

/** The voice resources of the REST API the softphone uses (core/src/voice/calls/call-routes.ts). */

/** GET /api/v1/voice/softphone: where and how this agent's softphone registers. */
export type SoftphoneConfig =
  | { enabled: false }
  | {
      enabled: true
      /** ws:// (development) or wss:// (production) address of the SIP edge */
      webSocketUrl: string
      domain: string
      /** the SIP user, `agent-<id>` */
      user: string
      uri: string
      /** digest username and password, valid until expiresAt */
      username: string
      password: string
      expiresAt: string
      /** how long after-call work lasts after a call (voice.afterCallWorkSeconds), when the core says */
      afterCallWorkSeconds?: number
    }

/** GET /api/v1/voice/calls/{conversationId}: what the core knows of a call. */
export interface CallState {
  conversationId: string
  phase?: string
  held?: boolean
  /** an attended transfer in progress: the colleague being consulted */
  consult?: { agentId: string; state?: string } | null
  agentId?: string | null
  [key: string]: unknown
}

export interface TransferTarget {
  agentId?: string
  queueId?: string
}

export interface OutboundCall {
  conversationId?: string
  callbackId?: string
  number?: string
}

export interface AgentRow {
  userId: string
  name: string
  presence: string
}

export interface QueueRow {
  id: string
  name: string
}

const calls = '/api/v1/voice/calls'
const enc = encodeURIComponent

export const softphoneApi = {
  config: () => api.get<SoftphoneConfig>('/api/v1/voice/softphone'),
  call: (conversationId: string) => api.get<CallState>(`${calls}/${enc(conversationId)}`),
  hold: (conversationId: string, hold: boolean) => api.post<unknown>(`${calls}/${enc(conversationId)}/hold`, { hold }),
  dtmf: (conversationId: string, digits: string) =>
    api.post<unknown>(`${calls}/${enc(conversationId)}/dtmf`, { digits }),
  hangup: (conversationId: string) => api.post<unknown>(`${calls}/${enc(conversationId)}/hangup`),
  consult: (conversationId: string, agentId: string) =>
    api.post<unknown>(`${calls}/${enc(conversationId)}/consult`, { agentId }),
  completeConsult: (conversationId: string) => api.post<unknown>(`${calls}/${enc(conversationId)}/consult/complete`),
  cancelConsult: (conversationId: string) => api.post<unknown>(`${calls}/${enc(conversationId)}/consult/cancel`),
  /** blind transfer: the conversation (and with it the call) to a colleague or a queue */
  transfer: (conversationId: string, to: TransferTarget) =>
    api.post<unknown>(`/api/v1/conversations/${enc(conversationId)}/transfer`, to),
  /** Switchboard rings this softphone first, then dials the customer */
  dial: (call: OutboundCall) => api.post<{ conversationId?: string } & Record<string, unknown>>(calls, call),
  /**
   * Colleagues to transfer to: with their presence for supervisors (GET /api/v1/agents); agents
   * may only read the directory, which has no presence.
   */
  agents: async (withPresence: boolean): Promise<AgentRow[]> => {
    if (withPresence) return api.get<AgentRow[]>('/api/v1/agents')
    const users = await api.get<Array<{ id: string; name: string }>>('/api/v1/users/directory')
    return users.map((u) => ({ userId: u.id, name: u.name, presence: '' }))
  },
  queues: () => api.get<QueueRow[]>('/api/v1/queues'),
}
