import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import { keepLockAlive, type Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import { agentInScope, readTeamScope } from '../teams/index.js'
import { logPresenceChange } from '../workforce/presence-log.js'
import { createAgentSkills } from './agent-skills.js'
import { commitAssignment } from './commit-assignment.js'
import { estimateWait } from './estimate-wait.js'
import { queueVisibility, type Viewer } from './queue-visibility.js'
import { planAssignments } from './plan-assignments.js'
import { mediaOf, readRoutingSnapshot } from './routing-snapshot.js'
import type { MediaKind, Presence } from './routing-types.js'

/** The events after which someone may be assigned: work arrives or ends, agents or queues change. */
const TRIGGERS = [
  'conversation.queued',
  'conversation.resolved',
  'conversation.reopened',
  'agent.presence',
  'agent.capacity',
  'agent.skills',
  'queue.updated',
  'queue.members',
]
/** Aging and overflow change who is next as time passes: look again this often even without events. */
const TICK_MS = 5_000
/** The pass lock's lifetime, renewed while a pass runs: an instance that dies holding it stalls routing this long at most. */
const LOCK_TTL_MS = 5_000

/**
 * The ACD around the pure routing decisions: reads a snapshot, plans, and commits each assignment
 * only if it still holds (the conversation still queued and unassigned, the agent still available
 * with room: commitAssignment), all under one cluster-wide lock, so with several instances on one
 * Redis no conversation is assigned twice, no agent overfilled, and none is skipped. Runs on queue, resolve, reopen, presence, capacity, skill and queue-settings
 * events, and every few seconds.
 */
export function createRoutingService(deps: { db: Db; infra: Infra; audit: AuditLog; logger: Logger }) {
  const { db, infra, audit, logger } = deps
  let pending: Promise<number> | null = null
  let again = false
  let timer: NodeJS.Timeout | null = null
  /** the 250 ms retry after a pass that lost a race on a commit */
  let retry: NodeJS.Timeout | null = null
  /** set by stop(): no pass starts after it */
  let stopped = false
  const unsubscribers: Array<() => Promise<void>> = []

  async function assignOnce(): Promise<number> {
    const lock = await infra.locks.acquire('routing.assign', { ttlMs: LOCK_TTL_MS, waitMs: 0 })
    // another instance is deciding right now; look again shortly, in case what woke us came after its snapshot
    if (!lock) return -1
    const stopKeepingLock = keepLockAlive(lock, LOCK_TTL_MS)
    try {
      const snapshot = await readRoutingSnapshot(db, new Date())
      if (snapshot.queued.length === 0) return 0
      const plan = planAssignments(snapshot)
      let made = 0
      for (const assignment of plan.assignments) {
        const committed = await commitAssignment(db, assignment)
        if ('refused' in committed) {
          if (committed.refused === 'conversation-taken') continue
          // an agent went away or filled up since the snapshot: the rest of the plan may be wrong
          again = true
          break
        }
        made++
        const row = committed.conversation
        await infra.bus.publish('conversation.assigned', {
          conversationId: row.id,
          version: row.version,
          status: row.status,
          queueId: row.queueId,
          assigneeId: row.assigneeId,
          reason: assignment.reason,
        })
      }
      return made
    } finally {
      stopKeepingLock()
      await lock.release()
    }
  }

  /** Runs an assignment pass soon; calls meanwhile fold into one more pass. */
  function kick(): Promise<number> {
    if (stopped) return Promise.resolve(0)
    if (pending) {
      again = true
      return pending
    }
    pending = assignOnce()
      .catch((error: unknown) => {
        logger.error({ err: error }, 'routing pass failed')
        return 0
      })
      .then((made) => {
        if (made === -1 && !stopped) {
          if (retry) clearTimeout(retry)
          retry = setTimeout(() => void kick(), 250)
          retry.unref()
        }
        return Math.max(made, 0)
      })
      .finally(() => {
        pending = null
        if (again && !stopped) {
          again = false
          void kick()
        }
      })
    return pending
  }

  async function agentState(userId: string) {
    const user = await db.user.findUnique({ where: { id: userId } })
    if (!user) throw userError(ErrorCode.NOT_FOUND, `No user ${userId}`, { status: 404 })
    return db.agentState.upsert({ where: { userId }, create: { userId }, update: {} })
  }

  return {
    /** Follows the events that free or need an agent, and ticks for aging and overflow. */
    async start() {
      stopped = false
      for (const topic of TRIGGERS) unsubscribers.push(await infra.bus.subscribe(topic, () => void kick()))
      timer = setInterval(() => void kick(), TICK_MS)
      timer.unref()
      await kick()
    },
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      if (retry) clearTimeout(retry)
      for (const u of unsubscribers.splice(0)) await u()
      while (pending) await pending
    },
    /** One assignment pass now; how many conversations it assigned. */
    assign: () => kick(),

    async setPresence(actor: Actor, userId: string, input: { presence: Presence; reason?: string | null }) {
      const before = await agentState(userId)
      const now = new Date()
      const state = await db.agentState.update({
        where: { userId },
        data: {
          presence: input.presence,
          reason: input.reason ?? null,
          since: before.presence === input.presence ? before.since : now,
          ...(input.presence === 'available' && before.presence !== 'available' ? { idleSince: now } : {}),
        },
      })
      // presence log (workforce)
      if (before.presence !== state.presence)
        await logPresenceChange(db, { userId, presence: state.presence, at: infra.clock.now() })
      await audit.record(actor, {
        action: 'agent.presence',
        targetType: 'user',
        targetId: userId,
        details: { presence: input.presence, reason: input.reason ?? null },
      })
      await infra.bus.publish('agent.presence', {
        userId,
        presence: state.presence,
        reason: state.reason,
        since: state.since,
      })
      return state
    },

    async setCapacity(actor: Actor, userId: string, capacity: Partial<Record<MediaKind, number>>) {
      await agentState(userId)
      const state = await db.agentState.update({ where: { userId }, data: { capacity } })
      await audit.record(actor, { action: 'agent.capacity', targetType: 'user', targetId: userId, details: capacity })
      await infra.bus.publish('agent.capacity', { userId, capacity })
      return state
    },

    /** One agent's own routing state (the console's presence control): presence, capacity, load. */
    async agent(userId: string) {
      const state = await agentState(userId)
      const assigned = await db.conversation.groupBy({
        by: ['channel'],
        where: { assigneeId: userId, status: 'assigned' },
        _count: { _all: true },
      })
      const load: Record<string, number> = {}
      for (const row of assigned) load[mediaOf(row.channel)] = (load[mediaOf(row.channel)] ?? 0) + row._count._all
      return {
        presence: state.presence,
        reason: state.reason,
        since: state.since,
        capacity: state.capacity as Record<string, number>,
        load,
        idleSince: state.idleSince,
      }
    },

    /** Agents' skills and levels. */
    skills: createAgentSkills({ db, bus: infra.bus, audit }),

    /** Agents with their presence, capacity and current load: for a supervisor with teams, their teams' agents; all without a viewer. */
    async agents(viewer?: Viewer) {
      const scope = viewer ? await readTeamScope(db, viewer) : ({ kind: 'all' } as const)
      const snapshot = await readRoutingSnapshot(db, new Date())
      const states = await db.agentState.findMany({ include: { user: { select: { name: true, email: true } } } })
      return states
        .filter((s) => agentInScope(scope, s.userId))
        .map((s) => {
          const agent = snapshot.agents.find((a) => a.id === s.userId)
          return {
            userId: s.userId,
            name: s.user.name,
            email: s.user.email,
            presence: s.presence,
            reason: s.reason,
            since: s.since,
            capacity: s.capacity as Record<string, number>,
            load: agent?.load ?? {},
            idleSince: s.idleSince,
          }
        })
    },

    /** The waiting conversations of the queues the viewer sees (all without a viewer): position and estimated wait. */
    async waiting(viewer?: Viewer) {
      const snapshot = await readRoutingSnapshot(db, new Date())
      const visible = viewer ? await queueVisibility(db, viewer) : () => true
      const teams = new Map(
        (await db.queue.findMany({ select: { id: true, teamId: true } })).map((q) => [q.id, q.teamId]),
      )
      const seen = (queueId: string) => visible({ id: queueId, teamId: teams.get(queueId) ?? null })
      return estimateWait(snapshot)
        .filter((w) => seen(w.queueId))
        .map((w) => ({
          conversationId: w.conversationId,
          queueId: w.queueId,
          media: w.media,
          position: w.position,
          estimatedWaitMs: w.estimatedWaitMs,
        }))
    },

    /** Moves a conversation to another queue (back in line) or straight to an agent (supervisor re-assignment). */
    async transfer(actor: Actor, conversationId: string, to: { queueId?: string; agentId?: string }) {
      const conversation = await db.conversation.findUnique({ where: { id: conversationId } })
      if (!conversation) throw userError(ErrorCode.NOT_FOUND, `No conversation ${conversationId}`, { status: 404 })
      const now = new Date()
      if (to.agentId) {
        await agentState(to.agentId)
        await db.conversation.update({
          where: { id: conversationId },
          data: {
            status: 'assigned',
            assigneeId: to.agentId,
            lastAgentId: to.agentId,
            assignedAt: now,
            ...(to.queueId ? { queueId: to.queueId } : {}),
            version: { increment: 1 },
          },
        })
      } else if (to.queueId) {
        const queue = await db.queue.findUnique({ where: { id: to.queueId } })
        if (!queue) throw userError(ErrorCode.NOT_FOUND, `No queue ${to.queueId}`, { status: 404 })
        await db.conversation.update({
          where: { id: conversationId },
          data: { status: 'queued', queueId: to.queueId, assigneeId: null, queuedAt: now, version: { increment: 1 } },
        })
      } else throw userError(ErrorCode.VALIDATION, 'transfer to a queueId or an agentId')
      await audit.record(actor, {
        action: 'conversation.transferred',
        targetType: 'conversation',
        targetId: conversationId,
        details: to,
      })
      const row = await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })
      const topic = to.agentId ? 'conversation.assigned' : 'conversation.queued'
      await infra.bus.publish(topic, {
        conversationId,
        version: row.version,
        status: row.status,
        queueId: row.queueId,
        assigneeId: row.assigneeId,
        reason: 'transfer',
      })
      return row
    },
  }
}
export type RoutingService = ReturnType<typeof createRoutingService>
