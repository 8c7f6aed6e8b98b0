import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../test/support/test-app.js'
import { systemActor } from '../audit/index.js'
import type { TicketChange } from './index.js'

const actor = systemActor('test')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * onChange listeners are awaited after every committed change, before the caller gets its answer
 * (the SLA clocks depend on it); a failing listener is logged and does not fail the change.
 */
describe('tickets: onChange listeners', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t?.close())

  it('awaits each listener after the commit, with the row before and after', async () => {
    const seen: Array<{ kind: string; status: string; before: string | null; committed: boolean }> = []
    const off = t.app.services.tickets.onChange(async (change: TicketChange) => {
      // slow on purpose: the caller must not get its answer before this is done
      await sleep(60)
      const stored = await t.app.db.ticket.findUnique({ where: { id: change.ticket.id } })
      seen.push({
        kind: change.kind,
        status: change.ticket.status,
        before: change.before?.status ?? null,
        committed: stored?.version === change.ticket.version,
      })
    })
    const created = await t.app.services.tickets.create(actor, { subject: 'Parcel lost' })
    expect(seen).toEqual([{ kind: 'created', status: 'open', before: null, committed: true }])

    await t.app.services.tickets.update(actor, created.id, { status: 'resolved' })
    expect(seen.at(-1)).toEqual({ kind: 'updated', status: 'resolved', before: 'open', committed: true })

    await t.app.services.tickets.reopen(actor, created.id, 'the customer wrote again')
    expect(seen.at(-1)).toEqual({ kind: 'reopened', status: 'open', before: 'resolved', committed: true })

    await t.app.services.tickets.escalate(actor, created.id, { reason: 'needs billing', trigger: 'manual' })
    expect(seen.at(-1)).toMatchObject({ kind: 'escalated', status: 'open' })
    expect(seen).toHaveLength(4)
    off()
    await t.app.services.tickets.update(actor, created.id, { priority: 'high' })
    expect(seen).toHaveLength(4)
  })

  it('logs a failing listener and still answers; the change stays committed and the next listener runs', async () => {
    const after: number[] = []
    const offFailing = t.app.services.tickets.onChange(async () => {
      throw new Error('listener broke')
    })
    const offNext = t.app.services.tickets.onChange(async (change) => {
      after.push(change.ticket.id)
    })
    const created = await t.app.services.tickets.create(actor, { subject: 'Wrong colour' })
    expect(after).toEqual([created.id])
    expect(await t.app.db.ticket.findUnique({ where: { id: created.id } })).not.toBeNull()
    offFailing()
    offNext()
  })

  it('writes every timestamp from the clock and orders same-time history by its sequence', async () => {
    const created = await t.app.services.tickets.create(actor, { subject: 'Timing' })
    await t.app.services.tickets.addNote(actor, created.id, { body: 'first' })
    await t.app.services.tickets.addEvent(created.id, { kind: 'sla.warning', actorName: 'SLA', data: { metric: 'x' } })
    await t.app.services.tickets.addNote(actor, created.id, { body: 'second' })
    const history = await t.app.services.tickets.history(created.id)
    expect(history.map((h) => h.kind)).toEqual(['created', 'note', 'sla.warning', 'note'])
    expect(history.map((h) => h.seq)).toEqual([1, 2, 3, 4])
    expect(history[3]!.note?.body).toBe('second')
    expect(history[2]).toMatchObject({ actorName: 'SLA', data: { metric: 'x' } })
  })

  it('gives events written at the same time distinct sequence numbers, and leaves updatedAt alone', async () => {
    const created = await t.app.services.tickets.create(actor, { subject: 'Busy' })
    const before = await t.app.db.ticket.findUniqueOrThrow({ where: { id: created.id } })
    await Promise.all([
      ...Array.from({ length: 6 }, (_, i) =>
        t.app.services.tickets.addEvent(created.id, { kind: 'sla.warning', actorName: 'SLA', data: { n: i } }),
      ),
      t.app.services.tickets.addNote(actor, created.id, { body: 'at the same time' }),
    ])
    const seqs = (await t.app.services.tickets.history(created.id)).map((h) => h.seq)
    expect(seqs).toHaveLength(8)
    expect(new Set(seqs).size).toBe(8)
    expect([...seqs].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    const after = await t.app.db.ticket.findUniqueOrThrow({ where: { id: created.id } })
    expect(after.version).toBe(before.version)
  })
})
