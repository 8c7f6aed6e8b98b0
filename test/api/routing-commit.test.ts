import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import type { Infra, LockManager } from '../../core/src/infra/index.js'
import { createRoutingService } from '../../core/src/routing/index.js'
import { commitAssignment } from '../../core/src/routing/commit-assignment.js'
import type { Db } from '../../core/src/storage/index.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')

/** Locks that are always granted: as if each holder's lock had lapsed (a stalled instance). */
const lapsedLocks: LockManager = {
  acquire: async (name) => ({ name, release: async () => true, extend: async () => true }),
  withLock: async (_name, _options, fn) => fn(),
  close: async () => {},
}

/**
 * Each assignment is written only if it still holds at that moment, whatever the snapshot the
 * plan came from: the agent still available and below capacity, the conversation still queued.
 * The cluster-wide pass lock keeps passes from wasting work on each other; these promises do not
 * depend on it.
 */
describe('routing: an assignment is committed only while it still holds', () => {
  let t: TestApp
  let queueId: string
  let contactId: string
  let agentId: string

  const queue = async (priority = 0) =>
    t.app.db.conversation.create({
      data: { contactId, channel: 'webchat', status: 'queued', queueId, priority, queuedAt: new Date() },
    })
  const holding = () => t.app.db.conversation.count({ where: { assigneeId: agentId, status: 'assigned' } })

  beforeAll(async () => {
    t = await createTestApp()
    queueId = (await t.app.db.queue.create({ data: { name: 'Commit checks' } })).id
    contactId = (await t.app.services.contacts.create({ name: 'Zhao' })).id
  }, 60_000)
  afterAll(() => t?.close())

  beforeEach(async () => {
    await t.app.db.conversation.updateMany({
      where: { status: { in: ['queued', 'assigned'] } },
      data: { status: 'resolved', assigneeId: null },
    })
    // one agent per test, the queue's only member
    await t.app.db.queueMember.deleteMany({ where: { queueId } })
    agentId = (await t.tokenFor('agent')).userId
    await t.app.db.queueMember.create({ data: { queueId, userId: agentId } })
    await t.app.services.routing.setCapacity(actor, agentId, { chat: 3 })
    await t.app.services.routing.setPresence(actor, agentId, { presence: 'available' })
  })

  it('refuses an agent who went away or is full and a conversation no longer queued; otherwise assigns at the commit', async () => {
    const first = await queue()
    await t.app.services.routing.setPresence(actor, agentId, { presence: 'away' })
    expect(await commitAssignment(t.app.db, { conversationId: first.id, agentId, reason: 'skill' })).toEqual({
      refused: 'agent-unavailable',
    })
    await t.app.services.routing.setPresence(actor, agentId, { presence: 'available' })
    const before = Date.now()
    const made = await commitAssignment(t.app.db, { conversationId: first.id, agentId, reason: 'skill' })
    expect(made).toMatchObject({ conversation: { id: first.id, status: 'assigned', assigneeId: agentId } })
    const assignedAt = 'conversation' in made ? made.conversation.assignedAt!.getTime() : 0
    expect(assignedAt).toBeGreaterThanOrEqual(before)
    expect((await t.app.db.agentState.findUniqueOrThrow({ where: { userId: agentId } })).idleSince.getTime()).toBe(
      assignedAt,
    )
    expect(await commitAssignment(t.app.db, { conversationId: first.id, agentId, reason: 'skill' })).toEqual({
      refused: 'conversation-taken',
    })
    await t.app.services.routing.setCapacity(actor, agentId, { chat: 1 })
    const second = await queue()
    expect(await commitAssignment(t.app.db, { conversationId: second.id, agentId, reason: 'skill' })).toEqual({
      refused: 'agent-full',
    })
    expect((await t.app.db.conversation.findUniqueOrThrow({ where: { id: second.id } })).status).toBe('queued')
  })

  it('commits racing for one agent never take them over capacity', async () => {
    const waiting = await Promise.all(Array.from({ length: 8 }, () => queue()))
    const outcomes = await Promise.all(
      waiting.map((c) => commitAssignment(t.app.db, { conversationId: c.id, agentId, reason: 'skill' })),
    )
    expect(outcomes.filter((o) => 'conversation' in o)).toHaveLength(3)
    expect(outcomes.filter((o) => 'refused' in o && o.refused === 'agent-full')).toHaveLength(5)
    expect(await holding()).toBe(3)
  })

  it('a pass deciding from an out-of-date snapshot, beside another pass (a lapsed lock), does not overfill', async () => {
    // three chats wait; the stale pass plans all three for the agent, then stalls before writing
    const older = await Promise.all([queue(), queue(), queue()])
    let release!: () => void
    const stalled = new Promise<void>((resolve) => (release = resolve))
    let reachedCommit!: () => void
    const atCommit = new Promise<void>((resolve) => (reachedCommit = resolve))
    const stalledDb = new Proxy(t.app.db, {
      get(target, key, receiver) {
        if (key !== '$transaction') return Reflect.get(target, key, receiver)
        return async (...args: unknown[]) => {
          reachedCommit()
          await stalled
          return (target.$transaction as (...a: unknown[]) => Promise<unknown>)(...args)
        }
      },
    }) as Db
    const infra: Infra = { ...t.app.infra, locks: lapsedLocks }
    const deps = { infra, audit: t.app.services.audit, logger: t.app.logger }
    const slow = createRoutingService({ ...deps, db: stalledDb })
    const quick = createRoutingService({ ...deps, db: t.app.db })
    const slowPass = slow.assign()
    await atCommit
    // meanwhile a VIP arrives and the other pass fills the agent with it and two of the older ones
    const vip = await queue(50)
    expect(await quick.assign()).toBe(3)
    release()
    expect(await slowPass).toBe(0)
    expect(await holding()).toBe(3)
    expect((await t.app.db.conversation.findUniqueOrThrow({ where: { id: vip.id } })).assigneeId).toBe(agentId)
    const left = await t.app.db.conversation.findMany({
      where: { id: { in: older.map((c) => c.id) }, status: 'queued' },
    })
    expect(left).toHaveLength(1)
    await Promise.all([slow.stop(), quick.stop()])
  })
})
