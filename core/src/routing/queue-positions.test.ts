import { describe, expect, it } from 'vitest'
import { agent, conversation, minutes, now, queue } from './__tests__/routing-builders.js'
import { applyPlan } from './apply-plan.js'
import { nextOverflowAt } from './next-overflow-at.js'
import { planAssignments } from './plan-assignments.js'
import { queuePositions } from './queue-positions.js'

describe('queuePositions', () => {
  it('numbers each queue’s conversations of one kind by serving order, in input order', () => {
    const queues = [queue('sales', { agingPerMinute: 2 }), queue('vip', { priority: 10 })]
    const queued = [
      conversation('new', { queuedAt: now }),
      conversation('vip-contact', { priority: 5, queuedAt: now - minutes(1) }),
      conversation('old', { queuedAt: now - minutes(4) }),
      conversation('vip-queue', { queueId: 'vip' }),
      conversation('call', { media: 'voice' }),
    ]
    const positions = queuePositions({ queues, queued, now })
    // sales ages 2 points a minute: 'old' (4 minutes: 8) has overtaken the VIP contact (5 + 2)
    expect(positions.map((p) => [p.conversationId, p.position, p.effectivePriority])).toEqual([
      ['new', 3, 0],
      ['vip-contact', 2, 7],
      ['old', 1, 8],
      ['vip-queue', 1, 10],
      ['call', 1, 2],
    ])
  })
})

describe('nextOverflowAt', () => {
  it('is the earliest moment after now a waiting conversation reaches its queue’s overflow threshold', () => {
    const queues = [queue('sales', { overflowAfterMs: minutes(5) }), queue('vip', { overflowAfterMs: minutes(1) })]
    const queued = [
      conversation('due-in-2', { queuedAt: now - minutes(3) }),
      conversation('overflowed', { queuedAt: now - minutes(6) }),
      conversation('vip-due-in-1', { queueId: 'vip', queuedAt: now }),
    ]
    expect(nextOverflowAt({ queues, queued, now })).toBe(now + minutes(1))
    expect(nextOverflowAt({ queues, queued: queued.slice(0, 2), now })).toBe(now + minutes(2))
    expect(nextOverflowAt({ queues: [], queued, now })).toBeUndefined()
  })
})

describe('applyPlan', () => {
  it('takes assigned conversations out and adds them to their agents’ loads, leaving the input unchanged', () => {
    const input = {
      agents: [
        agent('a1', { capacity: { chat: 2, voice: 1 }, idleSince: now - minutes(10) }),
        agent('a2', { presence: 'away' }),
      ],
      queues: [queue('sales')],
      queued: [conversation('c1'), conversation('v1', { media: 'voice' }), conversation('c2'), conversation('c3')],
      now,
    }
    const before = structuredClone(input)
    const next = applyPlan(input, planAssignments(input))
    expect(next.queued.map((c) => c.id)).toEqual(['c3'])
    expect(next.agents[0]).toMatchObject({ load: { chat: 2, voice: 1 }, idleSince: now })
    expect(next.agents[1]).toBe(input.agents[1])
    expect(input).toEqual(before)
  })
})
