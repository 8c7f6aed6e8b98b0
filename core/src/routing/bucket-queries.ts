import { compareRanked, effectivePriority } from './effective-priority.js'
import { hasOverflowed } from './eligibility.js'
import type { QueuedConversation, RoutingQueue } from './routing-types.js'
import type { WaitingBucket } from './waiting-buckets.js'

/**
 * How many conversations of the bucket are served before `conversation` (of `queue`) at `now`. The bucket is in
 * serving order, so they are a prefix of it, found by binary search.
 */
export function positionIn(
  bucket: WaitingBucket,
  conversation: QueuedConversation,
  queue: RoutingQueue,
  now: number,
): number {
  const target = { conversation, effectivePriority: effectivePriority(queue, conversation, now) }
  const list = bucket.conversations
  let low = 0
  let high = list.length
  while (low < high) {
    const mid = (low + high) >> 1
    const other = list[mid]!
    const ranked = { conversation: other, effectivePriority: effectivePriority(bucket.queue, other, now) }
    if (compareRanked(ranked, target) < 0) low = mid + 1
    else high = mid
  }
  return low
}

/**
 * When the bucket's first conversation that has not overflowed yet will overflow, or undefined when the queue has
 * no overflow or all of them have. Overflowed conversations are a prefix of the bucket (the oldest).
 */
export function overflowTimeIn(bucket: WaitingBucket, now: number): number | undefined {
  const after = bucket.queue.overflowAfterMs
  if (after === undefined) return undefined
  const list = bucket.conversations
  let low = 0
  let high = list.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (hasOverflowed(bucket.queue, list[mid]!, now)) low = mid + 1
    else high = mid
  }
  const first = list[low]
  return first && first.queuedAt + after
}
