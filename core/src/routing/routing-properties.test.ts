import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkPlan } from './__tests__/plan-checks.js'
import { referencePlan, refServingOrder } from './__tests__/reference-plan.js'
import { routingInputArb, stickyInputArb } from './__tests__/routing-arbitraries.js'
import { planAssignments } from './plan-assignments.js'
import { queuePositions } from './queue-positions.js'
import { createRoutingIndex } from './routing-index.js'
import { nextOverflowAt } from './next-overflow-at.js'

// bounded so that the file runs in a few seconds on a busy 2-core machine
const runs = { numRuns: 300 }

describe('planAssignments (properties)', () => {
  it('keeps every promise: capacity, each conversation once, none lost, eligible agents, sticky, best match, priority', () => {
    fc.assert(
      fc.property(fc.oneof(routingInputArb, stickyInputArb), (input) => {
        checkPlan(input, planAssignments(input))
      }),
      runs,
    )
  })

  it('makes the same decisions, in the same order, as the naive statement of the rules', () => {
    fc.assert(
      fc.property(fc.oneof(routingInputArb, stickyInputArb), (input) => {
        expect(planAssignments(input)).toEqual(referencePlan(input))
      }),
      runs,
    )
  })

  it('is deterministic: the same input gives the same plan, whatever the order of agents and conversations', () => {
    fc.assert(
      fc.property(routingInputArb, fc.infiniteStream(fc.nat()), (input, noise) => {
        const before = structuredClone(input)
        const plan = planAssignments(input)
        expect(input).toEqual(before) // the input is not changed
        expect(planAssignments(structuredClone(input))).toEqual(plan)
        const shuffle = <T>(list: T[]) => list.map((x) => [noise.next().value, x] as const).sort((a, b) => a[0] - b[0])
        const shuffled = {
          ...input,
          agents: shuffle(input.agents).map(([, a]) => a),
          queued: shuffle(input.queued).map(([, c]) => c),
        }
        const other = planAssignments(shuffled)
        expect(other.assignments).toEqual(plan.assignments)
        expect(new Set(other.waiting)).toEqual(new Set(plan.waiting))
      }),
      { numRuns: 150 },
    )
  })
})

describe('queue positions and overflow times (properties)', () => {
  it('numbers each queue and kind 1…n in serving order, and the index agrees', () => {
    fc.assert(
      fc.property(routingInputArb, (input) => {
        const positions = queuePositions(input)
        const index = createRoutingIndex(input)
        const order = refServingOrder(input.queues, input.now)
        input.queued.forEach((c, i) => {
          const same = input.queued.filter((o) => o.queueId === c.queueId && o.media === c.media)
          const ahead = same.filter((o) => order(o, c) < 0).length
          expect(positions[i]).toMatchObject({ conversationId: c.id, position: ahead + 1 })
          expect(index.positionOf(c.id, input.now)).toBe(ahead + 1)
        })
      }),
      runs,
    )
  })

  it('finds the next overflow moment the same way with and without the index', () => {
    fc.assert(
      fc.property(routingInputArb, fc.integer({ min: 0, max: 600_000 }), (input, later) => {
        const now = input.now + later
        expect(createRoutingIndex(input).nextOverflowAt(now)).toBe(nextOverflowAt({ ...input, now }))
      }),
      runs,
    )
  })
})
