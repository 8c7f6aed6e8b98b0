import { DateTime } from 'luxon'
import { ErrorCode, userError } from '../errors/index.js'
import { backtestHoltWinters, fitHoltWinters, requiredAgents } from '../forecast/index.js'
import type { Clock } from '../infra/index.js'
import type { Db, Prisma } from '../storage/index.js'
import { queueInScope, readTeamScope } from '../teams/index.js'
import { readStaffing } from '../workforce/index.js'
import { computeMetrics, type Dimension, type MetricsResult } from './compute-metrics.js'
import { handleMs, isAnswered } from './contact-facts.js'
import type { Interval } from './interval-buckets.js'
import { readContactFacts } from './read-facts.js'

export interface AnalyticsViewer {
  id: string
  role: string
}

const MAX_RANGE_DAYS = 400
const HISTORY_WEEKS = 6

export function createAnalyticsService(deps: { db: Db; clock: Clock; timeZone: string }) {
  const { db, clock } = deps

  /** what a team-scoped supervisor may see: conversations with no queue, or in their teams' queues */
  async function scopeWhere(viewer: AnalyticsViewer): Promise<Prisma.ConversationWhereInput | undefined> {
    const scope = await readTeamScope(db, viewer)
    if (scope.kind === 'all') return undefined
    const queues = await db.queue.findMany({ select: { id: true, teamId: true } })
    const visible = queues.filter((q) => queueInScope(scope, q.teamId)).map((q) => q.id)
    return { OR: [{ queueId: null }, { queueId: { in: visible } }] }
  }

  function checkRange(from: Date, to: Date) {
    if (to <= from)
      throw userError(ErrorCode.VALIDATION, 'Invalid query: to must be after from', {
        status: 400,
        details: [{ in: 'query', path: 'to', message: 'must be after from' }],
      })
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000)
      throw userError(ErrorCode.VALIDATION, `Invalid query: a range is at most ${MAX_RANGE_DAYS} days`, {
        status: 400,
        details: [{ in: 'query', path: 'to', message: `at most ${MAX_RANGE_DAYS} days after from` }],
      })
  }

  return {
    async metrics(
      viewer: AnalyticsViewer,
      query: {
        from: Date
        to: Date
        interval: Interval
        timeZone?: string
        groupBy?: Dimension
        queueId?: string
        channel?: string
      },
    ): Promise<MetricsResult & { truncated: boolean }> {
      checkRange(query.from, query.to)
      const timeZone = query.timeZone ?? deps.timeZone
      const filters: Prisma.ConversationWhereInput[] = []
      const scoped = await scopeWhere(viewer)
      if (scoped) filters.push(scoped)
      if (query.queueId) filters.push({ queueId: query.queueId })
      if (query.channel) filters.push({ channel: query.channel })
      const { facts, truncated } = await readContactFacts(db, {
        from: query.from,
        to: query.to,
        where: filters.length ? { AND: filters } : undefined,
      })
      const result = computeMetrics(facts, { ...query, timeZone, now: clock.now() })
      return { ...result, truncated }
    },

    /** The intents most asked about in the week containing `weekOf`, with the week before for the trend. */
    async topIssues(viewer: AnalyticsViewer, query: { weekOf?: Date; timeZone?: string; limit?: number }) {
      const timeZone = query.timeZone ?? deps.timeZone
      const week = DateTime.fromJSDate(query.weekOf ?? clock.now(), { zone: timeZone }).startOf('week')
      const from = week.toJSDate()
      const to = week.plus({ weeks: 1 }).toJSDate()
      const previous = week.minus({ weeks: 1 }).toJSDate()
      const scoped = await scopeWhere(viewer)
      const count = async (gte: Date, lt: Date) => {
        const groups = await db.conversation.groupBy({
          by: ['intent'],
          where: { createdAt: { gte, lt }, intent: { not: null }, ...(scoped ?? {}) },
          _count: { _all: true },
        })
        return new Map(groups.map((g) => [g.intent!, g._count._all]))
      }
      const [current, before] = await Promise.all([count(from, to), count(previous, from)])
      const issues = [...current]
        .map(([intent, thisWeek]) => {
          const lastWeek = before.get(intent) ?? 0
          return {
            intent,
            thisWeek,
            lastWeek,
            change: lastWeek > 0 ? (thisWeek - lastWeek) / lastWeek : null,
            trend: thisWeek > lastWeek * 1.2 ? 'rising' : thisWeek < lastWeek * 0.8 ? 'falling' : 'steady',
          }
        })
        .sort((a, b) => b.thisWeek - a.thisWeek || a.intent.localeCompare(b.intent))
        .slice(0, query.limit ?? 10)
      return { weekStart: week.toISO(), timeZone, issues }
    },

    /**
     * The next `horizon` hours of arrivals for a queue (or all) from the last weeks of history
     * (Holt-Winters, weekly season), its 48-hour back-test, and the agents each hour needs for
     * the service level (Erlang C with the history's average handle time).
     */
    async forecast(
      viewer: AnalyticsViewer,
      query: {
        queueId?: string
        horizon: number
        serviceLevel: number
        targetSeconds: number
        weeks?: number
        /** hours before the current one to include, with their real arrivals (default none) */
        pastHours?: number
      },
    ) {
      const now = clock.now()
      const end = DateTime.fromJSDate(now, { zone: 'UTC' }).startOf('hour').toJSDate()
      const weeks = query.weeks ?? HISTORY_WEEKS
      const start = new Date(end.getTime() - weeks * 7 * 86_400_000)
      const scoped = await scopeWhere(viewer)
      const where: Prisma.ConversationWhereInput = {
        AND: [...(scoped ? [scoped] : []), ...(query.queueId ? [{ queueId: query.queueId }] : [])],
      }
      const { facts } = await readContactFacts(db, { from: start, to: end, where })
      const hourly = Array.from({ length: weeks * 168 }, () => 0)
      for (const f of facts) hourly[Math.floor((f.createdAt.getTime() - start.getTime()) / 3_600_000)]!++
      const handled = facts
        .filter(isAnswered)
        .map(handleMs)
        .filter((v): v is number => v !== null)
      const ahtSeconds = handled.length ? handled.reduce((a, b) => a + b, 0) / handled.length / 1000 : 300
      if (weeks < 3 || facts.length === 0)
        throw userError(
          ErrorCode.VALIDATION,
          'Not enough history to forecast: at least three weeks of history with conversations',
          {
            status: 422,
            details: [{ path: 'history', message: `${facts.length} conversations in the last ${weeks} weeks` }],
          },
        )
      const model = fitHoltWinters(hourly, 168)
      const backtest = backtestHoltWinters(hourly, 168, 48)
      const predicted = model.forecast(query.horizon)
      const staff = (volume: number) =>
        requiredAgents({
          arrivals: volume,
          intervalSeconds: 3600,
          ahtSeconds,
          serviceLevel: query.serviceLevel,
          targetSeconds: query.targetSeconds,
        })
      // the hours just past with what really arrived, then the forecast from the current hour on
      const pastHours = Math.min(query.pastHours ?? 0, hourly.length)
      const intervals = [
        ...hourly.slice(hourly.length - pastHours).map((arrived, k) => ({
          start: new Date(end.getTime() - (pastHours - k) * 3_600_000).toISOString(),
          kind: 'past' as const,
          volume: arrived,
        })),
        ...predicted.map((volume, k) => ({
          start: new Date(end.getTime() + k * 3_600_000).toISOString(),
          kind: 'forecast' as const,
          volume: Math.round(volume * 10) / 10,
        })),
      ].map((interval) => {
        const staffing = staff(interval.volume)
        return { ...interval, requiredAgents: staffing.agents, expectedServiceLevel: staffing.serviceLevel }
      })
      // scheduled agents from the shifts, actual ones from the presence log (workforce)
      const staffing = await readStaffing(db, viewer, {
        queueId: query.queueId ?? null,
        intervals: intervals.map((i) => ({ start: new Date(i.start), end: new Date(Date.parse(i.start) + 3_600_000) })),
        now,
      })
      return {
        queueId: query.queueId ?? null,
        historyStart: start.toISOString(),
        historyHours: hourly.length,
        averageHandleSeconds: Math.round(ahtSeconds),
        model: { method: 'holt-winters-additive', seasonLength: 168, ...model.params, fitRmse: model.fitRmse },
        backtest: {
          horizonHours: 48,
          mae: backtest.mae,
          wape: backtest.wape,
          rmse: backtest.rmse,
          naive: backtest.naive,
        },
        intervals: intervals.map((interval, k) => ({
          ...interval,
          scheduled: staffing.scheduled[k]!,
          actual: staffing.actual[k]!,
          gap: Math.round((staffing.scheduled[k]! - interval.requiredAgents) * 100) / 100,
        })),
      }
    },
  }
}
export type AnalyticsService = ReturnType<typeof createAnalyticsService>
