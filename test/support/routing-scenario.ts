import fc from 'fast-check'
import type { Presence } from '../../core/src/routing/index.js'

/** The queues of the scenario: one without skills, one with a skill level, one with a standby pool. */
export const SCENARIO_QUEUES = [
  { key: 'q0', name: 'RT General', priority: 0, agingPerMinute: 1, skills: [], overflowAfterSeconds: null },
  {
    key: 'q1',
    name: 'RT Returns',
    priority: 3,
    agingPerMinute: 2,
    skills: [{ skill: 'returns', minLevel: 2 }],
    overflowAfterSeconds: null,
  },
  {
    key: 'q2',
    name: 'RT VIP',
    priority: 8,
    agingPerMinute: 0,
    skills: [{ skill: 'vip', minLevel: 1 }],
    overflowAfterSeconds: 2,
  },
] as const
export type ScenarioQueue = (typeof SCENARIO_QUEUES)[number]

export interface ScenarioAgent {
  skills: { returns: number; vip: number }
  /** per queue of SCENARIO_QUEUES: member, standby or neither */
  membership: Array<'member' | 'standby' | null>
  chatCapacity: number
}

/** One thing that happens; `via` picks the instance it happens on (modulo those alive). */
export type ScenarioStep =
  | { kind: 'arrive'; queue: number; priority: number; via: number }
  | { kind: 'presence'; agent: number; presence: Presence; via: number }
  | { kind: 'capacity'; agent: number; chat: number; via: number }
  | { kind: 'resolve'; pick: number; via: number }
  | { kind: 'pause'; ms: number }

export interface Scenario {
  seed: number
  agents: ScenarioAgent[]
  steps: ScenarioStep[]
  /** the step at which one instance is killed with SIGKILL, and which one */
  killAtStep: number
  victim: number
}

const presenceArb: fc.Arbitrary<Presence> = fc.oneof(
  { weight: 5, arbitrary: fc.constant('available' as const) },
  { weight: 2, arbitrary: fc.constant('away' as const) },
  { weight: 1, arbitrary: fc.constant('busy' as const) },
  { weight: 1, arbitrary: fc.constant('after-call-work' as const) },
)

const agentArb: fc.Arbitrary<ScenarioAgent> = fc.record({
  skills: fc.record({ returns: fc.integer({ min: 0, max: 5 }), vip: fc.integer({ min: 0, max: 3 }) }),
  membership: fc.tuple(
    ...SCENARIO_QUEUES.map(() =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constant('member' as const) },
        { weight: 1, arbitrary: fc.constant('standby' as const) },
        { weight: 2, arbitrary: fc.constant(null) },
      ),
    ),
  ),
  chatCapacity: fc.integer({ min: 1, max: 3 }),
})

const via = fc.nat({ max: 2 })
const stepArb = (agents: number): fc.Arbitrary<ScenarioStep> =>
  fc.oneof(
    {
      weight: 9,
      arbitrary: fc.record({
        kind: fc.constant('arrive' as const),
        queue: fc.nat({ max: SCENARIO_QUEUES.length - 1 }),
        priority: fc.integer({ min: 0, max: 9 }),
        via,
      }),
    },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('resolve' as const), pick: fc.nat(), via }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('presence' as const),
        agent: fc.nat({ max: agents - 1 }),
        presence: presenceArb,
        via,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('capacity' as const),
        agent: fc.nat({ max: agents - 1 }),
        chat: fc.integer({ min: 0, max: 4 }),
        via,
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 50, max: 400 }) }) },
  )

/**
 * A random routing scenario, the same for the same seed: agents with random skills, memberships
 * (member or standby) and capacities, then a sequence of arrivals with priorities, resolutions,
 * presence and capacity changes, each on some instance, and the moment one instance is killed.
 * fast-check generates it; it is not shrunk (a failing run names its seed, to run it again).
 */
export function generateScenario(seed: number, options: { steps: number; instances: number }): Scenario {
  const arb = fc.integer({ min: 4, max: 6 }).chain((n) =>
    fc.record({
      agents: fc.array(agentArb, { minLength: n, maxLength: n }),
      steps: fc.array(stepArb(n), { minLength: options.steps, maxLength: options.steps }),
      killAtStep: fc.integer({ min: Math.floor(options.steps * 0.4), max: Math.floor(options.steps * 0.6) }),
      victim: fc.nat({ max: options.instances - 1 }),
    }),
  )
  const [scenario] = fc.sample(arb, { seed, numRuns: 1 })
  // every queue has a member who can take its work, so that nothing waits for good
  SCENARIO_QUEUES.forEach((queue, q) => {
    const agent = scenario!.agents[q % scenario!.agents.length]!
    agent.membership[q] = 'member'
    for (const { skill, minLevel } of queue.skills)
      agent.skills[skill as 'returns' | 'vip'] = Math.max(agent.skills[skill as 'returns' | 'vip'], minLevel)
  })
  return { seed, ...scenario! }
}
