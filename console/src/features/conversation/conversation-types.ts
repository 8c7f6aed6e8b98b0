/** The conversation shapes the inbox and the workspace read (GET /api/v1/conversations…). */
export type ConversationStatus = 'bot' | 'queued' | 'assigned' | 'resolved'

export interface Conversation {
  id: string
  contactId: string
  channel: string
  channelPlugin: string | null
  status: ConversationStatus
  priority: number
  intent: string | null
  /** negative | neutral | positive: read from the customer's words, or set by a flow or plugin */
  sentiment?: string | null
  queueId: string | null
  assigneeId: string | null
  tags: string[]
  attributes: Record<string, unknown>
  version: number
  messageSeq: number
  lastMessageAt: string | null
  createdAt: string
  updatedAt: string
  resolvedAt: string | null
}

/** An inbox row: the conversation and what the list shows beside it. */
export interface InboxRow extends Conversation {
  contact: { name: string | null; address: string | null; tags: string[] }
  lastMessage: { body: string; direction: string; kind: string; by: string | null; createdAt: string } | null
  unread: number
  waitingSince: string | null
  cursor: string
}

export interface MessageMedia {
  url: string
  mimeType?: string
  name?: string
  size?: number
}

export interface Message {
  id: string
  conversationId: string
  seq: number
  channel: string
  direction: 'inbound' | 'outbound' | 'internal'
  kind: 'text' | 'media' | 'system' | 'note'
  body: string
  payload: {
    by?: string
    media?: MessageMedia | null
    mentions?: Array<{ id: string; name: string }>
    error?: string
    quickReplies?: string[]
  } | null
  status: 'received' | 'pending' | 'sent' | 'failed' | 'delivered'
  authorUserId: string | null
  createdAt: string
}

export interface QueueRef {
  id: string
  name: string
  member: boolean
}

export interface ViewCount {
  open: number
  unread: number
}

export interface InboxSummary {
  views: { mine: ViewCount; queues: ViewCount; all: ViewCount | null }
  queues: QueueRef[]
}

export interface DirectoryUser {
  id: string
  name: string
}

/** The priority steps the console offers (the API takes 0–100). */
export const PRIORITIES = [
  { value: 0, key: 'normal' },
  { value: 10, key: 'high' },
  { value: 20, key: 'urgent' },
] as const

export function priorityKey(priority: number): 'normal' | 'high' | 'urgent' {
  return priority >= 20 ? 'urgent' : priority >= 10 ? 'high' : 'normal'
}

export function isVip(tags: string[]): boolean {
  return tags.some((t) => t.toLowerCase() === 'vip')
}

/** The channel words in common.ts, by the conversation's channel name. */
export function channelIcon(channel: string): string {
  if (channel === 'voice' || channel === 'phone') return 'phone'
  if (channel === 'webchat') return 'globe'
  if (channel === 'email') return 'note'
  return 'chat'
}
