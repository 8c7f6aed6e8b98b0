// fast-check generators for routing states: few agents, queues, skills and kinds of work, so that collisions
// (ties, shared skills, full agents, sticky and standby cases) are frequent.
import fc from 'fast-check'
import type {
  MediaKind,
  Presence,
  QueuedConversation,
  RoutingAgent,
  RoutingInput,
  RoutingQueue,
  SkillRequirement,
} from '../routing-types.js'

export const baseNow = 1_800_000_000_000
export const skillNames = ['returns', 'billing', 'english', 'constructor'] as const
export const queueIds = ['q0', 'q1', 'q2'] as const
const media: MediaKind[] = ['chat', 'voice', 'email']

export const presenceArb: fc.Arbitrary<Presence> = fc.constantFrom(
  'available',
  'available',
  'available',
  'away',
  'busy',
  'after-call-work',
)
export const mediaArb: fc.Arbitrary<MediaKind> = fc.constantFrom(...media)

const requirementsArb: fc.Arbitrary<SkillRequirement[]> = fc
  .subarray([...skillNames], { maxLength: 2 })
  .chain((skills) =>
    fc.tuple(...skills.map((skill) => fc.integer({ min: 1, max: 4 }).map((minLevel) => ({ skill, minLevel })))),
  )

const queueArb = (id: string): fc.Arbitrary<RoutingQueue> =>
  fc.record({
    id: fc.constant(id),
    priority: fc.integer({ min: 0, max: 5 }),
    requiredSkills: fc.oneof(fc.constant<SkillRequirement[]>([]), fc.constant<SkillRequirement[]>([]), requirementsArb),
    agingPerMinute: fc.constantFrom(0, 0.5, 1, 2, -1),
    overflowAfterMs: fc.option(fc.constantFrom(0, 60_000, 300_000), { nil: undefined }),
    stickyWindowMs: fc.option(fc.constantFrom(0, 600_000, 3_600_000), { nil: undefined, freq: 4 }),
  })

export const queuesArb: fc.Arbitrary<RoutingQueue[]> = fc.tuple(...queueIds.map(queueArb))

// every kind usually present (a kind not listed means capacity 0)
const capacityArb = fc
  .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 2 }), fc.nat(9))
  .map(([chat, voice, email, omit]) => {
    const capacity: Partial<Record<MediaKind, number>> = { chat, voice: voice || 1, email }
    if (omit < 3) delete capacity[media[omit]!]
    return capacity
  })

export function agentArb(id: string, now = baseNow): fc.Arbitrary<RoutingAgent> {
  return fc
    .record({
      presence: presenceArb,
      skills: fc.dictionary(fc.constantFrom(...skillNames), fc.integer({ min: 1, max: 5 }), { minKeys: 1, maxKeys: 4 }),
      queueIds: fc.subarray([...queueIds, 'qx'], { minLength: 1 }),
      standbyQueueIds: fc.option(fc.subarray([...queueIds]), { nil: undefined }),
      capacity: capacityArb,
      loadShare: fc.tuple(fc.nat(2), fc.nat(1), fc.nat(1)),
      idleSince: fc.integer({ min: now - 3_600_000, max: now }),
    })
    .map(({ loadShare, ...agent }) => {
      const load: Partial<Record<MediaKind, number>> = {}
      media.forEach((m, i) => {
        const cap = agent.capacity[m]
        if (cap !== undefined) load[m] = Math.min(cap, loadShare[i]!)
      })
      return { id, ...agent, load }
    })
}

export function conversationArb(
  id: string,
  agentIds: readonly string[],
  now = baseNow,
): fc.Arbitrary<QueuedConversation> {
  return fc.record({
    id: fc.constant(id),
    queueId: fc.constantFrom(...queueIds, 'q0', 'qx'),
    media: mediaArb,
    priority: fc.constantFrom(0, 0, 0, 1, 5, 10),
    requiredSkills: fc.oneof(
      fc.constant(undefined),
      fc.constant(undefined),
      fc.constant<SkillRequirement[]>([]),
      requirementsArb,
    ),
    // few distinct times, so ties on arrival happen
    queuedAt: fc.integer({ min: 0, max: 20 }).map((m) => now - m * 60_000),
    previousAgentId: fc.option(fc.constantFrom(...agentIds, 'gone'), { nil: undefined, freq: 3 }),
    lastHandledAt: fc.option(fc.integer({ min: now - 5_400_000, max: now }), { nil: undefined, freq: 4 }),
  })
}

export const agentIdsOf = (n: number) => Array.from({ length: n }, (_, i) => `a${i}`)

/** A whole routing state at `baseNow`. */
export const routingInputArb: fc.Arbitrary<RoutingInput> = fc
  .record({ agentCount: fc.integer({ min: 0, max: 7 }), conversationCount: fc.integer({ min: 0, max: 14 }) })
  .chain(({ agentCount, conversationCount }) => {
    const ids = agentIdsOf(agentCount)
    return fc.record({
      agents: fc.tuple(...ids.map((id) => agentArb(id))),
      queues: queuesArb,
      queued: fc.tuple(...Array.from({ length: conversationCount }, (_, i) => conversationArb(`c${i}`, ids))),
      now: fc.constant(baseNow),
    })
  })

/** States where sticky routing is in play for most conversations: windows set, previous agents known and recent. */
export const stickyInputArb: fc.Arbitrary<RoutingInput> = fc
  .tuple(routingInputArb, fc.array(fc.nat(), { minLength: 14, maxLength: 14 }))
  .map(([input, picks]) => ({
    ...input,
    queues: input.queues.map((q) => ({ ...q, stickyWindowMs: q.stickyWindowMs ?? 1_800_000 })),
    queued: input.queued.map((c, i) => ({
      ...c,
      previousAgentId: input.agents.length ? input.agents[picks[i]! % input.agents.length]!.id : c.previousAgentId,
      lastHandledAt: input.now - (picks[i]! % 40) * 60_000,
    })),
  }))
