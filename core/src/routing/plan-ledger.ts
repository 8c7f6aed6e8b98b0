import type { RosterEntry } from './agent-roster.js'
import type { AgentView } from './agent-view.js'
import type { MediaKind } from './routing-types.js'

/**
 * The loads and idle times of agents as a plan goes, over the roster's, which the plan leaves untouched: an agent
 * given a conversation has one more of its kind and counts as idle since `now`.
 */
export class PlanLedger implements AgentView {
  private readonly changed = new Map<RosterEntry, { load: Partial<Record<MediaKind, number>>; idleSince: number }>()

  hasFreeCapacity(entry: RosterEntry, media: MediaKind): boolean {
    const load = (this.changed.get(entry)?.load ?? entry.agent.load)[media] ?? 0
    return load < (entry.agent.capacity[media] ?? 0)
  }

  idleSince(entry: RosterEntry): number {
    return this.changed.get(entry)?.idleSince ?? entry.agent.idleSince
  }

  record(entry: RosterEntry, media: MediaKind, now: number): void {
    let state = this.changed.get(entry)
    if (!state) {
      state = { load: { ...entry.agent.load }, idleSince: entry.agent.idleSince }
      this.changed.set(entry, state)
    }
    state.load[media] = (state.load[media] ?? 0) + 1
    state.idleSince = Math.max(state.idleSince, now)
  }
}
