import { unexpectedError, ErrorCode } from '../errors/index.js'
import { hasFreeCapacity } from './eligibility.js'
import { mediaKinds } from './media-kinds.js'
import type { MediaKind, RoutingAgent } from './routing-types.js'

/** An agent held by the roster: its own copy of the agent, and its queues as sets. */
export interface RosterEntry {
  readonly agent: RoutingAgent
  readonly memberOf: ReadonlySet<string>
  /** standby queues the agent is not also a member of */
  readonly standbyFor: ReadonlySet<string>
}

/**
 * The agents by id and by queue, with, per queue and kind of work, the members and standby agents who could take one
 * more conversation of that kind right now (available, load below capacity): the agents a new conversation can go to.
 */
export class AgentRoster {
  private readonly entries = new Map<string, RosterEntry>()
  private readonly readyMembers = new Map<string, ReadyByMedia>()
  private readonly readyStandby = new Map<string, ReadyByMedia>()

  /** The agent with this id, if held. */
  get(agentId: string): RosterEntry | undefined {
    return this.entries.get(agentId)
  }

  /** Every agent held, in the order they were added. */
  all(): IterableIterator<RosterEntry> {
    return this.entries.values()
  }

  /** Adds the agent, or replaces the one with the same id. The roster keeps a copy. */
  upsert(agent: RoutingAgent): void {
    this.remove(agent.id)
    const copy: RoutingAgent = {
      ...agent,
      skills: { ...agent.skills },
      queueIds: [...agent.queueIds],
      standbyQueueIds: [...(agent.standbyQueueIds ?? [])],
      capacity: { ...agent.capacity },
      load: { ...agent.load },
    }
    const memberOf = new Set(copy.queueIds)
    const standbyFor = new Set((copy.standbyQueueIds ?? []).filter((id) => !memberOf.has(id)))
    const entry: RosterEntry = { agent: copy, memberOf, standbyFor }
    this.entries.set(agent.id, entry)
    for (const media of mediaKinds) this.setReady(entry, media, true)
  }

  /** Adds agents that must not already be in the roster. */
  addAll(agents: readonly RoutingAgent[]): void {
    for (const agent of agents) {
      if (this.entries.has(agent.id))
        throw unexpectedError(ErrorCode.INTERNAL, `routing input lists agent ${agent.id} twice`)
      this.upsert(agent)
    }
  }

  /** Takes the agent out; false when it was not held. */
  remove(agentId: string): boolean {
    const entry = this.entries.get(agentId)
    if (!entry) return false
    for (const media of mediaKinds) this.setReady(entry, media, false)
    this.entries.delete(agentId)
    return true
  }

  /** The agent was given a conversation of this kind at `now`: one more in their load, idle since `now`. */
  recordWork(entry: RosterEntry, media: MediaKind, now: number): void {
    this.setReady(entry, media, false)
    const agent = entry.agent
    agent.load[media] = (agent.load[media] ?? 0) + 1
    agent.idleSince = Math.max(agent.idleSince, now)
    this.setReady(entry, media, true)
  }

  /** Members of the queue who could take one more conversation of this kind now. */
  readyMembersOf(queueId: string, media: MediaKind): ReadonlySet<RosterEntry> {
    return this.readyMembers.get(queueId)?.[media] ?? noEntries
  }

  /** Standby agents (not members) of the queue who could take one more conversation of this kind now. */
  readyStandbyOf(queueId: string, media: MediaKind): ReadonlySet<RosterEntry> {
    return this.readyStandby.get(queueId)?.[media] ?? noEntries
  }

  // adds the entry to (or takes it out of) the ready sets of its queues for one kind of work
  private setReady(entry: RosterEntry, media: MediaKind, add: boolean): void {
    const ready = add && entry.agent.presence === 'available' && hasFreeCapacity(entry.agent, media)
    if (add && !ready) return
    for (const queueId of entry.memberOf) toggle(this.readyMembers, queueId, media, entry, add)
    for (const queueId of entry.standbyFor) toggle(this.readyStandby, queueId, media, entry, add)
  }
}

type ReadyByMedia = Partial<Record<MediaKind, Set<RosterEntry>>>

const noEntries: ReadonlySet<RosterEntry> = new Set()

function toggle(
  byQueue: Map<string, ReadyByMedia>,
  queueId: string,
  media: MediaKind,
  entry: RosterEntry,
  add: boolean,
): void {
  let byMedia = byQueue.get(queueId)
  if (add) {
    if (!byMedia) byQueue.set(queueId, (byMedia = {}))
    ;(byMedia[media] ??= new Set()).add(entry)
  } else byMedia?.[media]?.delete(entry)
}
