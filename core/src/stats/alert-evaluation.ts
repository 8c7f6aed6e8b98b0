import type { AlertMetric, AlertRule } from './alert-rules.js'
import type { LiveSnapshot } from './live-snapshot.js'

/** A rule whose condition holds now, with the value that broke the threshold. */
export interface FiringAlert {
  ruleId: string
  metric: AlertMetric
  /** the watched queue; null: all queues together */
  queueId: string | null
  queueName: string | null
  /** the queue's team (whose supervisors are told); null: every supervisor */
  teamId: string | null
  threshold: number
  /** waiting count, longest wait in seconds, available agents, or SLA targets at risk */
  value: number
}

/**
 * Which enabled rules fire for this snapshot at `now`. A rule about a queue that no longer exists
 * does not fire. Pure: the clock is `now`.
 */
export function evaluateAlertRules(rules: readonly AlertRule[], snapshot: LiveSnapshot, now: Date): FiringAlert[] {
  const available = new Set(snapshot.agents.filter((a) => a.presence === 'available').map((a) => a.userId))
  const longestWaitS = (oldest: Date | null) =>
    oldest ? Math.max(0, Math.floor((now.getTime() - oldest.getTime()) / 1000)) : 0
  const firing: FiringAlert[] = []
  for (const rule of rules) {
    if (!rule.enabled) continue
    const queue = rule.queueId ? snapshot.queues.find((q) => q.id === rule.queueId) : null
    if (rule.queueId && !queue) continue
    const queues = queue ? [queue] : snapshot.queues
    let value: number
    let fires: boolean
    if (rule.metric === 'waiting') {
      value = queues.reduce((sum, q) => sum + q.waiting, 0)
      fires = value > rule.threshold
    } else if (rule.metric === 'longestWait') {
      value = Math.max(0, ...queues.map((q) => longestWaitS(q.oldestQueuedAt)))
      fires = value > rule.threshold
    } else if (rule.metric === 'slaAtRisk') {
      // without the SLA part (not read), nothing is known to be at risk
      const sla = snapshot.sla
      const conversations = sla?.conversations.filter((c) => !queue || c.queueId === queue.id).length ?? 0
      value = conversations + (queue || !sla ? 0 : sla.tickets.atRisk + sla.tickets.breached)
      fires = value > rule.threshold
    } else {
      value = queue ? queue.memberIds.filter((id) => available.has(id)).length : available.size
      fires = value < rule.threshold
    }
    if (fires)
      firing.push({
        ruleId: rule.id,
        metric: rule.metric,
        queueId: queue?.id ?? null,
        queueName: queue?.name ?? null,
        teamId: queue?.teamId ?? null,
        threshold: rule.threshold,
        value,
      })
  }
  return firing
}
