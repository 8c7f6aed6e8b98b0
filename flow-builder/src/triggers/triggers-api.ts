import { api } from '../api/http'

/** What starts a flow, through the core's REST API (core/src/flows/flows-routes.ts, triggers/channels-routes.ts). */
export type TriggerRow =
  | {
      id: string
      flowId: string
      kind: 'channel-entry'
      config: { channel: string }
      enabled: boolean
      createdAt: string
    }
  | {
      id: string
      flowId: string
      kind: 'event'
      config: { topic: string; delay: string | number }
      enabled: boolean
      createdAt: string
    }
  | {
      id: string
      flowId: string
      kind: 'schedule'
      config: { cron: string; timezone: string }
      enabled: boolean
      createdAt: string
    }

export type TriggerInput =
  | { kind: 'channel-entry'; config: { channel: string } }
  | { kind: 'event'; config: { topic: string; delay: string | number } }
  | { kind: 'schedule'; config: { cron: string; timezone: string } }

export interface ChannelInfo {
  name: string
  title: { en: string; 'zh-CN': string }
  /** core, or the channel plugin that declares it */
  source: string
  enabled: boolean
  entryFlow: { flowId: string; flowName: string; triggerId: string } | null
}

const base = (flowId: string) => `/api/v1/flows/${encodeURIComponent(flowId)}/triggers`

export const triggersApi = {
  list: (flowId: string) => api.get<TriggerRow[]>(base(flowId)),
  create: (flowId: string, input: TriggerInput) => api.post<TriggerRow>(base(flowId), input),
  remove: (flowId: string, triggerId: string) => api.delete(`${base(flowId)}/${encodeURIComponent(triggerId)}`),
  channels: () => api.get<ChannelInfo[]>('/api/v1/channels'),
  /** the public event types (admin only: the same list webhooks subscribe to) */
  eventTypes: () => api.get<Array<{ type: string; description: string }>>('/api/v1/webhooks/event-types'),
  schedulePreview: (cron: string, timezone: string) =>
    api.get<{ next: string[] }>(
      `/api/v1/flow-triggers/schedule-preview?cron=${encodeURIComponent(cron)}&timezone=${encodeURIComponent(timezone)}`,
    ),
  me: () => api.get<{ role: 'admin' | 'supervisor' | 'agent' }>('/api/v1/auth/me'),
}

/** Topics offered when the event-type list cannot be read; any other topic can still be typed. */
export const COMMON_TOPICS = [
  'conversation.created',
  'conversation.resolved',
  'conversation.reopened',
  'ticket.created',
  'ticket.updated',
  'ticket.escalated',
  'sla.warning',
  'sla.breached',
  'callback.completed',
  'survey.answered',
]

/** 72h → { amount: 72, unit: 'h' }; a number is milliseconds. */
export function splitDelay(delay: string | number): { amount: number; unit: 'ms' | 's' | 'm' | 'h' | 'd' } {
  if (typeof delay === 'number') return { amount: delay, unit: 'ms' }
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(delay.trim())
  return m ? { amount: Number(m[1]), unit: m[2] as 'ms' } : { amount: 0, unit: 'ms' }
}
