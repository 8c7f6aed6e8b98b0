/**
 * The subscription paths of the realtime API, as nes route templates. A client subscribes to a
 * concrete path (`/queues/3f2a…`); the server publishes each event to every path it belongs to.
 */
export const realtimePaths = {
  /** the conversations assigned to the subscriber (and the change that takes one away) */
  mine: '/conversations/mine',
  /** one conversation's thread: its messages and every change */
  conversation: '/conversations/{id}',
  /** the conversations of one queue */
  queue: '/queues/{queueId}',
  /** agents' presence, capacity and load (supervisors) */
  agents: '/agents',
  /** waiting count and longest wait of every queue (supervisors) */
  queues: '/queues',
  /** changes of the tickets the subscriber may see (ticket-subscription.ts) */
  tickets: '/tickets',
} as const

export type RealtimePathTemplate = (typeof realtimePaths)[keyof typeof realtimePaths]

/** Where the WebSocket is opened (`ws://host/realtime`, `wss://…` behind TLS). */
export const SOCKET_PATH = '/realtime'

/** The nes endpoint that exchanges REST credentials for a socket ticket. */
export const TICKET_ENDPOINT = '/nes/auth'

export function conversationPath(conversationId: string): string {
  return `/conversations/${conversationId}`
}

export function queuePath(queueId: string): string {
  return `/queues/${queueId}`
}
