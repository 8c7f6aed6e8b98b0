import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db, Prisma } from '../storage/index.js'
import { evaluateAlertRules, type FiringAlert } from './alert-evaluation.js'
import { ALERT_METRICS, readAlertRules } from './alert-rules.js'
import { readLiveSnapshot } from './live-snapshot.js'

/** An alert that is on: raised when its rule started firing, until the condition ends. */
export interface ActiveAlert extends FiringAlert {
  id: string
  raisedAt: string
}

export const activeAlertDto = z.object({
  id: z.string(),
  ruleId: z.string(),
  metric: z.enum(ALERT_METRICS),
  queueId: z.string().nullable(),
  queueName: z.string().nullable(),
  teamId: z.string().nullable(),
  threshold: z.number(),
  value: z.number(),
  raisedAt: z.string(),
})

const ACTIVE_KEY = 'stats.alerts.active'
const storedActive = z.object({ alerts: z.array(activeAlertDto).catch([]) }).catch({ alerts: [] })

/** Bus topics after which the figures the rules watch may have changed. */
const TRIGGERS = [
  'conversation.queued',
  'conversation.assigned',
  'conversation.resolved',
  'conversation.reopened',
  'conversation.updated',
  'agent.presence',
  'queue.*',
  'stats.alert-rules.changed',
  // SLA at risk: a clock warns or breaches, a ticket is answered, resolved or moved
  'sla.warning',
  'sla.breached',
  'ticket.*',
]

export interface AlertMonitorDeps {
  db: Db
  infra: Infra
  logger: Logger
  /** how long a burst of events is folded into one evaluation (default 250 ms) */
  coalesceMs?: number
  /** evaluation without events, for waits that grow with time (default 5 s) */
  tickMs?: number
}

/**
 * Evaluates the threshold rules whenever what they watch changes, and on a tick. The alerts that
 * are on are kept in the Setting table and changed under a cluster-wide lock, so with several
 * instances each change is announced once: `alert.raised` when a rule starts firing,
 * `alert.cleared` when its condition ends (or the rule is removed or disabled).
 */
export function createAlertMonitor(deps: AlertMonitorDeps) {
  const { db, infra, logger } = deps
  const unsubscribers: Array<() => Promise<void>> = []
  let timer: NodeJS.Timeout | null = null
  let soon: NodeJS.Timeout | null = null
  let running: Promise<unknown> = Promise.resolve()

  async function readActive(): Promise<ActiveAlert[]> {
    const row = await db.setting.findUnique({ where: { key: ACTIVE_KEY } })
    return row ? storedActive.parse(row.value).alerts : []
  }

  async function writeActive(alerts: ActiveAlert[]): Promise<void> {
    const value = { alerts } as unknown as Prisma.InputJsonObject
    await db.setting.upsert({ where: { key: ACTIVE_KEY }, create: { key: ACTIVE_KEY, value }, update: { value } })
  }

  /** One evaluation at `now`; what it raised and cleared (nothing when another instance holds the lock). */
  async function evaluate(now: Date = infra.clock.now()): Promise<{ raised: ActiveAlert[]; cleared: ActiveAlert[] }> {
    const lock = await infra.locks.acquire('stats.alerts', { ttlMs: 15_000, waitMs: 2_000 })
    if (!lock) return { raised: [], cleared: [] }
    try {
      const [rules, active] = await Promise.all([readAlertRules(db), readActive()])
      if (active.length === 0 && !rules.some((r) => r.enabled)) return { raised: [], cleared: [] }
      const sla = rules.some((r) => r.enabled && r.metric === 'slaAtRisk')
      const firing = evaluateAlertRules(rules, await readLiveSnapshot(db, { sla }), now)
      const firingByRule = new Map(firing.map((f) => [f.ruleId, f]))
      const cleared = active.filter((a) => !firingByRule.has(a.ruleId))
      const raised: ActiveAlert[] = []
      const next: ActiveAlert[] = []
      for (const f of firing) {
        const was = active.find((a) => a.ruleId === f.ruleId)
        if (was) next.push({ ...was, ...f })
        else {
          const alert = { id: randomUUID(), raisedAt: now.toISOString(), ...f }
          raised.push(alert)
          next.push(alert)
        }
      }
      const changed =
        cleared.length > 0 || next.some((a) => active.find((b) => b.ruleId === a.ruleId)?.value !== a.value)
      if (changed) await writeActive(next)
      for (const alert of cleared) await infra.bus.publish('alert.cleared', { ...alert, clearedAt: now.toISOString() })
      for (const alert of raised) await infra.bus.publish('alert.raised', alert)
      return { raised, cleared }
    } finally {
      await lock.release()
    }
  }

  /** Evaluates once the burst of events is over; evaluations never overlap on this instance. */
  function kick(): void {
    if (soon) return
    soon = setTimeout(() => {
      soon = null
      running = running
        .then(() => evaluate())
        .catch((error: unknown) => logger.warn({ err: error }, 'could not evaluate the alert rules'))
    }, deps.coalesceMs ?? 250)
    soon.unref()
  }

  return {
    evaluate,
    /** The alerts that are on now. */
    active: readActive,
    async start(): Promise<void> {
      if (timer) return
      for (const topic of TRIGGERS) unsubscribers.push(await infra.bus.subscribe(topic, () => kick()))
      timer = setInterval(kick, deps.tickMs ?? 5_000)
      timer.unref()
      kick()
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer)
      if (soon) clearTimeout(soon)
      timer = soon = null
      for (const u of unsubscribers.splice(0)) await u()
      await running
    },
  }
}
export type AlertMonitor = ReturnType<typeof createAlertMonitor>
