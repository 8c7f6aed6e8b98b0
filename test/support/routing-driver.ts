import { api } from './cli-process.js'
import type { ClusterInstance, CoreCluster } from './core-cluster.js'
import type { RoutingFixture } from './routing-setup.js'
import type { ScenarioStep } from './routing-scenario.js'
import { openWidgetSocket } from './widget-client.js'

/** A presence or capacity change as the client saw it: asked at `sentAt`, answered at `doneAt` (null: in flight or failed). */
export interface AgentChange {
  agentId: string
  kind: 'presence' | 'capacity'
  value: string | number
  sentAt: number
  doneAt: number | null
}

/** A visitor who asked for a human: their first message names the queue and the priority. */
export interface Arrival {
  visitor: string
  queue: string
  priority: number
  /** the instances the message was sent to, and when (a retry goes to another one) */
  sentTo: Array<{ instance: number; at: number }>
  /** when the message was acknowledged (stored), and by which instance; null when no instance took it */
  ackedAt: number | null
  ackedBy: number | null
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Plays scenario steps against a cluster over its public interfaces: visitors on the web chat
 * socket, agents and a supervisor on the REST API, each step on the instance it names (among
 * those alive). A call that fails because its instance was killed is made again on another one,
 * as a client behind a load balancer would; the widget resends its message with the same id.
 */
export function createRoutingDriver(cluster: CoreCluster, fixture: RoutingFixture, tag: string) {
  const changes: AgentChange[] = []
  const arrivals: Arrival[] = []
  const errors: string[] = []
  let visitors = 0

  const instance = (via: number, attempt: number): ClusterInstance => {
    const alive = cluster.alive()
    if (alive.length === 0) throw new Error('no instance alive')
    return alive[(via + attempt) % alive.length]!
  }

  /** One API call, made again on the next instance when its instance dies under it (at most 3 tries). */
  async function call<T>(via: number, path: string, token: string, init: { method?: string; body?: unknown } = {}) {
    for (let attempt = 0; ; attempt++) {
      const target = instance(via, attempt)
      try {
        return await api<T>(target.url, path, token, init)
      } catch (error) {
        if (attempt >= 2) throw error
        await sleep(50)
      }
    }
  }

  async function change(agent: number, kind: AgentChange['kind'], value: string | number, via: number) {
    const { id, token } = fixture.agents[agent]!
    const record: AgentChange = { agentId: id, kind, value, sentAt: Date.now(), doneAt: null }
    changes.push(record)
    const res =
      kind === 'presence'
        ? await call(via, '/api/v1/agents/me/presence', token, { method: 'PUT', body: { presence: value } })
        : await call(via, `/api/v1/agents/${id}/capacity`, fixture.adminToken, {
            method: 'PUT',
            body: { chat: value },
          })
    if (res.status !== 204) errors.push(`${kind} ${value} for ${id}: HTTP ${res.status}`)
    else record.doneAt = Date.now()
  }

  async function arrive(queue: number, priority: number, via: number) {
    const n = visitors++
    const visitor = `rt${tag}v${String(n).padStart(12, '0')}`
    const key = fixture.queues[queue]!.key
    const arrival: Arrival = {
      visitor,
      queue: fixture.queues[queue]!.id,
      priority,
      sentTo: [],
      ackedAt: null,
      ackedBy: null,
    }
    arrivals.push(arrival)
    for (let attempt = 0; attempt < 3 && arrival.ackedAt === null; attempt++) {
      const target = instance(via, attempt)
      try {
        const socket = await openWidgetSocket(target.url, { visitor })
        try {
          await socket.waitFor((f) => f.type === 'welcome')
          arrival.sentTo.push({ instance: target.index, at: Date.now() })
          socket.send({ type: 'message', id: `msg-${n}-first`, text: `${key}|${priority}` })
          await socket.waitFor((f) => f.type === 'ack', 10_000)
          arrival.ackedAt = Date.now()
          arrival.ackedBy = target.index
        } finally {
          socket.close()
        }
      } catch {
        await sleep(50)
      }
    }
    if (arrival.ackedAt === null) errors.push(`visitor ${visitor}: no instance acknowledged the message`)
  }

  async function resolveOne(pick: number, via: number) {
    const res = await call<Array<{ id: string; queueId: string | null; assigneeId: string | null }>>(
      via,
      '/api/v1/conversations?status=assigned&limit=200',
      fixture.adminToken,
    )
    const mine = new Set(fixture.queues.map((q) => q.id))
    const assigned = (res.body ?? []).filter((c) => c.queueId && mine.has(c.queueId) && c.assigneeId)
    if (assigned.length === 0) return
    const conversation = assigned[pick % assigned.length]!
    const agent = fixture.agents.find((a) => a.id === conversation.assigneeId)
    if (!agent) return
    const done = await call(via, `/api/v1/conversations/${conversation.id}`, agent.token, {
      method: 'PATCH',
      body: { status: 'resolved' },
    })
    if (done.status !== 200) errors.push(`resolve ${conversation.id}: HTTP ${done.status}`)
  }

  async function play(step: ScenarioStep) {
    switch (step.kind) {
      case 'arrive':
        return arrive(step.queue, step.priority, step.via)
      case 'presence':
        return change(step.agent, 'presence', step.presence, step.via)
      case 'capacity':
        return change(step.agent, 'capacity', step.chat, step.via)
      case 'resolve':
        return resolveOne(step.pick, step.via)
      case 'pause':
        return sleep(step.ms)
    }
  }

  return {
    changes,
    arrivals,
    errors,
    change,
    resolveOne,
    /**
     * Plays the steps with `workers` of them in flight at once, so that changes race with each
     * other across instances; `beforeStep(i)` runs as step i starts (e.g. to kill an instance).
     * Two changes of one agent are never in flight together, so each agent's state is known
     * between its changes.
     */
    async play(steps: ScenarioStep[], options: { workers: number; beforeStep?: (i: number) => void }) {
      let next = 0
      const busyAgents = new Set<number>()
      const worker = async () => {
        while (next < steps.length) {
          const i = next++
          const step = steps[i]!
          options.beforeStep?.(i)
          const agent = step.kind === 'presence' || step.kind === 'capacity' ? step.agent : null
          for (let waited = 0; agent !== null && busyAgents.has(agent) && waited < 5000; waited += 10) await sleep(10)
          if (agent !== null) busyAgents.add(agent)
          try {
            await play(step)
          } catch (error) {
            errors.push(`step ${i} (${step.kind}): ${(error as Error).message}`)
          } finally {
            if (agent !== null) busyAgents.delete(agent)
          }
        }
      }
      await Promise.all(Array.from({ length: options.workers }, worker))
    },
  }
}
export type RoutingDriver = ReturnType<typeof createRoutingDriver>
