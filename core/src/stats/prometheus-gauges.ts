import { Gauge, type Registry } from 'prom-client'
import type { Clock } from '../infra/index.js'
import type { Db } from '../storage/index.js'
import type { AlertMonitor } from './alert-monitor.js'
import { readLiveSnapshot } from './live-snapshot.js'

/** a scrape reads the database once; scrapes closer together than this share the reading */
const SNAPSHOT_MS = 1000

/**
 * The contact centre for operators' Prometheus: each queue's waiting count and longest wait,
 * agents by presence, alerts on, and SLA clocks at risk — read from the database at scrape time
 * (so every instance reports the same, shared numbers).
 */
export function registerContactCentreGauges(registry: Registry, deps: { db: Db; clock: Clock; alerts: AlertMonitor }) {
  const { db, clock } = deps
  let cached: { at: number; value: Promise<Reading> } | undefined
  const read = () => {
    const now = Date.now()
    if (!cached || now - cached.at > SNAPSHOT_MS) cached = { at: now, value: reading(db, clock, deps.alerts) }
    return cached.value
  }

  new Gauge({
    name: 'switchboard_queue_waiting',
    help: 'Conversations waiting in each queue',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      for (const q of (await read()).queues) this.set({ queue: q.name }, q.waiting)
    },
  })
  new Gauge({
    name: 'switchboard_queue_longest_wait_seconds',
    help: 'How long the longest-waiting conversation of each queue has waited',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      for (const q of (await read()).queues) this.set({ queue: q.name }, q.longestWaitSeconds)
    },
  })
  new Gauge({
    name: 'switchboard_agents',
    help: 'Agents by presence (available, busy, away, offline…)',
    labelNames: ['presence'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      for (const [presence, count] of Object.entries((await read()).agents)) this.set({ presence }, count)
    },
  })
  new Gauge({
    name: 'switchboard_alerts_active',
    help: 'Threshold alerts that are on',
    registers: [registry],
    async collect() {
      this.set((await read()).alerts)
    },
  })
  new Gauge({
    name: 'switchboard_sla_clocks',
    help: 'SLA clocks not yet met, by state: at_risk (warned), breached',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const { sla } = await read()
      this.set({ state: 'at_risk' }, sla.atRisk)
      this.set({ state: 'breached' }, sla.breached)
    },
  })
}

interface Reading {
  queues: Array<{ name: string; waiting: number; longestWaitSeconds: number }>
  agents: Record<string, number>
  alerts: number
  sla: { atRisk: number; breached: number }
}

async function reading(db: Db, clock: Clock, alerts: AlertMonitor): Promise<Reading> {
  const now = clock.now().getTime()
  const [snapshot, active, atRisk, breached] = await Promise.all([
    readLiveSnapshot(db),
    alerts.active(),
    db.slaClock.count({
      where: { metAt: null, breachedAt: null, warnedAt: { not: null }, status: { in: ['running', 'paused'] } },
    }),
    // a breached clock keeps running (or pauses while the ticket waits on the customer) until met
    db.slaClock.count({
      where: { metAt: null, breachedAt: { not: null }, status: { in: ['running', 'paused', 'breached'] } },
    }),
  ])
  const agents: Record<string, number> = {}
  for (const a of snapshot.agents) agents[a.presence] = (agents[a.presence] ?? 0) + 1
  return {
    queues: snapshot.queues.map((q) => ({
      name: q.name,
      waiting: q.waiting,
      longestWaitSeconds: q.oldestQueuedAt ? Math.max(0, (now - q.oldestQueuedAt.getTime()) / 1000) : 0,
    })),
    agents,
    alerts: active.length,
    sla: { atRisk, breached },
  }
}
