import { describe, expect, it } from 'vitest'
import { agent, conversation, minutes, now, queue } from './__tests__/routing-builders.js'
import { estimateWait } from './estimate-wait.js'
import { averageHandleTimes, defaultHandleMs } from './handle-times.js'

const queues = [queue('sales'), queue('support')]
const waitingChats = ['c1', 'c2', 'c3'].map((id, i) => conversation(id, { queuedAt: now - minutes(3 - i) }))
const recentHandleTimes = [
  { queueId: 'sales', media: 'chat' as const, handleMs: minutes(4) },
  { queueId: 'sales', media: 'chat' as const, handleMs: minutes(6) },
]
const fullAgent = (id: string) => agent(id, { capacity: { chat: 2 }, load: { chat: 2 } })

describe('estimateWait', () => {
  it('expects slots to free up at serving slots ÷ average handle time, one per conversation ahead and its own', () => {
    const estimates = estimateWait({
      agents: [fullAgent('a1'), fullAgent('a2'), agent('away', { presence: 'away', capacity: { chat: 5 } })],
      queues,
      queued: waitingChats,
      now,
      recentHandleTimes,
    })
    // 4 slots, 5 minutes each: one frees every 75 s
    expect(estimates.map((e) => [e.position, e.estimatedWaitMs])).toEqual([
      [1, 75_000],
      [2, 150_000],
      [3, 225_000],
    ])
    expect(estimates[0]).toMatchObject({ averageHandleMs: minutes(5), servingSlots: 4, freeSlots: 0 })
  })

  it('counts free slots as served at once, and agents in after-call work as serving', () => {
    const estimates = estimateWait({
      agents: [agent('free', { capacity: { chat: 2 }, load: { chat: 1 } }), fullAgent('a2')],
      queues,
      queued: waitingChats,
      now,
      recentHandleTimes,
    })
    expect(estimates.map((e) => e.estimatedWaitMs)).toEqual([0, 75_000, 150_000])
    const wrapping = estimateWait({
      agents: [{ ...fullAgent('a1'), presence: 'after-call-work' }],
      queues,
      queued: waitingChats.slice(0, 1),
      now,
      recentHandleTimes,
    })
    expect(wrapping[0]!.estimatedWaitMs).toBe(150_000)
  })

  it('shares an agent between the queues they serve that have work of the kind waiting', () => {
    const estimates = estimateWait({
      agents: [{ ...fullAgent('both'), queueIds: ['sales', 'support'] }],
      queues,
      queued: [conversation('s1'), conversation('t1', { queueId: 'support' })],
      now,
      recentHandleTimes,
    })
    expect(estimates.map((e) => e.servingSlots)).toEqual([1, 1])
    // support has no recent chats of its own: the chat average across queues is used
    expect(estimates.map((e) => e.estimatedWaitMs)).toEqual([minutes(5), minutes(5)])
  })

  it('leaves out agents without the queue’s skills, and says null when nobody serving the queue is at work', () => {
    const skilled = [queue('sales', { requiredSkills: [{ skill: 'returns', minLevel: 2 }] })]
    const estimates = estimateWait({
      agents: [fullAgent('unskilled'), agent('away', { presence: 'away', skills: { returns: 5 } })],
      queues: skilled,
      queued: waitingChats,
      now,
      recentHandleTimes,
    })
    expect(estimates.map((e) => e.estimatedWaitMs)).toEqual([null, null, null])
  })
})

describe('averageHandleTimes', () => {
  it('uses the queue and kind, then the kind, then the given default, then the built-in default', () => {
    const average = averageHandleTimes([...recentHandleTimes, { queueId: 'sales', media: 'voice', handleMs: -5 }], {
      email: minutes(20),
    })
    expect(average('sales', 'chat')).toBe(minutes(5))
    expect(average('other', 'chat')).toBe(minutes(5))
    expect(average('sales', 'email')).toBe(minutes(20))
    expect(average('sales', 'voice')).toBe(defaultHandleMs.voice)
  })
})
