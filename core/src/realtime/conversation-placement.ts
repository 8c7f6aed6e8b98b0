import { LRUCache } from 'lru-cache'

/** Where a conversation is: its queue and its agent, as of a version. */
export interface Placement {
  version: number
  queueId: string | null
  assigneeId: string | null
}

/** Where a conversation was before an event moved it; null fields when it did not move. */
export interface PreviousPlacement {
  previousQueueId: string | null
  previousAssigneeId: string | null
}

/**
 * This instance's memory of where conversations are, so an event that takes a conversation away
 * from an agent or a queue also reaches that agent's `/conversations/mine` and that queue's path
 * (the event itself only names where the conversation is now). Every instance receives every bus
 * event, so each builds the same memory; what a socket subscribes to is loaded into it on subscribe,
 * so an instance that started late knows what its own sockets show.
 */
export function createPlacementMemory(max = 50_000) {
  const known = new LRUCache<string, Placement>({ max })
  return {
    /** Remembers a placement read from the database, unless a newer one is known. */
    seed(conversationId: string, placement: Placement): void {
      const current = known.get(conversationId)
      if (!current || current.version < placement.version) known.set(conversationId, placement)
    },

    /** Records an event's placement; says where the conversation was if this event moved it. */
    move(conversationId: string, placement: Placement): PreviousPlacement {
      const before = known.get(conversationId)
      // an event older than what is known moves nothing: its news is stale
      if (before && before.version > placement.version) return { previousQueueId: null, previousAssigneeId: null }
      known.set(conversationId, placement)
      return {
        previousQueueId: before && before.queueId !== placement.queueId ? before.queueId : null,
        previousAssigneeId: before && before.assigneeId !== placement.assigneeId ? before.assigneeId : null,
      }
    },
  }
}
export type PlacementMemory = ReturnType<typeof createPlacementMemory>
