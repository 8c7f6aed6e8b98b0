/** The subscription paths of the realtime API (core/src/realtime/realtime-paths.ts). */
export const paths = {
  mine: '/conversations/mine',
  conversation: (id: string) => `/conversations/${id}`,
  queue: (id: string) => `/queues/${id}`,
  agents: '/agents',
  queues: '/queues',
} as const
