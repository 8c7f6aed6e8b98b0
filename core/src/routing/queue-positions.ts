import { compareRanked, effectivePriority, type RankedConversation } from './effective-priority.js'
import { queueLookup } from './queue-lookup.js'
import type { MediaKind, RoutingInput } from './routing-types.js'

/** Where a waiting conversation stands in its queue. */
export interface QueuePosition {
  conversationId: string
  queueId: string
  media: MediaKind
  /** 1 = next to be served among the queue's waiting conversations of the same kind */
  position: number
  /** its effective priority at `now` */
  effectivePriority: number
}

/**
 * The position of every waiting conversation in its queue, in input order. Conversations are ranked as they are
 * served — effective priority, then arrival — among those of the same queue and the same kind of work (a chat never
 * waits behind a call: capacity is counted per kind). Within a queue the ranking does not change as time passes (all
 * its conversations age at the same rate), only when conversations arrive or leave. It ignores who is eligible: a
 * conversation that needs a rare skill may be passed by others behind it.
 */
export function queuePositions({ queues, queued, now }: Omit<RoutingInput, 'agents'>): QueuePosition[] {
  const queueOf = queueLookup(queues)
  const lines = new Map<string, RankedConversation[]>()
  for (const conversation of queued) {
    const key = `${conversation.media}\u0000${conversation.queueId}`
    const ranked = {
      conversation,
      effectivePriority: effectivePriority(queueOf(conversation.queueId), conversation, now),
    }
    const line = lines.get(key)
    if (line) line.push(ranked)
    else lines.set(key, [ranked])
  }
  const positions = new Map<string, QueuePosition>()
  for (const line of lines.values()) {
    line.sort(compareRanked)
    line.forEach(({ conversation, effectivePriority }, i) =>
      positions.set(conversation.id, {
        conversationId: conversation.id,
        queueId: conversation.queueId,
        media: conversation.media,
        position: i + 1,
        effectivePriority,
      }),
    )
  }
  return queued.map((c) => positions.get(c.id)!)
}
