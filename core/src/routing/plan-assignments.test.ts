import { describe, expect, it } from 'vitest'
import { agent, conversation, minutes, now, queue } from './__tests__/routing-builders.js'
import { planAssignments } from './plan-assignments.js'
import type { QueuedConversation, RoutingAgent, RoutingQueue } from './routing-types.js'

const sales = queue('sales')

function plan(agents: RoutingAgent[], queued: QueuedConversation[], queues: RoutingQueue[] = [sales], at = now) {
  return planAssignments({ agents, queues, queued, now: at })
}

describe('planAssignments', () => {
  describe('skills and levels', () => {
    it('gives work only to agents who meet every required skill at its least level', () => {
      const returns = queue('sales', { requiredSkills: [{ skill: 'returns', minLevel: 3 }] })
      const result = plan(
        [agent('novice', { skills: { returns: 2 } }), agent('none'), agent('expert', { skills: { returns: 3 } })],
        [conversation('c1'), conversation('c2')],
        [returns],
      )
      expect(result.assignments).toEqual([{ conversationId: 'c1', agentId: 'expert', reason: 'skill' }])
      expect(result.waiting).toEqual(['c2'])
    })

    it("adds the conversation's own requirements to the queue's, the higher level winning", () => {
      const returns = queue('sales', { requiredSkills: [{ skill: 'returns', minLevel: 2 }] })
      const english = {
        requiredSkills: [
          { skill: 'english', minLevel: 1 },
          { skill: 'returns', minLevel: 4 },
        ],
      }
      const result = plan(
        [
          agent('returns-only', { skills: { returns: 5 } }),
          agent('english-weak', { skills: { returns: 3, english: 2 } }),
          agent('both', { skills: { returns: 4, english: 1 } }),
        ],
        [conversation('c1', english)],
        [returns],
      )
      expect(result.assignments).toEqual([{ conversationId: 'c1', agentId: 'both', reason: 'skill' }])
    })

    it('prefers the better match (higher levels in the required skills) over the longer idle', () => {
      const billing = queue('sales', { requiredSkills: [{ skill: 'billing', minLevel: 1 }] })
      const result = plan(
        [
          agent('idle-long', { skills: { billing: 2 }, idleSince: now - minutes(30) }),
          agent('expert', { skills: { billing: 5 }, idleSince: now - minutes(1) }),
        ],
        [conversation('c1')],
        [billing],
      )
      expect(result.assignments[0]!.agentId).toBe('expert')
    })

    it('does not let a skill named like an Object property match an agent without it', () => {
      const odd = queue('sales', { requiredSkills: [{ skill: 'constructor', minLevel: 1 }] })
      expect(plan([agent('a1')], [conversation('c1')], [odd]).assignments).toEqual([])
    })
  })

  describe('priority and aging', () => {
    it('serves the higher effective priority first: queue priority plus the conversation’s own', () => {
      const queues = [queue('sales', { priority: 1 }), queue('vip', { priority: 10 })]
      const result = plan(
        [agent('a1', { queueIds: ['sales', 'vip'] })],
        [conversation('old-sales', { queuedAt: now - minutes(10) }), conversation('new-vip', { queueId: 'vip' })],
        queues,
      )
      expect(result.assignments.map((a) => a.conversationId)).toEqual(['new-vip'])
    })

    it('lets wait-time aging overtake a higher base priority after enough minutes', () => {
      // aging 1 point a minute: a conversation 5 points lower overtakes after more than 5 minutes of extra wait
      const aging = queue('sales', { agingPerMinute: 1 })
      const high = conversation('high', { priority: 5, queuedAt: now - minutes(1) })
      const fourMinutesMore = conversation('waited', { priority: 0, queuedAt: now - minutes(5) })
      const sixMinutesMore = conversation('waited', { priority: 0, queuedAt: now - minutes(7) })
      expect(plan([agent('a1')], [high, fourMinutesMore], [aging]).assignments[0]!.conversationId).toBe('high')
      expect(plan([agent('a1')], [high, sixMinutesMore], [aging]).assignments[0]!.conversationId).toBe('waited')
    })

    it('breaks equal effective priority by earlier arrival, then by id', () => {
      const result = plan(
        [agent('a1'), agent('a2', { idleSince: now - minutes(2) })],
        [
          conversation('b', { queuedAt: now - minutes(3) }),
          conversation('a', { queuedAt: now - minutes(3) }),
          conversation('early', { queuedAt: now - minutes(4) }),
        ],
      )
      expect(result.assignments.map((a) => a.conversationId)).toEqual(['early', 'a'])
    })

    it('puts a VIP (a higher conversation priority) ahead of others in the same queue', () => {
      const result = plan(
        [agent('a1')],
        [conversation('regular', { queuedAt: now - minutes(9) }), conversation('vip', { priority: 10 })],
      )
      expect(result.assignments).toEqual([{ conversationId: 'vip', agentId: 'a1', reason: 'skill' }])
    })
  })

  describe('sticky routing', () => {
    const sticky = queue('sales', { stickyWindowMs: minutes(30) })
    const returning = (lastHandled: number) =>
      conversation('c1', { previousAgentId: 'previous', lastHandledAt: now - lastHandled })
    const agents = [
      agent('previous', { idleSince: now - minutes(1) }),
      agent('idle-long', { idleSince: now - minutes(20) }),
    ]

    it('goes to the previous agent within the window when they are eligible', () => {
      expect(plan(agents, [returning(minutes(29))], [sticky]).assignments).toEqual([
        { conversationId: 'c1', agentId: 'previous', reason: 'sticky' },
      ])
    })

    it('routes normally outside the window', () => {
      expect(plan(agents, [returning(minutes(31))], [sticky]).assignments[0]!.agentId).toBe('idle-long')
    })

    it('routes normally when the previous agent cannot take it now, or the queue has no window', () => {
      const busy = [agents[0]!, agents[1]!].map((a) => (a.id === 'previous' ? { ...a, presence: 'busy' as const } : a))
      expect(plan(busy, [returning(minutes(1))], [sticky]).assignments[0]).toMatchObject({ agentId: 'idle-long' })
      expect(plan(agents, [returning(minutes(1))], [sales]).assignments[0]).toMatchObject({ agentId: 'idle-long' })
    })

    it('wins over a better skill match', () => {
      const skilled = queue('sales', {
        stickyWindowMs: minutes(30),
        requiredSkills: [{ skill: 'product', minLevel: 1 }],
      })
      const result = plan(
        [agent('previous', { skills: { product: 1 } }), agent('expert', { skills: { product: 5 } })],
        [returning(minutes(5))],
        [skilled],
      )
      expect(result.assignments[0]).toMatchObject({ agentId: 'previous', reason: 'sticky' })
    })
  })

  describe('overflow to the standby pool', () => {
    const overflowing = queue('sales', { overflowAfterMs: minutes(5) })
    const standby = agent('standby', { queueIds: ['other'], standbyQueueIds: ['sales'], idleSince: now - minutes(50) })

    it('keeps standby agents out before the threshold', () => {
      const result = plan([standby], [conversation('c1', { queuedAt: now - minutes(4) })], [overflowing])
      expect(result).toEqual({ assignments: [], waiting: ['c1'] })
    })

    it('lets standby agents take it once it has waited the threshold', () => {
      const result = plan([standby], [conversation('c1', { queuedAt: now - minutes(5) })], [overflowing])
      expect(result.assignments).toEqual([{ conversationId: 'c1', agentId: 'standby', reason: 'overflow' }])
    })

    it('still prefers a member of the queue after the threshold', () => {
      const result = plan(
        [standby, agent('member')],
        [conversation('c1', { queuedAt: now - minutes(9) })],
        [overflowing],
      )
      expect(result.assignments[0]).toMatchObject({ agentId: 'member', reason: 'skill' })
    })

    it('never overflows a queue without a threshold', () => {
      const result = plan([standby], [conversation('c1', { queuedAt: now - minutes(90) })])
      expect(result.assignments).toEqual([])
    })
  })

  describe('presence', () => {
    it('gives new work only to available agents', () => {
      const agents = (['away', 'busy', 'after-call-work'] as const).map((presence) => agent(presence, { presence }))
      expect(plan(agents, [conversation('c1')]).assignments).toEqual([])
      expect(plan([...agents, agent('here')], [conversation('c1')]).assignments[0]!.agentId).toBe('here')
    })
  })

  describe('capacity per kind of work', () => {
    it('fills each agent up to their capacity for the kind, counting what they hold, and no further', () => {
      const result = plan(
        [agent('a1', { capacity: { chat: 3, voice: 1 }, load: { chat: 1 } })],
        [
          ...['c1', 'c2', 'c3'].map((id) => conversation(id)),
          conversation('v1', { media: 'voice' }),
          conversation('v2', { media: 'voice' }),
          conversation('e1', { media: 'email' }),
        ],
      )
      expect(result.assignments.map((a) => a.conversationId).sort()).toEqual(['c1', 'c2', 'v1'])
      expect(result.waiting).toEqual(['c3', 'v2', 'e1'])
    })

    it('does not count one kind against another: a full chat load leaves room for a call', () => {
      const result = plan(
        [agent('a1', { capacity: { chat: 2, voice: 1 }, load: { chat: 2 } })],
        [conversation('chat'), conversation('call', { media: 'voice' })],
      )
      expect(result.assignments).toEqual([{ conversationId: 'call', agentId: 'a1', reason: 'skill' }])
    })
  })

  describe('longest idle', () => {
    it('breaks an equal match by the longest idle agent, and spreads work as agents are given some', () => {
      const result = plan(
        [
          agent('recent', { capacity: { chat: 5 }, idleSince: now - minutes(1) }),
          agent('longest', { capacity: { chat: 5 }, idleSince: now - minutes(10) }),
          agent('middle', { capacity: { chat: 5 }, idleSince: now - minutes(5) }),
        ],
        ['c1', 'c2', 'c3', 'c4'].map((id, i) => conversation(id, { queuedAt: now - minutes(9 - i) })),
      )
      expect(result.assignments.map((a) => `${a.conversationId}→${a.agentId}`)).toEqual([
        'c1→longest',
        'c2→middle',
        'c3→recent',
        'c4→longest',
      ])
    })
  })

  describe('determinism and bookkeeping', () => {
    const input = {
      agents: [agent('a1', { capacity: { chat: 2 } }), agent('a2', { idleSince: now - minutes(3) })],
      queues: [sales],
      queued: ['c1', 'c2', 'c3', 'c4'].map((id) => conversation(id)),
      now,
    }

    it('gives the same plan for the same input and leaves the input unchanged', () => {
      const before = structuredClone(input)
      const first = planAssignments(input)
      expect(planAssignments(structuredClone(input))).toEqual(first)
      expect(input).toEqual(before)
    })

    it('reports every conversation it does not assign as waiting, in input order', () => {
      const result = planAssignments(input)
      expect(result.assignments).toHaveLength(3)
      expect(result.waiting).toEqual(['c4'])
    })

    it('routes a conversation of an unknown queue as a plain queue of that id', () => {
      const result = plan([agent('a1', { queueIds: ['gone'] })], [conversation('c1', { queueId: 'gone' })], [])
      expect(result.assignments).toEqual([{ conversationId: 'c1', agentId: 'a1', reason: 'skill' }])
    })

    it('refuses two conversations or two agents with the same id', () => {
      expect(() => plan([agent('a1')], [conversation('c1'), conversation('c1')])).toThrow(/already waiting/)
      expect(() => plan([agent('a1'), agent('a1')], [])).toThrow(/twice/)
    })
  })
})
