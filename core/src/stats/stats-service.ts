import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db, Prisma } from '../storage/index.js'
import { queueInScope, readTeamScope, type TeamScope } from '../teams/index.js'
import { createAlertMonitor, type ActiveAlert } from './alert-monitor.js'
import { readAlertRules, withIds, writeAlertRules, type AlertRule, type alertRulesInput } from './alert-rules.js'
import { serverTimeZone } from './day-window.js'
import { readLiveSla } from './live-sla.js'
import { readLiveSnapshot } from './live-snapshot.js'
import { readTodayStats } from './today-stats.js'
import type { z } from 'zod'

/** Who is asking: supervisors see their teams' queues (and team-less ones), admins everything. */
export interface Viewer {
  id: string
  role: string
}

export interface StatsDeps {
  db: Db
  infra: Infra
  audit: AuditLog
  logger: Logger
  /** the routing's wait estimates of the conversations waiting now */
  waitEstimates: () => Promise<Array<{ queueId: string; estimatedWaitMs: number | null }>>
  /** the time zone "today" is counted in; default the server's */
  timeZone?: string
  alertTickMs?: number
}

/**
 * The supervisor dashboard's figures: the live state of queues, today's volumes, rates and times,
 * and the threshold alerts. Read-only over conversations, messages, agent states and queues; the
 * alert rules and the alerts that are on are kept in the Setting table.
 */
export function createStatsService(deps: StatsDeps) {
  const { db, infra, audit } = deps
  const timeZone = deps.timeZone ?? serverTimeZone()
  const alerts = createAlertMonitor({ db, infra, logger: deps.logger, tickMs: deps.alertTickMs })

  const alertVisible = (scope: TeamScope, alert: Pick<ActiveAlert, 'teamId'>) => queueInScope(scope, alert.teamId)

  return {
    timeZone,
    alerts,
    start: () => alerts.start(),
    stop: () => alerts.stop(),

    /** Queues now: waiting, longest wait, estimated wait, members; SLA at risk; and the alerts that are on. */
    async live(viewer: Viewer, now = infra.clock.now()) {
      const scope = await readTeamScope(db, viewer)
      const [snapshot, estimates, active, sla] = await Promise.all([
        readLiveSnapshot(db),
        deps.waitEstimates(),
        alerts.active(),
        readLiveSla(db, scope),
      ])
      const presence = new Map(snapshot.agents.map((a) => [a.userId, a.presence]))
      const estimateOf = (queueId: string) => {
        const known = estimates.filter((e) => e.queueId === queueId).map((e) => e.estimatedWaitMs)
        if (known.length === 0 || known.some((ms) => ms === null)) return null
        return Math.max(...(known as number[]))
      }
      return {
        at: now,
        timeZone,
        queues: snapshot.queues
          .filter((q) => queueInScope(scope, q.teamId))
          .map((q) => ({
            id: q.id,
            name: q.name,
            teamId: q.teamId,
            waiting: q.waiting,
            oldestQueuedAt: q.oldestQueuedAt,
            longestWaitMs: q.oldestQueuedAt ? Math.max(0, now.getTime() - q.oldestQueuedAt.getTime()) : 0,
            estimatedWaitMs: q.waiting ? estimateOf(q.id) : null,
            memberIds: q.memberIds,
            standbyIds: q.standbyIds,
            available: q.memberIds.filter((id) => presence.get(id) === 'available').length,
          })),
        sla,
        alerts: active.filter((a) => alertVisible(scope, a)),
      }
    },

    /** Today so far (in the service's time zone, or `timeZone`), over the queues the viewer sees. */
    async today(viewer: Viewer, options: { timeZone?: string; now?: Date } = {}) {
      const scope = await readTeamScope(db, viewer)
      let where: Prisma.ConversationWhereInput | undefined
      if (scope.kind === 'teams') {
        const queues = await db.queue.findMany({ select: { id: true, teamId: true } })
        const visible = queues.filter((q) => queueInScope(scope, q.teamId)).map((q) => q.id)
        where = { OR: [{ queueId: null }, { queueId: { in: visible } }] }
      }
      return readTodayStats(db, {
        timeZone: options.timeZone ?? timeZone,
        now: options.now ?? infra.clock.now(),
        where,
      })
    },

    async alertRules(): Promise<AlertRule[]> {
      return readAlertRules(db)
    },

    /** Replaces the rules (the dashboard edits them as one list); audited, then evaluated at once. */
    async setAlertRules(actor: Actor, input: z.output<typeof alertRulesInput>): Promise<AlertRule[]> {
      const rules = withIds(input.rules)
      const problems: Array<{ in: string; path: string; message: string }> = []
      const seen = new Set<string>()
      rules.forEach((rule, i) => {
        if (seen.has(rule.id))
          problems.push({ in: 'payload', path: `rules.${i}.id`, message: 'another rule has this id' })
        seen.add(rule.id)
      })
      const queueIds = [...new Set(rules.map((r) => r.queueId).filter((id): id is string => !!id))]
      const found = new Set(
        (await db.queue.findMany({ where: { id: { in: queueIds } }, select: { id: true } })).map((q) => q.id),
      )
      rules.forEach((rule, i) => {
        if (rule.queueId && !found.has(rule.queueId))
          problems.push({ in: 'payload', path: `rules.${i}.queueId`, message: `no queue ${rule.queueId}` })
      })
      if (problems.length > 0)
        throw userError(
          ErrorCode.VALIDATION,
          `Invalid payload: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
          { status: 400, details: problems },
        )
      const before = await readAlertRules(db)
      await writeAlertRules(db, rules)
      await audit.record(actor, {
        action: 'stats.alert-rules.update',
        targetType: 'setting',
        targetId: 'stats.alert-rules',
        details: { before: before.length, after: rules.length, rules } as unknown as Record<string, unknown>,
      })
      await infra.bus.publish('stats.alert-rules.changed', { count: rules.length })
      return rules
    },

    /** The alerts that are on now, those of queues the viewer sees. */
    async activeAlerts(viewer: Viewer): Promise<ActiveAlert[]> {
      const scope = await readTeamScope(db, viewer)
      return (await alerts.active()).filter((a) => alertVisible(scope, a))
    },
  }
}
export type StatsService = ReturnType<typeof createStatsService>
