import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, ApiError } from '../../api/http'
import type { Presence } from '../../api/types'
import { paths } from '../../realtime/paths'
import { realtime, type RealtimeEvent } from '../../realtime/realtime'
import type { ActiveAlert, AgentRow, AlertRule, LiveQueue, LiveSla, LiveStats, TodayStats } from './types'

/** The realtime path of threshold alerts (supervisors; core/src/realtime/alert-subscription.ts). */
export const ALERTS_PATH = '/alerts'
/** Notifications for people (core/src/notifications): SLA warnings and breaches refresh the SLA part. */
const NOTIFICATIONS_PATH = '/notifications'
const SLA_KINDS = ['sla.warning', 'sla.breached']
/** Today's figures are read again this often while the dashboard is open. */
const TODAY_EVERY_MS = 30_000
/** how often the live figures are re-read besides the realtime events (an event missed while the socket recovers) */
const RESYNC_EVERY_MS = 10_000

type Section = 'live' | 'agents' | 'today'

/**
 * The supervisor dashboard: the live queues and agents (a REST snapshot, then kept current by the
 * realtime /queues, /agents and /alerts paths), today's figures, and the alert rules.
 */
export const useDashboardStore = defineStore('dashboard', () => {
  const queues = ref<LiveQueue[]>([])
  const agents = ref<AgentRow[]>([])
  const alerts = ref<ActiveAlert[]>([])
  const sla = ref<LiveSla>({ atRisk: 0, breached: 0, tickets: [] })
  const today = ref<TodayStats | null>(null)
  const timeZone = ref<string>('')
  const loaded = ref<Record<Section, boolean>>({ live: false, agents: false, today: false })
  const errors = ref<Record<Section, string | null>>({ live: null, agents: null, today: null })
  /** set for every alert raised while the page is open (the page plays a sound and shows a toast) */
  const lastRaised = ref<ActiveAlert | null>(null)
  /** the realtime paths are followed and the first snapshot is in */
  const ready = ref(false)
  // bumped by every realtime event: a REST answer that was asked for before an event is stale
  let queueEvents = 0
  let agentEvents = 0
  let alertEvents = 0

  const agentById = computed(() => new Map(agents.value.map((a) => [a.userId, a])))
  const totalLoad = (a: AgentRow) => Object.values(a.load).reduce((s, n) => s + n, 0)

  /** Members available and members serving (holding work), from the live agent states. */
  function staffing(queue: LiveQueue) {
    let available = 0
    let serving = 0
    for (const id of queue.memberIds) {
      const agent = agentById.value.get(id)
      if (!agent) continue
      if (agent.presence === 'available') available++
      if (totalLoad(agent) > 0) serving++
    }
    return { available, serving, members: queue.memberIds.length }
  }

  const totals = computed(() => {
    const waiting = queues.value.reduce((s, q) => s + q.waiting, 0)
    const oldest = queues.value
      .map((q) => q.oldestQueuedAt)
      .filter((d): d is string => !!d)
      .sort()[0]
    const available = agents.value.filter((a) => a.presence === 'available').length
    const online = agents.value.filter((a) => a.presence !== 'away').length
    const serving = agents.value.filter((a) => totalLoad(a) > 0).length
    return { waiting, oldestQueuedAt: oldest ?? null, available, online, serving, agents: agents.value.length }
  })

  const fail = (section: Section, error: unknown) => {
    errors.value[section] = error instanceof Error ? error.message : String(error)
  }

  async function loadLive(): Promise<void> {
    const seen = queueEvents
    const seenAlerts = alertEvents
    try {
      const live = await api.get<LiveStats>('/api/v1/stats/live')
      if (seen !== queueEvents) return refreshLiveSoon()
      queues.value = live.queues
      sla.value = live.sla
      if (seenAlerts === alertEvents) alerts.value = live.alerts
      timeZone.value = live.timeZone
      errors.value.live = null
    } catch (error) {
      fail('live', error)
    } finally {
      loaded.value.live = true
    }
  }

  async function loadAgents(): Promise<void> {
    const seen = agentEvents
    try {
      const rows = await api.get<AgentRow[]>('/api/v1/agents')
      if (seen !== agentEvents) {
        setTimeout(() => void loadAgents(), 500)
        return
      }
      agents.value = rows.sort((a, b) => a.name.localeCompare(b.name))
      errors.value.agents = null
    } catch (error) {
      fail('agents', error)
    } finally {
      loaded.value.agents = true
    }
  }

  async function loadToday(): Promise<void> {
    try {
      today.value = await api.get<TodayStats>('/api/v1/stats/today')
      errors.value.today = null
    } catch (error) {
      fail('today', error)
    } finally {
      loaded.value.today = true
    }
  }

  // the estimated wait comes from the router's model: read the snapshot again shortly after changes
  let liveTimer: ReturnType<typeof setTimeout> | null = null
  const refreshLiveSoon = () => {
    if (liveTimer) return
    liveTimer = setTimeout(() => {
      liveTimer = null
      void loadLive()
    }, 1000)
  }

  function onQueueEvent(event: RealtimeEvent) {
    if (event.type !== 'queue.stats') return
    queueEvents++
    const queue = queues.value.find((q) => q.id === event.queueId)
    if (!queue) return refreshLiveSoon()
    queue.waiting = Number(event.waiting ?? 0)
    queue.oldestQueuedAt = (event.oldestQueuedAt as string | null) ?? null
    refreshLiveSoon()
  }

  function onAgentEvent(event: RealtimeEvent) {
    agentEvents++
    const agent = agentById.value.get(String(event.userId))
    if (!agent) {
      void loadAgents()
      return
    }
    if (event.type === 'agent.presence') {
      agent.presence = event.presence as Presence
      agent.reason = (event.reason as string | null) ?? null
      agent.since = String(event.since)
      refreshLiveSoon()
    } else if (event.type === 'agent.load') {
      const before = totalLoad(agent)
      agent.load = (event.load as Record<string, number>) ?? {}
      // finishing the last conversation starts the idle clock
      if (before > 0 && totalLoad(agent) === 0) agent.idleSince = String(event.at ?? new Date().toISOString())
    } else if (event.type === 'agent.capacity') {
      agent.capacity = (event.capacity as Record<string, number>) ?? {}
    }
  }

  function onAlertEvent(event: RealtimeEvent) {
    const alert = event as unknown as ActiveAlert & { type: string }
    alertEvents++
    if (event.type === 'alert.raised') {
      alerts.value = [...alerts.value.filter((a) => a.ruleId !== alert.ruleId), alert]
      lastRaised.value = alert
    } else if (event.type === 'alert.cleared') {
      alerts.value = alerts.value.filter((a) => a.id !== alert.id && a.ruleId !== alert.ruleId)
    }
  }

  function onNotification(event: RealtimeEvent) {
    if (event.type === 'notification' && SLA_KINDS.includes(String(event.kind))) refreshLiveSoon()
  }

  const stops: Array<() => void> = []
  let todayTimer: ReturnType<typeof setInterval> | null = null
  /** a safety net beside the realtime events: the live figures are read again now and then */
  let resyncTimer: ReturnType<typeof setInterval> | null = null

  /** Loads everything, then follows the realtime paths until `stop()`. */
  async function start(): Promise<void> {
    ready.value = false
    const follow = async (path: string, handler: (e: RealtimeEvent) => void) => {
      try {
        stops.push(await realtime.subscribe(path, handler))
      } catch {
        // the realtime badge shows the socket is down; the REST snapshot stays on screen
      }
    }
    // follow first, then read: nothing that happens meanwhile is lost (a stale answer is read again)
    await Promise.all([
      follow(paths.queues, onQueueEvent),
      follow(paths.agents, onAgentEvent),
      follow(ALERTS_PATH, onAlertEvent),
      follow(NOTIFICATIONS_PATH, onNotification),
    ])
    stops.push(realtime.onResync(() => void Promise.all([loadLive(), loadAgents(), loadToday()])))
    todayTimer = setInterval(() => void loadToday(), TODAY_EVERY_MS)
    resyncTimer = setInterval(() => void Promise.all([loadLive(), loadAgents()]), RESYNC_EVERY_MS)
    await Promise.all([loadLive(), loadAgents()])
    ready.value = true
    await loadToday()
  }

  function stop(): void {
    for (const s of stops.splice(0)) s()
    if (todayTimer) clearInterval(todayTimer)
    if (resyncTimer) clearInterval(resyncTimer)
    resyncTimer = null
    if (liveTimer) clearTimeout(liveTimer)
    todayTimer = liveTimer = null
  }

  /** A supervisor moving an agent (e.g. to away with a reason). */
  async function setAgentPresence(userId: string, presence: Presence, reason: string | null = null): Promise<void> {
    await api.put(`/api/v1/agents/${userId}/presence`, reason ? { presence, reason } : { presence })
    const agent = agentById.value.get(userId)
    if (agent && agent.presence !== presence) {
      agent.presence = presence
      agent.since = new Date().toISOString()
    }
    if (agent) agent.reason = reason
  }

  async function loadRules(): Promise<AlertRule[]> {
    return (await api.get<{ rules: AlertRule[] }>('/api/v1/stats/alert-rules')).rules
  }

  /** Saves the whole list; a 400 carries the wrong fields (rules.<i>.<field>). */
  async function saveRules(rules: AlertRule[]): Promise<AlertRule[]> {
    const saved = (await api.put<{ rules: AlertRule[] }>('/api/v1/stats/alert-rules', { rules })).rules
    void loadLive()
    return saved
  }

  return {
    queues,
    agents,
    alerts,
    sla,
    today,
    timeZone,
    loaded,
    errors,
    lastRaised,
    ready,
    totals,
    staffing,
    start,
    stop,
    loadLive,
    loadAgents,
    loadToday,
    setAgentPresence,
    loadRules,
    saveRules,
    isApiError: (e: unknown): e is ApiError => e instanceof ApiError,
  }
})
