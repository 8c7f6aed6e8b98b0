import { compareCandidates, type Candidate } from './agent-preference.js'
import type { AgentRoster, RosterEntry } from './agent-roster.js'
import { stickyAgentFor } from './agent-view.js'
import { BinaryHeap } from './binary-heap.js'
import { compareRanked, effectivePriority, type RankedConversation } from './effective-priority.js'
import { hasOverflowed } from './eligibility.js'
import { PlanLedger } from './plan-ledger.js'
import type { Assignment, QueuedConversation, RoutingPlan } from './routing-types.js'
import { meetsRequirements, skillScore } from './skill-match.js'
import type { WaitingBucket, WaitingBuckets } from './waiting-buckets.js'

interface Cursor extends RankedConversation {
  bucket: WaitingBucket
  index: number
}

interface HeldCandidate extends Candidate {
  entry: RosterEntry
}

/**
 * The greedy plan over the roster and the waiting conversations at `now`, leaving both untouched.
 *
 * Conversations are taken in serving order (effective priority, then arrival), by merging the buckets, each already
 * in that order. Each goes to the customer's previous agent when sticky routing applies, else to the best eligible
 * agent, found in a heap per class of bucket (queue, kind, skills, overflowed or not) that is built on first use and
 * drops agents as they fill up. When a conversation finds nobody, no later conversation of its bucket can (the same
 * or fewer eligible agents, loads only grow), so the whole bucket is passed over. The cost is about
 * O(buckets + assignments × log) plus, once per class used, the ready agents of its queue.
 */
export function runPlan(roster: AgentRoster, buckets: WaitingBuckets, now: number): RoutingPlan {
  const ledger = new PlanLedger()
  const classes = new Map<string, BinaryHeap<HeldCandidate>>()
  const cursors = new BinaryHeap<Cursor>(compareRanked)
  const cursorAt = (bucket: WaitingBucket, index: number): Cursor => {
    const conversation = bucket.conversations[index]!
    return { bucket, index, conversation, effectivePriority: effectivePriority(bucket.queue, conversation, now) }
  }
  for (const bucket of buckets.all()) cursors.push(cursorAt(bucket, 0))

  const assignments: Assignment[] = []
  const assigned = new Set<string>()
  for (let cursor = cursors.pop(); cursor; cursor = cursors.pop()) {
    const { bucket, conversation } = cursor
    const assignment = decide(conversation, bucket)
    if (!assignment) continue
    assignments.push(assignment.decision)
    assigned.add(conversation.id)
    ledger.record(assignment.entry, bucket.media, now)
    if (cursor.index + 1 < bucket.conversations.length) cursors.push(cursorAt(bucket, cursor.index + 1))
  }

  const waiting: string[] = []
  for (const id of buckets.ids()) if (!assigned.has(id)) waiting.push(id)
  return { assignments, waiting }

  function decide(conversation: QueuedConversation, bucket: WaitingBucket) {
    const sticky = stickyAgentFor(conversation, bucket, roster, ledger, now)
    if (sticky) return { entry: sticky, decision: decision(conversation, sticky, 'sticky') }
    const overflowed = hasOverflowed(bucket.queue, conversation, now)
    const best = bestOf(candidatesFor(bucket, overflowed), bucket)
    if (!best) return undefined
    return { entry: best.entry, decision: decision(conversation, best.entry, best.standby ? 'overflow' : 'skill') }
  }

  // the top of the class's heap once agents who filled up are dropped and idle times brought up to date
  function bestOf(heap: BinaryHeap<HeldCandidate>, bucket: WaitingBucket): HeldCandidate | undefined {
    for (let top = heap.peek(); top; top = heap.peek()) {
      if (!ledger.hasFreeCapacity(top.entry, bucket.media)) {
        heap.pop()
        continue
      }
      const idleSince = ledger.idleSince(top.entry)
      if (idleSince === top.idleSince) return top
      heap.pop()
      top.idleSince = idleSince // each class has its own entries, so this one can be reused
      heap.push(top)
    }
    return undefined
  }

  function candidatesFor(bucket: WaitingBucket, overflowed: boolean): BinaryHeap<HeldCandidate> {
    const key = overflowed ? `${bucket.classKey}\u0000overflowed` : bucket.classKey
    let heap = classes.get(key)
    if (heap) return heap
    heap = new BinaryHeap<HeldCandidate>(compareCandidates)
    const add = (entry: RosterEntry, standby: boolean) => {
      if (!ledger.hasFreeCapacity(entry, bucket.media)) return
      if (!meetsRequirements(entry.agent, bucket.requirements)) return
      const score = skillScore(entry.agent, bucket.requirements)
      heap!.push({ entry, agentId: entry.agent.id, standby, score, idleSince: ledger.idleSince(entry) })
    }
    for (const entry of roster.readyMembersOf(bucket.queue.id, bucket.media)) add(entry, false)
    if (overflowed) for (const entry of roster.readyStandbyOf(bucket.queue.id, bucket.media)) add(entry, true)
    classes.set(key, heap)
    return heap
  }
}

function decision(conversation: QueuedConversation, entry: RosterEntry, reason: Assignment['reason']): Assignment {
  return { conversationId: conversation.id, agentId: entry.agent.id, reason }
}
