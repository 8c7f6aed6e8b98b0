import { effectivePriority } from '../../core/src/routing/index.js'
import type { AgentChange } from './routing-driver.js'
import type { Scenario } from './routing-scenario.js'
import type { RoutingFixture } from './routing-setup.js'
import type { BusRecord } from './routing-watch.js'
import { settledChangeAt } from './settled-change.js'

/** A conversation of the scenario's queues as stored at the end. */
export interface ConversationRecord {
  id: string
  queueId: string
  status: string
  priority: number
  queuedAt: Date | null
  assignedAt: Date | null
  assigneeId: string | null
  lastAgentId: string | null
  resolvedAt: Date | null
}

/**
 * How long a write may take from the moment its time was taken to its commit: a conversation
 * queued this shortly before a routing pass, or resolved this shortly after it, may or may not
 * have been seen by it, and the checks give the router the benefit of the doubt.
 */
const SLACK_MS = 1000

const agentOf = (c: ConversationRecord) => c.assigneeId ?? c.lastAgentId

/** Every `conversation.assigned` event names a conversation at most once (none is re-queued in the scenario). */
export function assignedTwice(records: BusRecord[]): string[] {
  const seen = new Map<string, number>()
  for (const r of records.filter((r) => r.topic === 'conversation.assigned')) {
    const id = String(r.event.conversationId)
    seen.set(id, (seen.get(id) ?? 0) + 1)
  }
  return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} assigned ${n} times`)
}

/**
 * The stored assignee is the one the event announced, and every stored assignment was announced,
 * except one committed by an instance killed before it published (events are at most once): an
 * assignment within `unannouncedSince` … `unannouncedUntil` may lack its event.
 */
export function eventsDisagreeWithRows(
  records: BusRecord[],
  rows: ConversationRecord[],
  killed: { unannouncedSince: number; unannouncedUntil: number },
): string[] {
  const events = new Map(
    records.filter((r) => r.topic === 'conversation.assigned').map((r) => [String(r.event.conversationId), r.event]),
  )
  const problems: string[] = []
  for (const row of rows.filter((r) => r.assignedAt)) {
    const event = events.get(row.id)
    const at = row.assignedAt!.getTime()
    if (!event && (at < killed.unannouncedSince || at > killed.unannouncedUntil))
      problems.push(`${row.id} was assigned to ${agentOf(row)} at ${at} without a conversation.assigned event`)
    else if (event && event.assigneeId !== agentOf(row))
      problems.push(`${row.id}: the event says ${String(event.assigneeId)}, the row ${agentOf(row)}`)
  }
  return problems
}

/** Each assignment went to a member with the queue's skills, or to a standby agent after the overflow wait. */
export function ineligibleAssignments(
  scenario: Scenario,
  fixture: RoutingFixture,
  rows: ConversationRecord[],
): string[] {
  const problems: string[] = []
  for (const row of rows.filter((r) => r.assignedAt)) {
    const a = fixture.agents.findIndex((x) => x.id === agentOf(row))
    const q = fixture.queues.findIndex((x) => x.id === row.queueId)
    const plan = scenario.agents[a]
    const queue = fixture.queues[q]!
    if (!plan) {
      problems.push(`${row.id} went to ${agentOf(row)}, not an agent of the scenario`)
      continue
    }
    const skilled = queue.skills.every((s) => plan.skills[s.skill as 'returns' | 'vip'] >= s.minLevel)
    const waited = row.assignedAt!.getTime() - (row.queuedAt?.getTime() ?? 0)
    const membership = plan.membership[q]
    const allowed =
      membership === 'member' ||
      (membership === 'standby' &&
        queue.overflowAfterSeconds !== null &&
        waited >= queue.overflowAfterSeconds * 1000 - SLACK_MS)
    if (!skilled || !allowed)
      problems.push(
        `${row.id} (${queue.key}) went to agent ${a} (${membership ?? 'no member'}, skills ${JSON.stringify(plan.skills)})`,
      )
  }
  return problems
}

/**
 * Priority holds where it is comparable: when agent X was given conversation C at time t, no
 * conversation C2 that X could equally have taken (X a member of its queue with its skills, or
 * standby after its overflow wait) had a higher effective priority at t (or the same, queued
 * earlier), had been queued well before t, and was still waiting after t.
 */
export function priorityInversions(scenario: Scenario, fixture: RoutingFixture, rows: ConversationRecord[]): string[] {
  const queueOf = new Map(fixture.queues.map((q, i) => [q.id, { ...q, index: i }]))
  const routingQueue = (id: string) => {
    const q = queueOf.get(id)!
    return { id, priority: q.priority, requiredSkills: [], agingPerMinute: q.agingPerMinute }
  }
  const ranked = (c: ConversationRecord, t: number) =>
    effectivePriority(
      routingQueue(c.queueId),
      { id: c.id, queueId: c.queueId, media: 'chat', priority: c.priority, queuedAt: c.queuedAt!.getTime() },
      t,
    )
  const canTake = (agent: number, c: ConversationRecord, t: number) => {
    const q = queueOf.get(c.queueId)!
    const plan = scenario.agents[agent]!
    if (!q.skills.every((s) => plan.skills[s.skill as 'returns' | 'vip'] >= s.minLevel)) return false
    const membership = plan.membership[q.index]
    if (membership === 'member') return true
    return (
      membership === 'standby' &&
      q.overflowAfterSeconds !== null &&
      t - c.queuedAt!.getTime() >= q.overflowAfterSeconds * 1000 + SLACK_MS
    )
  }
  const problems: string[] = []
  for (const c of rows.filter((r) => r.assignedAt && r.queuedAt)) {
    const t = c.assignedAt!.getTime()
    const agent = fixture.agents.findIndex((a) => a.id === agentOf(c))
    if (agent < 0) continue
    for (const other of rows) {
      if (other === c || !other.queuedAt) continue
      const waitingSince = other.queuedAt.getTime()
      const stillWaiting = !other.assignedAt || other.assignedAt.getTime() > t + SLACK_MS
      if (waitingSince > t - SLACK_MS || !stillWaiting || !canTake(agent, other, t)) continue
      const mine = ranked(c, t)
      const theirs = ranked(other, t)
      // aging between the moment of the decision and the moment stored may differ by a trifle
      if (theirs > mine + 0.05 || (Math.abs(theirs - mine) <= 0.05 && waitingSince < c.queuedAt!.getTime() - SLACK_MS))
        problems.push(
          `${c.id} (priority ${mine.toFixed(2)}) went to agent ${agent} at ${t} while ${other.id} (${theirs.toFixed(2)}, queued ${waitingSince}) waited until ${other.assignedAt?.getTime() ?? 'the end'}`,
        )
    }
  }
  return problems
}

/**
 * The whole history against each agent's own changes: no assignment while the agent was known to
 * be other than available, and none that took them over the capacity known at that moment.
 */
export function breachesInHistory(changes: AgentChange[], rows: ConversationRecord[]): string[] {
  const problems: string[] = []
  for (const c of rows.filter((r) => r.assignedAt)) {
    const agentId = agentOf(c)!
    const t = c.assignedAt!.getTime()
    const presence = settledChangeAt(changes, agentId, 'presence', t)
    if (presence && presence.value !== 'available')
      problems.push(`${c.id} went to ${agentId} at ${t}, ${presence.value} since ${presence.doneAt}`)
    const capacity = settledChangeAt(changes, agentId, 'capacity', t)
    if (!capacity) continue
    const held = rows.filter(
      (r) =>
        agentOf(r) === agentId &&
        r.assignedAt &&
        r.assignedAt.getTime() <= t &&
        (!r.resolvedAt || r.resolvedAt.getTime() > t + SLACK_MS),
    ).length
    if (held > Number(capacity.value))
      problems.push(`${c.id} went to ${agentId} at ${t}: then holding ${held} chats, capacity ${capacity.value}`)
  }
  return problems
}
