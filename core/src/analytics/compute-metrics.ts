import {
  abandonAfterMs,
  firstContactResolved,
  firstResponseMs,
  handleMs,
  isAbandoned,
  isAnswered,
  isContained,
  isQueued,
  isResolved,
  waitMs,
  type ContactFact,
} from './contact-facts.js'
import { bucketStart, bucketStarts, type Interval } from './interval-buckets.js'

export type Dimension = 'channel' | 'queue' | 'intent' | 'agent'

export interface Percentiles {
  count: number
  averageMs: number | null
  p50Ms: number | null
  p90Ms: number | null
  p95Ms: number | null
}

/** The figures of one interval (or of the whole range), for one group or all. */
export interface MetricValues {
  /** conversations that arrived */
  offered: number
  /** …that asked for an agent */
  queued: number
  answered: number
  abandoned: number
  /** answered / queued */
  answerRate: number | null
  /** abandoned / queued */
  abandonRate: number | null
  resolved: number
  /** resolved without ever asking for an agent */
  botContained: number
  /** botContained / resolved */
  containmentRate: number | null
  /** first-contact resolution over the decided ones (resolved long enough ago) */
  fcr: { resolvedFirstTime: number; decided: number; rate: number | null }
  wait: Percentiles
  /** how long the abandoned ones waited before leaving */
  abandonAfter: Percentiles
  handle: Percentiles
  firstResponse: Percentiles
  sla: { met: number; breached: number; attainment: number | null }
  csat: { responses: number; average: number | null; satisfiedRate: number | null }
}

export interface MetricsQuery {
  from: Date
  to: Date
  interval: Interval
  timeZone: string
  groupBy?: Dimension
  /** "now", for deciding first-contact resolution */
  now: Date
}

export interface MetricsResult {
  from: string
  to: string
  interval: Interval
  timeZone: string
  groupBy: Dimension | null
  /** the whole range */
  total: MetricValues
  /** one entry per interval (quiet ones included), each with its groups when grouped */
  series: Array<{ start: string; values: MetricValues; groups?: Array<{ key: string; values: MetricValues }> }>
  /** the whole range per group, largest first */
  groups?: Array<{ key: string; values: MetricValues }>
}

/** Nearest-rank percentiles: the smallest value with at least p % of the values at or below it. */
export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { count: 0, averageMs: null, p50Ms: null, p90Ms: null, p95Ms: null }
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!
  return {
    count: sorted.length,
    averageMs: Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    p50Ms: rank(0.5),
    p90Ms: rank(0.9),
    p95Ms: rank(0.95),
  }
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null)
const defined = (values: Array<number | null>) => values.filter((v): v is number => v !== null)

export function metricValues(facts: readonly ContactFact[], now: Date): MetricValues {
  const queued = facts.filter(isQueued).length
  const answered = facts.filter(isAnswered).length
  const abandoned = facts.filter(isAbandoned).length
  const resolved = facts.filter(isResolved).length
  const contained = facts.filter(isContained).length
  const fcrDecisions = defined(
    facts.map((f) => firstContactResolved(f, now)).map((d) => (d === null ? null : d ? 1 : 0)),
  )
  const fcrYes = fcrDecisions.filter((d) => d === 1).length
  const slaMet = facts.filter((f) => f.sla === 'met').length
  const slaBreached = facts.filter((f) => f.sla === 'breached').length
  const ratings = defined(facts.map((f) => f.csat))
  return {
    offered: facts.length,
    queued,
    answered,
    abandoned,
    answerRate: ratio(answered, queued),
    abandonRate: ratio(abandoned, queued),
    resolved,
    botContained: contained,
    containmentRate: ratio(contained, resolved),
    fcr: { resolvedFirstTime: fcrYes, decided: fcrDecisions.length, rate: ratio(fcrYes, fcrDecisions.length) },
    wait: percentiles(defined(facts.map(waitMs))),
    abandonAfter: percentiles(defined(facts.map(abandonAfterMs))),
    handle: percentiles(defined(facts.map(handleMs))),
    firstResponse: percentiles(defined(facts.map(firstResponseMs))),
    sla: { met: slaMet, breached: slaBreached, attainment: ratio(slaMet, slaMet + slaBreached) },
    csat: {
      responses: ratings.length,
      average: ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null,
      satisfiedRate: ratio(ratings.filter((r) => r >= 4).length, ratings.length),
    },
  }
}

export function dimensionKey(fact: ContactFact, dimension: Dimension): string {
  const value = { channel: fact.channel, queue: fact.queueId, intent: fact.intent, agent: fact.agentId }[dimension]
  return value ?? '(none)'
}

function grouped(facts: readonly ContactFact[], dimension: Dimension, now: Date) {
  const groups = new Map<string, ContactFact[]>()
  for (const fact of facts) {
    const key = dimensionKey(fact, dimension)
    let list = groups.get(key)
    if (!list) groups.set(key, (list = []))
    list.push(fact)
  }
  return [...groups]
    .map(([key, list]) => ({ key, values: metricValues(list, now) }))
    .sort((a, b) => b.values.offered - a.values.offered || a.key.localeCompare(b.key))
}

/** The metrics of the conversations that arrived in [from, to), per interval and optionally per group. */
export function computeMetrics(facts: readonly ContactFact[], query: MetricsQuery): MetricsResult {
  const inRange = facts.filter((f) => f.createdAt >= query.from && f.createdAt < query.to)
  const byBucket = new Map<string, ContactFact[]>()
  for (const fact of inRange) {
    const key = bucketStart(fact.createdAt, query.interval, query.timeZone)
    let list = byBucket.get(key)
    if (!list) byBucket.set(key, (list = []))
    list.push(fact)
  }
  const series = bucketStarts(query.from, query.to, query.interval, query.timeZone).map((start) => {
    const list = byBucket.get(start) ?? []
    return {
      start,
      values: metricValues(list, query.now),
      ...(query.groupBy ? { groups: grouped(list, query.groupBy, query.now) } : {}),
    }
  })
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    interval: query.interval,
    timeZone: query.timeZone,
    groupBy: query.groupBy ?? null,
    total: metricValues(inRange, query.now),
    series,
    ...(query.groupBy ? { groups: grouped(inRange, query.groupBy, query.now) } : {}),
  }
}
