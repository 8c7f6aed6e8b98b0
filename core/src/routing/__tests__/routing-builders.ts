// Small builders for example-based routing tests: sensible defaults, override what the example is about.
import type { QueuedConversation, RoutingAgent, RoutingQueue } from '../routing-types.js'

export const now = 1_800_000_000_000
export const minutes = (n: number) => n * 60_000

export function agent(id: string, overrides: Partial<RoutingAgent> = {}): RoutingAgent {
  return {
    id,
    presence: 'available',
    skills: {},
    queueIds: ['sales'],
    capacity: { chat: 1, voice: 1, email: 1 },
    load: {},
    idleSince: now - minutes(1),
    ...overrides,
  }
}

export function queue(id: string, overrides: Partial<RoutingQueue> = {}): RoutingQueue {
  return { id, priority: 0, requiredSkills: [], agingPerMinute: 0, ...overrides }
}

export function conversation(id: string, overrides: Partial<QueuedConversation> = {}): QueuedConversation {
  return { id, queueId: 'sales', media: 'chat', priority: 0, queuedAt: now - minutes(1), ...overrides }
}
