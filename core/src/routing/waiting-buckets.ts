import { unexpectedError, ErrorCode } from '../errors/index.js'
import { compareArrival } from './effective-priority.js'
import type { QueueLookup } from './queue-lookup.js'
import { requiredSkillsFor, requirementsKey } from './skill-match.js'
import type { MediaKind, QueuedConversation, RoutingQueue, SkillRequirement } from './routing-types.js'

/**
 * Waiting conversations that share a queue, a kind of work, the skills they need and their own priority. Within a
 * bucket the serving order never changes with time: effective priorities differ only by aging, at the same rate, so
 * the conversation queued first is always ahead (and the first to overflow). `conversations` is kept in that order.
 */
export interface WaitingBucket {
  readonly key: string
  readonly queue: RoutingQueue
  readonly media: MediaKind
  /** the queue's and the conversations' requirements merged */
  readonly requirements: readonly SkillRequirement[]
  /** queue, kind of work and requirements: buckets with the same class have the same eligible agents */
  readonly classKey: string
  /** oldest first (then by id) */
  readonly conversations: QueuedConversation[]
}

/** The waiting conversations, grouped into {@link WaitingBucket}s, by id and by queue. */
export class WaitingBuckets {
  private readonly buckets = new Map<string, WaitingBucket>()
  private readonly byQueue = new Map<string, Set<WaitingBucket>>()
  private readonly queueRequirements = new Map<RoutingQueue, { requirements: SkillRequirement[]; key: string }>()
  private readonly byConversation = new Map<string, { bucket: WaitingBucket; conversation: QueuedConversation }>()

  constructor(private readonly queueOf: QueueLookup) {}

  /** The bucket a waiting conversation is in. */
  bucketOf(conversationId: string): WaitingBucket | undefined {
    return this.byConversation.get(conversationId)?.bucket
  }

  /** A waiting conversation by id. */
  get(conversationId: string): QueuedConversation | undefined {
    return this.byConversation.get(conversationId)?.conversation
  }

  /** Ids of the waiting conversations, in the order they were added. */
  ids(): IterableIterator<string> {
    return this.byConversation.keys()
  }

  /** Every non-empty bucket. */
  all(): IterableIterator<WaitingBucket> {
    return this.buckets.values()
  }

  /** The non-empty buckets of one queue. */
  ofQueue(queueId: string): ReadonlySet<WaitingBucket> {
    return this.byQueue.get(queueId) ?? noBuckets
  }

  /** Adds copies of many conversations at once (sorting each bucket once); none may be waiting already. */
  addAll(conversations: readonly QueuedConversation[]): void {
    const touched = new Set<WaitingBucket>()
    for (const given of conversations) {
      const conversation = { ...given }
      const bucket = this.place(conversation)
      bucket.conversations.push(conversation)
      touched.add(bucket)
    }
    for (const bucket of touched) bucket.conversations.sort(compareArrival)
  }

  /** Adds a copy of one conversation, which must not be waiting already. */
  add(given: QueuedConversation): void {
    const conversation = { ...given }
    const list = this.place(conversation).conversations
    list.splice(insertionPoint(list, conversation), 0, conversation)
  }

  /** Takes a conversation out; returns it, or undefined when it was not waiting. */
  remove(conversationId: string): QueuedConversation | undefined {
    const found = this.byConversation.get(conversationId)
    if (!found) return undefined
    this.byConversation.delete(conversationId)
    const { bucket, conversation } = found
    const list = bucket.conversations
    // arrival order is total (ties broken by id), so the insertion point is where the conversation is
    list.splice(insertionPoint(list, conversation), 1)
    if (list.length === 0) this.drop(bucket)
    return conversation
  }

  private place(conversation: QueuedConversation): WaitingBucket {
    if (this.byConversation.has(conversation.id))
      throw unexpectedError(ErrorCode.INTERNAL, `conversation ${conversation.id} is already waiting`)
    const queue = this.queueOf(conversation.queueId)
    const { requirements, key: skillsKey } = this.requirementsOf(queue, conversation)
    const classKey = `${queue.id}\u0000${conversation.media}\u0000${skillsKey}`
    const key = `${classKey}\u0000${conversation.priority}`
    let bucket = this.buckets.get(key)
    if (!bucket) {
      bucket = { key, queue, media: conversation.media, requirements, classKey, conversations: [] }
      this.buckets.set(key, bucket)
      let ofQueue = this.byQueue.get(queue.id)
      if (!ofQueue) this.byQueue.set(queue.id, (ofQueue = new Set()))
      ofQueue.add(bucket)
    }
    this.byConversation.set(conversation.id, { bucket, conversation })
    return bucket
  }

  // most conversations need only their queue's skills: those share one merged list per queue
  private requirementsOf(queue: RoutingQueue, conversation: QueuedConversation) {
    if (conversation.requiredSkills?.length) {
      const requirements = requiredSkillsFor(queue, conversation)
      return { requirements, key: requirementsKey(requirements) }
    }
    let shared = this.queueRequirements.get(queue)
    if (!shared) {
      const requirements = requiredSkillsFor(queue, conversation)
      shared = { requirements, key: requirementsKey(requirements) }
      this.queueRequirements.set(queue, shared)
    }
    return shared
  }

  private drop(bucket: WaitingBucket): void {
    this.buckets.delete(bucket.key)
    const ofQueue = this.byQueue.get(bucket.queue.id)
    ofQueue?.delete(bucket)
    if (ofQueue?.size === 0) this.byQueue.delete(bucket.queue.id)
  }
}

const noBuckets: ReadonlySet<WaitingBucket> = new Set()

// the index of the first conversation that does not come before `conversation` in arrival order
function insertionPoint(list: readonly QueuedConversation[], conversation: QueuedConversation): number {
  const last = list[list.length - 1]
  if (last === undefined || compareArrival(last, conversation) < 0) return list.length
  let low = 0
  let high = list.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (compareArrival(list[mid]!, conversation) < 0) low = mid + 1
    else high = mid
  }
  return low
}
