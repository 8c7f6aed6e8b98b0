import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkPlan } from './__tests__/plan-checks.js'
import { conversationArb, mediaArb, presenceArb, routingInputArb } from './__tests__/routing-arbitraries.js'
import { applyPlan } from './apply-plan.js'
import { planAssignments } from './plan-assignments.js'
import { createRoutingIndex, type RoutingIndex } from './routing-index.js'
import type { MediaKind, Presence, QueuedConversation, RoutingAgent, RoutingInput } from './routing-types.js'

type Step =
  | { kind: 'complete'; agent: number; media: MediaKind }
  | { kind: 'presence'; agent: number; presence: Presence }
  | { kind: 'arrive'; conversation: QueuedConversation }
  | { kind: 'leave'; pick: number }
  | { kind: 'advance'; ms: number }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('complete' as const), agent: fc.nat(), media: mediaArb }),
  fc.record({ kind: fc.constant('presence' as const), agent: fc.nat(), presence: presenceArb }),
  fc.record({ kind: fc.constant('arrive' as const), conversation: conversationArb('new', ['a0', 'a1', 'a2']) }),
  fc.record({ kind: fc.constant('leave' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 300_000 }) }),
)

// applies one change to the plain state and to the index alike; returns what changed
function applyStep(state: RoutingInput, index: RoutingIndex, step: Step, n: number) {
  const replaceAgent = (i: number, change: (a: RoutingAgent) => RoutingAgent) => {
    const agent = change(state.agents[i]!)
    state.agents = state.agents.map((a, j) => (j === i ? agent : a))
    index.upsertAgent(agent)
    return agent.id
  }
  switch (step.kind) {
    case 'complete': {
      if (state.agents.length === 0) return {}
      const i = step.agent % state.agents.length
      const agentId = replaceAgent(i, (a) => {
        const held = a.load[step.media] ?? 0
        return held > 0 ? { ...a, load: { ...a.load, [step.media]: held - 1 }, idleSince: state.now } : a
      })
      return { agentId }
    }
    case 'presence': {
      if (state.agents.length === 0) return {}
      const i = step.agent % state.agents.length
      const agentId = replaceAgent(i, (a) => ({
        ...a,
        presence: step.presence,
        idleSince: step.presence === 'available' && a.presence !== 'available' ? state.now : a.idleSince,
      }))
      return { agentId }
    }
    case 'arrive': {
      // arrival times: now, or up to 20 minutes ago for a conversation moved in from elsewhere
      const conversation = {
        ...step.conversation,
        id: `n${n}`,
        queuedAt: Math.min(step.conversation.queuedAt, state.now),
      }
      state.queued = [...state.queued, conversation]
      index.addConversation(conversation)
      return { conversationId: conversation.id }
    }
    case 'leave': {
      const gone = state.queued[step.pick % Math.max(1, state.queued.length)]
      if (gone) {
        state.queued = state.queued.filter((c) => c !== gone)
        expect(index.removeConversation(gone.id)).toBe(true)
      }
      return {}
    }
    case 'advance':
      state.now += step.ms
      return {}
  }
}

describe('routing over time (properties)', () => {
  it('plans, work done, presence changes, arrivals and time: promises kept, the index agrees with planAssignments', () => {
    fc.assert(
      fc.property(routingInputArb, fc.array(stepArb, { maxLength: 14 }), (initial, steps) => {
        const everAssigned = new Set<string>()
        const index = createRoutingIndex(initial)
        let state: RoutingInput = structuredClone(initial)
        const planAndApply = () => {
          const plan = planAssignments(state)
          checkPlan(state, plan)
          expect(index.plan(state.now)).toEqual(plan)
          for (const a of plan.assignments) {
            expect(everAssigned.has(a.conversationId)).toBe(false)
            everAssigned.add(a.conversationId)
            index.recordAssignment(a, state.now)
          }
          state = applyPlan(state, plan)
          return plan
        }
        planAndApply() // from here on, no waiting conversation has an eligible agent after each step's plan

        steps.forEach((step, n) => {
          const changed = applyStep(state, index, step, n)
          // the incremental questions, asked before the plan, as the runtime would
          const forAgent =
            changed.agentId === undefined ? undefined : index.conversationForAgent(changed.agentId, state.now)
          const forConversation =
            changed.conversationId === undefined
              ? undefined
              : index.agentForConversation(changed.conversationId, state.now)
          const plan = planAndApply()
          if (changed.agentId !== undefined) {
            // one agent changed: only they can take anything, and the plan's first decision is the incremental one
            for (const a of plan.assignments) expect(a.agentId).toBe(changed.agentId)
            expect(forAgent).toEqual(plan.assignments[0])
          }
          if (changed.conversationId !== undefined) {
            // one conversation arrived: only it can be assigned, to the agent the incremental decision names
            expect(plan.assignments.length).toBeLessThanOrEqual(1)
            expect(forConversation).toEqual(plan.assignments[0])
          }
          if (step.kind === 'leave') expect(plan.assignments).toEqual([])
        })

        const snapshot = index.snapshot(state.now)
        expect(new Set(snapshot.queued.map((c) => c.id))).toEqual(new Set(state.queued.map((c) => c.id)))
        for (const agent of state.agents) {
          const held = snapshot.agents.find((a) => a.id === agent.id)!
          expect({ load: held.load, idleSince: held.idleSince, presence: held.presence }).toEqual({
            load: agent.load,
            idleSince: agent.idleSince,
            presence: agent.presence,
          })
        }
      }),
      { numRuns: 120 },
    )
  })
})
