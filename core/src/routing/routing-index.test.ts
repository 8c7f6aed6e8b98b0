import { describe, expect, it } from 'vitest'
import { agent, conversation, minutes, now, queue } from './__tests__/routing-builders.js'
import { createRoutingIndex } from './routing-index.js'

const queues = [
  queue('sales', { agingPerMinute: 1 }),
  queue('vip', { priority: 10, requiredSkills: [{ skill: 'vip', minLevel: 2 }] }),
  queue('support', { overflowAfterMs: minutes(5), stickyWindowMs: minutes(60) }),
]

describe('createRoutingIndex', () => {
  it('answers which conversation an agent who becomes free takes: the first they are eligible for', () => {
    const index = createRoutingIndex({
      agents: [
        agent('a1', {
          queueIds: ['sales', 'vip'],
          standbyQueueIds: ['support'],
          capacity: { chat: 2, voice: 1 },
          load: { chat: 1 },
        }),
      ],
      queues,
      queued: [
        conversation('sales-old', { queuedAt: now - minutes(3) }),
        conversation('vip', { queueId: 'vip' }), // a1 lacks the vip skill
        conversation('support-overflowed', { queueId: 'support', queuedAt: now - minutes(6), priority: 4 }),
        conversation('support-new', { queueId: 'support', priority: 9 }), // not overflowed: standby may not take it
        conversation('call', { media: 'voice', queuedAt: now - minutes(2) }),
      ],
    })
    expect(index.conversationForAgent('a1', now)).toEqual({
      conversationId: 'support-overflowed',
      agentId: 'a1',
      reason: 'overflow',
    })
    index.upsertAgent(agent('a1', { queueIds: ['sales', 'vip'], load: { voice: 1 } }))
    expect(index.conversationForAgent('a1', now)).toMatchObject({ conversationId: 'sales-old', reason: 'skill' })
    index.upsertAgent(agent('a1', { queueIds: ['sales', 'vip'], presence: 'away' }))
    expect(index.conversationForAgent('a1', now)).toBeUndefined()
    expect(index.conversationForAgent('nobody', now)).toBeUndefined()
  })

  it('answers which agent a conversation that arrives goes to', () => {
    const index = createRoutingIndex({
      agents: [
        agent('full', { queueIds: ['support'], load: { chat: 1 }, idleSince: now - minutes(30) }),
        agent('member', { queueIds: ['support'], idleSince: now - minutes(2) }),
        agent('member-idle', { queueIds: ['support'], idleSince: now - minutes(9) }),
        agent('previous', { queueIds: ['support'] }),
      ],
      queues,
      queued: [],
    })
    index.addConversation(conversation('c1', { queueId: 'support' }))
    expect(index.agentForConversation('c1', now)).toEqual({
      conversationId: 'c1',
      agentId: 'member-idle',
      reason: 'skill',
    })
    index.addConversation(
      conversation('c2', { queueId: 'support', previousAgentId: 'previous', lastHandledAt: now - minutes(59) }),
    )
    expect(index.agentForConversation('c2', now)).toMatchObject({ agentId: 'previous', reason: 'sticky' })
    expect(index.agentForConversation('unknown', now)).toBeUndefined()
  })

  it('records an assignment: the conversation leaves, the agent holds one more and is idle since now', () => {
    const index = createRoutingIndex({
      agents: [agent('a1', { capacity: { chat: 2 } })],
      queues,
      queued: [conversation('c1'), conversation('c2', { queuedAt: now })],
    })
    const decision = index.conversationForAgent('a1', now)!
    expect(decision.conversationId).toBe('c1')
    index.recordAssignment(decision, now)
    const { agents, queued } = index.snapshot(now)
    expect(agents[0]).toMatchObject({ load: { chat: 1 }, idleSince: now })
    expect(queued.map((c) => c.id)).toEqual(['c2'])
    expect(index.conversationForAgent('a1', now)?.conversationId).toBe('c2')
    expect(() => index.recordAssignment(decision, now)).toThrow(/not waiting/)
    expect(() => index.recordAssignment({ ...decision, agentId: 'ghost' }, now)).toThrow(/unknown agent/)
  })

  it('forgets agents and conversations that leave, and refuses a conversation already waiting', () => {
    const index = createRoutingIndex({ agents: [agent('a1')], queues, queued: [conversation('c1')] })
    expect(() => index.addConversation(conversation('c1'))).toThrow(/already waiting/)
    expect(index.removeConversation('c1')).toBe(true)
    expect(index.removeConversation('c1')).toBe(false)
    index.addConversation(conversation('c1'))
    expect(index.removeAgent('a1')).toBe(true)
    expect(index.agentForConversation('c1', now)).toBeUndefined()
    expect(index.plan(now)).toEqual({ assignments: [], waiting: ['c1'] })
  })

  it('keeps its own copies: changing what it was given changes nothing inside', () => {
    const given = agent('a1', { capacity: { chat: 1 } })
    const index = createRoutingIndex({ agents: [given], queues, queued: [conversation('c1')] })
    given.capacity.chat = 0
    given.presence = 'away'
    expect(index.agentForConversation('c1', now)?.agentId).toBe('a1')
  })

  it('gives a conversation’s place in line among its queue’s conversations of the same kind', () => {
    const index = createRoutingIndex({
      agents: [],
      queues,
      queued: [
        conversation('first', { queuedAt: now - minutes(8) }),
        conversation('vip-boosted', { priority: 10, queuedAt: now - minutes(1) }),
        conversation('last', { queuedAt: now }),
        conversation('call', { media: 'voice', queuedAt: now }),
      ],
    })
    expect(['vip-boosted', 'first', 'last', 'call'].map((id) => index.positionOf(id, now))).toEqual([1, 2, 3, 1])
    // aging: after 3 more minutes the vip conversation has still more points (10 + 4 vs 11)
    expect(index.positionOf('first', now + minutes(3))).toBe(2)
    expect(index.positionOf('nope', now)).toBeUndefined()
  })

  it('tells when the next conversation overflows', () => {
    const index = createRoutingIndex({
      agents: [],
      queues,
      queued: [
        conversation('overflowed', { queueId: 'support', queuedAt: now - minutes(7) }),
        conversation('soon', { queueId: 'support', queuedAt: now - minutes(4) }),
        conversation('no-overflow', { queuedAt: now - minutes(4.5) }),
      ],
    })
    expect(index.nextOverflowAt(now)).toBe(now + minutes(1))
    expect(index.nextOverflowAt(now + minutes(1))).toBeUndefined()
  })
})
