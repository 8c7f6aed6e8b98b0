import type { Actor } from '../audit/index.js'
import { businessTimeBetween } from '../calendar/index.js'
import type { Clock } from '../infra/index.js'
import type { Db } from '../storage/index.js'
import { UNFINISHED, type ClockEngine, type ClockRow } from './sla-clocks.js'
import { TARGET_OF, type SlaMetric } from './sla-dto.js'
import type { Policy, SlaPolicies } from './sla-policies.js'
import { OPEN_TICKET, ticketFacts, type TicketRow } from './sla-subjects.js'

/** What the tickets module hands its change listeners (TicketsService.onChange). */
export interface SlaTicketChange {
  kind: string
  ticket: TicketRow
  before: TicketRow | null
  actor: Actor
}

const RESPONSES: SlaMetric[] = ['first_response', 'next_response']

/**
 * A ticket's clocks follow its changes, in the request that made them (tickets.onChange):
 * - created: the first policy that matches applies; its first-response and resolution clocks start;
 * - pending (waiting on the customer): the counting clocks pause; open again: they resume;
 * - an agent setting it pending answers the customer: the response clocks are met first;
 * - resolved: every clock is met (resolving is also the answer); closed unresolved or merged:
 *   they stop; reopened: the resolution clock counts again from where it was;
 * - priority, category, contact or conversation changed: the policy is matched again and the clocks
 *   move to the new one (their business time kept), stop, or start.
 * Returns the clocks met, for the ticket's history.
 */
export function createTicketClocks(deps: { db: Db; clock: Clock; engine: ClockEngine; policies: SlaPolicies }) {
  const { db, engine, policies } = deps

  async function startFor(ticket: TicketRow, policy: Policy, now: Date) {
    const subject = { ticketId: ticket.id }
    const paused = ticket.status === 'pending'
    await engine.writeTicketQuietly(ticket.id, { slaPolicyId: policy.id })
    for (const metric of ['first_response', 'resolution'] as const)
      await engine.start(subject, policy, metric, { now, paused })
  }

  /** Another policy applies (or none): clocks move to it, stop, or start. */
  async function rematch(ticket: TicketRow, now: Date) {
    const policy = await policies.match(await ticketFacts(db, ticket))
    if ((policy?.id ?? null) === ticket.slaPolicyId) return
    const clocks = await engine.clocksOf({ ticketId: ticket.id })
    const policyOf = engine.policyCache()
    const paused = ticket.status === 'pending'
    for (const clock of clocks.filter((c) => UNFINISHED.includes(c.status))) {
      const target = policy?.targets[TARGET_OF[clock.metric as SlaMetric]]
      if (policy && target) await engine.replan(clock, await policyOf(clock.policyId), policy, now, paused)
      else await engine.finish([clock], 'stopped', now)
    }
    await engine.writeTicketQuietly(ticket.id, { slaPolicyId: policy?.id ?? null })
    if (!policy) return
    const has = (metric: SlaMetric) => clocks.some((c) => c.metric === metric)
    const answered = clocks.some((c) => RESPONSES.includes(c.metric as SlaMetric) && c.status === 'met')
    // a metric the old policy did not measure counts from the ticket's creation (pauses before now not known)
    const since = businessTimeBetween(policy.hours, ticket.createdAt, now)
    if (!has('resolution'))
      await engine.start({ ticketId: ticket.id }, policy, 'resolution', {
        now,
        paused,
        used: since,
        startedAt: ticket.createdAt,
      })
    if (!has('first_response') && !answered)
      await engine.start({ ticketId: ticket.id }, policy, 'first_response', {
        now,
        paused,
        used: since,
        startedAt: ticket.createdAt,
      })
  }

  async function statusChanged(change: SlaTicketChange, now: Date): Promise<ClockRow[]> {
    const { ticket, before, actor } = change
    const from = before!.status
    const to = ticket.status
    const subject = { ticketId: ticket.id }
    const unfinished = () => engine.clocksOf(subject, { unfinished: true })
    const met: ClockRow[] = []
    if (to === 'resolved') return engine.finish(await unfinished(), 'met', now)
    if (to === 'closed') {
      await engine.finish(await unfinished(), 'stopped', now)
      return []
    }
    if (!OPEN_TICKET.includes(from)) {
      // reopened: the resolution clock counts again (paused if it reopens as pending)
      const policy = await policies.load(ticket.slaPolicyId)
      const resolution = (await engine.clocksOf(subject, { metrics: ['resolution'] })).at(-1)
      if (policy && resolution?.status === 'met') await engine.replan(resolution, policy, policy, now, to === 'pending')
      return met
    }
    if (to === 'pending') {
      // an agent asking the customer something has answered them
      if (actor.userId)
        met.push(
          ...(await engine.finish(
            await engine.clocksOf(subject, { unfinished: true, metrics: RESPONSES }),
            'met',
            now,
          )),
        )
      await engine.pause(await unfinished(), now)
    } else if (from === 'pending' && to === 'open') await engine.resume(await unfinished(), now)
    return met
  }

  return {
    /**
     * Catch-up after a change the listener missed (it failed, or the instance stopped after the
     * commit): the ticket's clocks are brought in line with its status as stored — started when a
     * matching open ticket has none, paused while it is pending, counting while open, met once
     * resolved, stopped once closed (each change arms or cancels its jobs). Idempotent. Returns the
     * clocks met.
     */
    async reconcile(ticketId: number): Promise<ClockRow[]> {
      const now = deps.clock.now()
      return engine.lock({ ticketId }, async () => {
        const ticket = await db.ticket.findUnique({ where: { id: ticketId } })
        if (!ticket) return []
        const subject = { ticketId }
        const clocks = await engine.clocksOf(subject)
        const unfinished = clocks.filter((c) => UNFINISHED.includes(c.status))
        let met: ClockRow[] = []
        if (ticket.mergedIntoId !== null || ticket.status === 'closed')
          await engine.finish(unfinished, 'stopped', ticket.closedAt ?? now)
        else if (ticket.status === 'resolved') met = await engine.finish(unfinished, 'met', ticket.resolvedAt ?? now)
        else if (clocks.length === 0) {
          const policy = await policies.match(await ticketFacts(db, ticket))
          if (policy) await startFor(ticket, policy, now)
        } else if (ticket.status === 'pending') await engine.pause(unfinished, now)
        else await engine.resume(unfinished, now)
        await engine.syncTicket(ticketId)
        return met
      })
    },

    /** tickets.onChange: the ticket's clocks follow the committed change. */
    async onChange(change: SlaTicketChange): Promise<ClockRow[]> {
      const { ticket, before } = change
      const now = deps.clock.now()
      return engine.lock({ ticketId: ticket.id }, async () => {
        let met: ClockRow[] = []
        if (!before) {
          if (OPEN_TICKET.includes(ticket.status)) {
            const policy = await policies.match(await ticketFacts(db, ticket))
            if (policy) await startFor(ticket, policy, now)
          }
        } else {
          if (before.status !== ticket.status) met = await statusChanged(change, now)
          const facts = ['priority', 'category', 'contactId', 'conversationId'] as const
          if (OPEN_TICKET.includes(ticket.status) && facts.some((f) => before[f] !== ticket[f]))
            await rematch({ ...ticket, slaPolicyId: (await currentPolicyId(ticket.id)) ?? null }, now)
        }
        await engine.syncTicket(ticket.id)
        return met
      })
    },
  }

  async function currentPolicyId(ticketId: number): Promise<string | null> {
    const row = await db.ticket.findUnique({ where: { id: ticketId }, select: { slaPolicyId: true } })
    return row?.slaPolicyId ?? null
  }
}
export type TicketClocks = ReturnType<typeof createTicketClocks>
