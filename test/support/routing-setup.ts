import { api, login } from './cli-process.js'
import type { CoreCluster } from './core-cluster.js'
import { SCENARIO_QUEUES, type Scenario, type ScenarioQueue } from './routing-scenario.js'

export const AGENT_PASSWORD = 'routing-agent-password'

export interface RoutingFixture {
  adminToken: string
  agents: Array<{ id: string; email: string; token: string }>
  queues: Array<ScenarioQueue & { id: string }>
}

/**
 * The entry flow of the web chat for the scenario: the visitor's first message says where to go,
 * `<queue key>|<priority>` (e.g. `q1|7`), and the flow hands the conversation off to that queue
 * with that priority, as a bot's triage would.
 */
export function triageFlow() {
  const handoffs = SCENARIO_QUEUES.map((q) => ({
    id: `to-${q.key}`,
    type: 'handoff',
    config: { queue: q.name, priority: '$number($substringAfter(input.text, "|"))' },
  }))
  return {
    name: 'Routing scenario triage',
    kind: 'bot',
    description: 'Hands each new web chat conversation off to the queue and priority its first message names',
    document: {
      schemaVersion: 1,
      variables: {},
      nodes: [
        { id: 'start', type: 'start', config: {} },
        {
          id: 'route',
          type: 'switch',
          config: {
            cases: SCENARIO_QUEUES.map((q) => ({
              port: q.key,
              when: `$substringBefore(input.text, "|") = "${q.key}"`,
            })),
          },
        },
        ...handoffs,
      ],
      edges: [
        { from: 'start', port: 'next', to: 'route' },
        ...SCENARIO_QUEUES.map((q) => ({ from: 'route', port: q.key, to: `to-${q.key}` })),
        { from: 'route', port: 'default', to: 'to-q0' },
      ],
    },
  }
}

async function ok<T>(call: Promise<{ status: number; body: T }>, what: string, expected = [200, 201, 204]): Promise<T> {
  const res = await call
  if (!expected.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

/** The web chat's new conversations start the triage flow instead of the demo's order bot. */
async function useTriageFlow(url: string, token: string) {
  const flows = await ok(api<Array<{ id: string }>>(url, '/api/v1/flows', token), 'list flows')
  for (const flow of flows) {
    const triggers = await ok(
      api<Array<{ id: string; kind: string; config: { channel?: string } }>>(
        url,
        `/api/v1/flows/${flow.id}/triggers`,
        token,
      ),
      'list triggers',
    )
    for (const t of triggers.filter((t) => t.kind === 'channel-entry' && t.config.channel === 'webchat'))
      await ok(api(url, `/api/v1/flows/${flow.id}/triggers/${t.id}`, token, { method: 'DELETE' }), 'remove trigger')
  }
  const flow = await ok(
    api<{ id: string }>(url, '/api/v1/flows/import', token, {
      method: 'POST',
      body: { flow: triageFlow(), publish: true },
    }),
    'import the triage flow',
  )
  await ok(
    api(url, `/api/v1/flows/${flow.id}/triggers`, token, {
      method: 'POST',
      body: { kind: 'channel-entry', config: { channel: 'webchat' } },
    }),
    'add the web chat trigger',
  )
}

/**
 * Agents (users, with skills and levels), queues and their members and standby members, all
 * through the REST API of the instances in turn; the scenario's presence and capacity changes
 * come later, from the driver.
 */
export async function setUpRouting(cluster: CoreCluster, scenario: Scenario): Promise<RoutingFixture> {
  const urls = cluster.instances.map((i) => i.url)
  const adminToken = await login(urls[0]!, cluster.admin.email, cluster.admin.password)
  await useTriageFlow(urls[0]!, adminToken)

  const agents: RoutingFixture['agents'] = []
  for (const [i, plan] of scenario.agents.entries()) {
    const email = `rt-agent-${i}@routing.test`
    const url = urls[i % urls.length]!
    const user = await ok(
      api<{ id: string }>(url, '/api/v1/users', adminToken, {
        method: 'POST',
        body: { email, password: AGENT_PASSWORD, role: 'agent', name: `Agent ${i}` },
      }),
      'create an agent',
    )
    const skills = Object.entries(plan.skills)
      .filter(([, level]) => level > 0)
      .map(([skill, level]) => ({ skill, level }))
    await ok(
      api(url, `/api/v1/agents/${user.id}/skills`, adminToken, { method: 'PUT', body: { skills } }),
      'set skills',
    )
    agents.push({ id: user.id, email, token: await login(url, email, AGENT_PASSWORD) })
  }

  const queues: RoutingFixture['queues'] = []
  for (const [q, queue] of SCENARIO_QUEUES.entries()) {
    const url = urls[q % urls.length]!
    const created = await ok(
      api<{ id: string }>(url, '/api/v1/queues', adminToken, {
        method: 'POST',
        body: {
          name: queue.name,
          priority: queue.priority,
          agingPerMinute: queue.agingPerMinute,
          requiredSkills: queue.skills,
          overflowAfterSeconds: queue.overflowAfterSeconds,
        },
      }),
      'create a queue',
    )
    const members = scenario.agents.flatMap((plan, i) =>
      plan.membership[q] ? [{ userId: agents[i]!.id, standby: plan.membership[q] === 'standby' }] : [],
    )
    await ok(
      api(url, `/api/v1/queues/${created.id}/members`, adminToken, { method: 'PUT', body: { members } }),
      'set the members',
    )
    queues.push({ ...queue, id: created.id })
  }
  return { adminToken, agents, queues }
}
