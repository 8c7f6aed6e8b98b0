import type { Clock } from '../infra/index.js'
import type { Db } from '../storage/index.js'
import type { ClockEngine, ClockRow, Subject } from './sla-clocks.js'
import type { SlaMetric } from './sla-dto.js'
import type { Policy, SlaPolicies } from './sla-policies.js'
import { conversationFacts, isAgentAnswer, openTicketsOf } from './sla-subjects.js'

/** The fields of the conversation events on the bus this module reads. */
export interface ConversationEvent {
  conversationId?: string
  messageId?: string
  direction?: string
}

const RESPONSES: SlaMetric[] = ['first_response', 'next_response']

/**
 * Clocks driven by what happens in conversations (bus events `conversation.*`, seen by every
 * instance: each change is made under the subject's lock and is a no-op the second time):
 * - a conversation's own clocks (policies that apply to conversations) start when it is handed to
 *   people (queued or assigned), the resolution one is met when it is resolved;
 * - an agent's answer meets the waiting response clocks of the conversation and of the open tickets
 *   it is linked to; a customer's message starts a next-response clock there when none is waiting.
 * Returns the ticket clocks that were met, for the tickets' history.
 */
export function createConversationClocks(deps: { db: Db; clock: Clock; engine: ClockEngine; policies: SlaPolicies }) {
  const { db, engine, policies } = deps

  async function policyOfConversation(conversationId: string): Promise<Policy | null> {
    const first = await db.slaClock.findFirst({ where: { conversationId }, orderBy: { createdAt: 'asc' } })
    return first ? policies.load(first.policyId) : null
  }

  async function startConversation(conversationId: string, now: Date) {
    await engine.lock({ conversationId }, async () => {
      if ((await db.slaClock.count({ where: { conversationId } })) > 0) return
      const conversation = await db.conversation.findUnique({ where: { id: conversationId } })
      if (!conversation || conversation.status === 'resolved') return
      const policy = await policies.match(await conversationFacts(db, conversation))
      if (!policy) return
      for (const metric of ['first_response', 'resolution'] as const)
        await engine.start({ conversationId }, policy, metric, { now })
    })
  }

  /** a customer's message: a next-response clock, unless an answer is already awaited */
  async function awaitAnswer(subject: Subject, policy: Policy | null, messageId: string, now: Date, paused: boolean) {
    if (!policy?.targets.nextResponse) return
    const waiting = await engine.clocksOf(subject, { unfinished: true, metrics: RESPONSES })
    if (waiting.length > 0) return
    await engine.start(subject, policy, 'next_response', { now, occurrence: messageId, paused })
  }

  async function onMessage(event: ConversationEvent, now: Date): Promise<Array<{ ticketId: number; met: ClockRow[] }>> {
    const conversationId = event.conversationId!
    if (!event.messageId) return []
    const message = await db.message.findUnique({
      where: { id: event.messageId },
      select: { id: true, direction: true, authorUserId: true, kind: true },
    })
    if (!message) return []
    const inbound = message.direction === 'inbound'
    const answer = isAgentAnswer(message)
    if (!inbound && !answer) return []
    const conversation = { conversationId }
    await engine.lock(conversation, async () => {
      if (inbound) await awaitAnswer(conversation, await policyOfConversation(conversationId), message.id, now, false)
      else
        await engine.finish(await engine.clocksOf(conversation, { unfinished: true, metrics: RESPONSES }), 'met', now)
    })
    const metOnTickets: Array<{ ticketId: number; met: ClockRow[] }> = []
    for (const ticket of await openTicketsOf(db, conversationId)) {
      const subject = { ticketId: ticket.id }
      await engine.lock(subject, async () => {
        const fresh = await db.ticket.findUnique({ where: { id: ticket.id } })
        if (!fresh) return
        if (inbound)
          await awaitAnswer(
            subject,
            await policies.load(fresh.slaPolicyId),
            message.id,
            now,
            fresh.status === 'pending',
          )
        else {
          const waiting = await engine.clocksOf(subject, { unfinished: true, metrics: RESPONSES })
          const met = await engine.finish(waiting, 'met', now)
          if (met.length) metOnTickets.push({ ticketId: ticket.id, met })
        }
        await engine.syncTicket(ticket.id)
      })
    }
    return metOnTickets
  }

  async function onResolved(conversationId: string, now: Date) {
    await engine.lock({ conversationId }, async () => {
      const unfinished = await engine.clocksOf({ conversationId }, { unfinished: true })
      await engine.finish(
        unfinished.filter((c) => c.metric === 'resolution'),
        'met',
        now,
      )
      // nobody answered and the conversation ended (the customer left): not counted either way
      await engine.finish(
        unfinished.filter((c) => c.metric !== 'resolution'),
        'stopped',
        now,
      )
    })
  }

  async function onReopened(conversationId: string, now: Date) {
    await engine.lock({ conversationId }, async () => {
      const resolution = (await engine.clocksOf({ conversationId }, { metrics: ['resolution'] })).at(-1)
      if (resolution?.status !== 'met') return
      const policy = await policies.load(resolution.policyId)
      if (policy) await engine.replan(resolution, policy, policy, now, false)
    })
  }

  /** When the agent's answer to a response clock came, if it came: the first after what it waits for. */
  async function answeredAt(clock: ClockRow, conversationId: string, now: Date): Promise<Date | null> {
    const occurrence = clock.id.split(`-${clock.metric}-`)[1]
    const after = occurrence
      ? await db.message.findUnique({ where: { id: occurrence }, select: { seq: true, conversationId: true } })
      : null
    if (clock.metric === 'next_response' && !after) return null
    const answer = await db.message.findFirst({
      where: {
        conversationId: after?.conversationId ?? conversationId,
        direction: 'outbound',
        authorUserId: { not: null },
        ...(after ? { seq: { gt: after.seq } } : {}),
      },
      orderBy: { seq: 'asc' },
      select: { createdAt: true },
    })
    if (!answer) return null
    // the message's time, within what the clock can have counted
    const at = Math.min(now.getTime(), Math.max(clock.startedAt.getTime(), answer.createdAt.getTime()))
    return new Date(at)
  }

  return {
    /**
     * Catch-up for the events nobody handled (the bus delivers at most once): the conversation's
     * clocks started when it waits for people, ended when it was resolved, its response clocks and
     * the next-response clocks of its open tickets met when an agent answered since.
     */
    async reconcile(conversationId: string): Promise<Array<{ ticketId: number; met: ClockRow[] }>> {
      const now = deps.clock.now()
      const conversation = await db.conversation.findUnique({
        where: { id: conversationId },
        select: { status: true, resolvedAt: true },
      })
      if (!conversation) return []
      if (conversation.status === 'resolved') await onResolved(conversationId, conversation.resolvedAt ?? now)
      else if (conversation.status === 'queued' || conversation.status === 'assigned')
        await startConversation(conversationId, now)
      await engine.lock({ conversationId }, async () => {
        for (const clock of await engine.clocksOf({ conversationId }, { unfinished: true, metrics: RESPONSES })) {
          const at = await answeredAt(clock, conversationId, now)
          if (at) await engine.finish([clock], 'met', at)
        }
      })
      const metOnTickets: Array<{ ticketId: number; met: ClockRow[] }> = []
      for (const ticket of await openTicketsOf(db, conversationId)) {
        await engine.lock({ ticketId: ticket.id }, async () => {
          const met: ClockRow[] = []
          const waiting = await engine.clocksOf(
            { ticketId: ticket.id },
            { unfinished: true, metrics: ['next_response'] },
          )
          for (const clock of waiting) {
            const at = await answeredAt(clock, conversationId, now)
            if (at) met.push(...(await engine.finish([clock], 'met', at)))
          }
          if (met.length) {
            await engine.syncTicket(ticket.id)
            metOnTickets.push({ ticketId: ticket.id, met })
          }
        })
      }
      return metOnTickets
    },

    async onEvent(topic: string, event: ConversationEvent): Promise<Array<{ ticketId: number; met: ClockRow[] }>> {
      const conversationId = event.conversationId
      if (!conversationId) return []
      const now = deps.clock.now()
      switch (topic) {
        case 'conversation.queued':
        case 'conversation.assigned':
          await startConversation(conversationId, now)
          return []
        case 'conversation.message.created':
          return onMessage(event, now)
        case 'conversation.resolved':
          await onResolved(conversationId, now)
          return []
        case 'conversation.reopened':
          await onReopened(conversationId, now)
          return []
        default:
          return []
      }
    },
  }
}
export type ConversationClocks = ReturnType<typeof createConversationClocks>
