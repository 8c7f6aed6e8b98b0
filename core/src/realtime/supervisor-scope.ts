import { LRUCache } from 'lru-cache'
import type { AuthUser } from '../auth/index.js'
import type { EventBus } from '../infra/index.js'
import type { Db } from '../storage/index.js'
import { readTeamScope, type TeamScope } from '../teams/index.js'

/** How long a scope or a queue's team is reused; a team or queue change on any instance clears them at once. */
const SCOPE_TTL_MS = 10_000

/**
 * What each supervisor oversees through their teams, and which team each queue belongs to, kept
 * for the socket filters (asked for every event and every socket). Dropped whenever a team or a
 * queue changes (`team.*`, `queue.*` on the bus), and after a few seconds anyway.
 */
export function createSupervisorScope(db: Db) {
  const scopes = new LRUCache<string, TeamScope, AuthUser>({
    max: 5_000,
    ttl: SCOPE_TTL_MS,
    fetchMethod: (_key, _stale, { context }) => readTeamScope(db, context),
  })
  const queueTeams = new LRUCache<string, { teamId: string | null }>({
    max: 20_000,
    ttl: SCOPE_TTL_MS,
    fetchMethod: async (queueId) => ({
      teamId: (await db.queue.findUnique({ where: { id: queueId }, select: { teamId: true } }))?.teamId ?? null,
    }),
  })
  const forget = () => {
    scopes.clear()
    queueTeams.clear()
  }
  return {
    async scopeOf(user: AuthUser): Promise<TeamScope> {
      return fresh(() => scopes.fetch(`${user.id}:${user.role}`, { context: user }))
    },
    /** The queue's team; null for a queue without one (or one that no longer exists). */
    async teamOfQueue(queueId: string): Promise<string | null> {
      return (await fresh(() => queueTeams.fetch(queueId))).teamId
    },
    /** Follows team and queue changes on the bus; returns how to stop. */
    async follow(bus: EventBus): Promise<() => Promise<void>> {
      const stops = await Promise.all([bus.subscribe('team.*', forget), bus.subscribe('queue.*', forget)])
      return async () => {
        for (const stop of stops) await stop()
      }
    },
  }
}
export type SupervisorScope = ReturnType<typeof createSupervisorScope>

/**
 * A read that a change cut short (clearing the cache aborts the reads in flight, so what they read
 * before the change is never kept) is read again, after the change.
 */
async function fresh<V>(load: () => Promise<V | undefined>): Promise<V> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await load())!
    } catch (error) {
      if (attempt >= 3) throw error
    }
  }
}
