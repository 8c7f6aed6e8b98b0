import type { Actor } from '../../audit/index.js'
import type { CallbacksService } from '../../callbacks/index.js'
import type { ContactsService } from '../../contacts/index.js'
import { ErrorCode, userError } from '../../errors/index.js'
import type { Clock, EventBus } from '../../infra/index.js'
import type { Logger } from '../../logger.js'
import { normalizePhone } from '../../pii/index.js'
import type { Db } from '../../storage/index.js'
import type { AgentCalls } from './agent-calls.js'
import { AgentLeg, CALLER_HEADER, CONVERSATION_HEADER } from './agent-leg.js'
import { CallSession, type CallSessionDeps } from './call-session.js'
import { maskNumber, newCallFacts } from './call-state.js'
import type { PromptCache } from './prompts.js'
import type { CallAgents } from './user-agent.js'

/** how long the customer's phone rings before the call counts as not answered */
const CUSTOMER_RING_MS = 40_000

const NOT_ANSWERED = {
  en: 'The customer did not answer.',
  zh: '客户未接听。',
}
const BUSY = {
  en: 'The customer is busy.',
  zh: '客户忙线。',
}

/** An outgoing call on its way: the agent's softphone rings, then the customer's phone. */
export interface PendingOutbound {
  conversationId: string
  agentId: string
  phase: 'ringing-agent' | 'dialing' | 'failed'
  /** the customer's number, masked */
  to: string
  outcome: string | null
}

export interface OutboundDeps {
  db: Db
  bus: EventBus
  clock: Clock
  logger: Logger
  contacts: ContactsService
  callbacks: CallbacksService | undefined
  phoneRegion: string
  prompts: PromptCache
  agents(): CallAgents | undefined
  agentCalls: AgentCalls
  /** voice.outboundTrunk is set */
  enabled(): boolean
  ringSeconds: number
  sessionDeps: CallSessionDeps
  /** the call is live: voice-calls.ts keeps it by call id and conversation */
  adopt(session: CallSession): void
  busy(agentId: string): boolean
}

export interface OutboundRequest {
  agent: { id: string; role: 'admin' | 'supervisor' | 'agent' }
  actor: Actor
  conversationId?: string | undefined
  callbackId?: string | undefined
  number?: string | undefined
}

/**
 * Calls Switchboard places for an agent (a callback, or a call to a customer): the agent's
 * softphone rings first; once they answer the customer is called through voice.outboundTrunk and
 * the two legs are bridged — from then on it is a call like any other (hold, keys, transfer,
 * hang-up, after-call work). Not answered or busy: the agent hears so, their leg ends, and a
 * callback gets that outcome (so it is retried as the callback's settings say).
 */
export function createOutboundCalls(deps: OutboundDeps) {
  const { db, bus, clock } = deps
  const logger = deps.logger.child({ module: 'voice-outbound' })
  const pending = new Map<string, PendingOutbound>()

  async function target(request: OutboundRequest): Promise<{
    conversationId: string | null
    contactId: string | null
    number: string
    callbackId: string | null
  }> {
    let number = request.number
    let conversationId: string | null = null
    let contactId: string | null = null
    let callbackId: string | null = null
    if (request.callbackId) {
      if (!deps.callbacks) throw userError(ErrorCode.CONFLICT, 'Callbacks are not available', { status: 409 })
      const callback = await deps.callbacks.get(request.agent, request.callbackId)
      if (callback.phoneMasked)
        throw userError(ErrorCode.FORBIDDEN, `Callback ${callback.id} is not yours to make`, { status: 403 })
      callbackId = callback.id
      number ??= callback.phone ?? undefined
      conversationId = callback.conversationId
      contactId = callback.contactId
    } else if (request.conversationId) {
      const conversation = await db.conversation.findUnique({ where: { id: request.conversationId } })
      if (!conversation)
        throw userError(ErrorCode.NOT_FOUND, `No conversation ${request.conversationId}`, { status: 404 })
      if (conversation.assigneeId !== request.agent.id && request.agent.role === 'agent')
        throw userError(ErrorCode.FORBIDDEN, `Conversation ${conversation.id} is not assigned to you`, { status: 403 })
      conversationId = conversation.id
      contactId = conversation.contactId
    }
    if (!number && contactId) number = (await deps.contacts.get(contactId)).phone ?? undefined
    if (!number)
      throw userError(ErrorCode.VALIDATION, 'No number to call: give `number`, or a contact with a phone number', {
        details: [{ path: ['number'], message: 'required: the contact has no phone number' }],
      })
    let normalized: string
    try {
      normalized = normalizePhone(number, deps.phoneRegion)
    } catch {
      throw userError(ErrorCode.VALIDATION, `${number} is not a phone number`, {
        details: [{ path: ['number'], message: 'not a phone number' }],
      })
    }
    return { conversationId, contactId, number: normalized, callbackId }
  }

  /** The conversation the call belongs to, assigned to the agent (which keeps voice offers away meanwhile). */
  async function conversationFor(
    agentId: string,
    found: { conversationId: string | null; contactId: string | null; number: string; callbackId: string | null },
  ): Promise<string> {
    const now = clock.now()
    let contactId = found.contactId
    if (!found.conversationId && !contactId) {
      const known =
        (await deps.contacts.findByIdentity('phone', found.number)) ??
        (await deps.contacts.list({ phone: found.number, limit: 1 }))[0] ??
        (await deps.contacts.create({ phone: found.number }))
      contactId = known.id
    }
    if (!found.conversationId) {
      const created = await db.conversation.create({
        data: {
          contactId: contactId!,
          channel: 'voice',
          status: 'assigned',
          assigneeId: agentId,
          lastAgentId: agentId,
          assignedAt: now,
          attributes: { outbound: true, ...(found.callbackId ? { callbackId: found.callbackId } : {}) },
        },
      })
      await bus.publish('conversation.created', {
        conversationId: created.id,
        version: created.version,
        status: created.status,
        queueId: created.queueId,
        assigneeId: created.assigneeId,
        channel: created.channel,
        contactId: created.contactId,
      })
      return created.id
    }
    const updated = await db.conversation.update({
      where: { id: found.conversationId },
      data: {
        status: 'assigned',
        assigneeId: agentId,
        lastAgentId: agentId,
        assignedAt: now,
        resolvedAt: null,
        version: { increment: 1 },
      },
    })
    await bus.publish('conversation.assigned', {
      conversationId: updated.id,
      version: updated.version,
      status: updated.status,
      queueId: updated.queueId,
      assigneeId: agentId,
      reason: 'outbound',
    })
    return updated.id
  }

  async function notAnswered(
    agentLeg: AgentLeg,
    conversationId: string,
    outcome: 'no-answer' | 'busy',
    request: OutboundRequest,
    callbackId: string | null,
  ) {
    const entry = pending.get(conversationId)
    if (entry) Object.assign(entry, { phase: 'failed', outcome })
    const attributes = await db.conversation.findUnique({ where: { id: conversationId }, select: { attributes: true } })
    await db.conversation.update({
      where: { id: conversationId },
      data: {
        attributes: {
          ...((attributes?.attributes ?? {}) as Record<string, unknown>),
          callOutcome: outcome,
          outbound: true,
        },
        version: { increment: 1 },
      },
    })
    if (callbackId && deps.callbacks)
      await deps.callbacks
        .recordOutcome(request.agent, request.actor, callbackId, { outcome })
        .catch((error: unknown) => logger.warn({ err: error, callbackId }, 'the callback outcome was not recorded'))
    // the agent hears why, then their leg ends
    const language = (await db.user.findUnique({ where: { id: agentLeg.userId }, select: { locale: true } }))?.locale
    const text = (outcome === 'busy' ? BUSY : NOT_ANSWERED)[language?.startsWith('zh') ? 'zh' : 'en']
    const audio = await deps.prompts.speech(text, language ?? null).catch(() => null)
    if (audio && agentLeg.media && agentLeg.state === 'answered') await agentLeg.media.play(audio)
    await agentLeg.hangUp()
    setTimeout(() => {
      if (pending.get(conversationId) === entry) pending.delete(conversationId)
    }, 60_000).unref()
  }

  async function run(request: OutboundRequest, conversationId: string, number: string, callbackId: string | null) {
    const agents = deps.agents()!
    const agentLeg = new AgentLeg(
      agents,
      request.agent.id,
      { [CONVERSATION_HEADER]: conversationId, [CALLER_HEADER]: maskNumber(number), 'X-Switchboard-Outbound': '1' },
      deps.ringSeconds * 1000,
      logger,
    )
    const entry = pending.get(conversationId)!
    const agentAnswer = await agentLeg.ring()
    if (!agentAnswer.answered) {
      Object.assign(entry, { phase: 'failed', outcome: `agent-${agentAnswer.reason}` })
      pending.delete(conversationId)
      return
    }
    entry.phase = 'dialing'
    const customer = new AgentLeg(agents, number, {}, CUSTOMER_RING_MS, logger, number)
    // the agent hangs up while the customer's phone rings: stop dialing
    void agentLeg.ended.then(() => {
      if (customer.state === 'ringing') void customer.hangUp()
    })
    const answer = await customer.ring()
    if (!answer.answered) {
      if (agentLeg.state === 'ended') {
        pending.delete(conversationId)
        return
      }
      await notAnswered(agentLeg, conversationId, answer.reason === 'busy' ? 'busy' : 'no-answer', request, callbackId)
      return
    }
    if (agentLeg.state !== 'answered') {
      pending.delete(conversationId)
      await customer.hangUp()
      return
    }
    const facts = newCallFacts({ callId: customer.callId, from: agents.numbers[0] ?? '', to: number, at: clock.now() })
    facts.conversationId = conversationId
    facts.answeredAt = clock.now()
    const session = new CallSession(facts, customer.media!, { bye: () => customer.hangUp() }, deps.sessionDeps)
    deps.adopt(session)
    pending.delete(conversationId)
    void customer.ended.then(() => session.terminated())
    deps.agentCalls.adoptAnswered(session, agentLeg)
    if (callbackId) logger.info({ callbackId, conversationId }, 'the callback is connected')
  }

  return {
    pending,
    /** Rings the agent, then calls the customer (asynchronously): the conversation it belongs to. */
    async place(request: OutboundRequest): Promise<{ conversationId: string; to: string }> {
      if (!deps.enabled())
        throw userError(
          ErrorCode.CONFLICT,
          'Outgoing calls are off: set voice.outboundTrunk (SWITCHBOARD_VOICE_OUTBOUND_TRUNK) to your SIP trunk',
          { status: 409 },
        )
      if (!deps.agents()) throw userError(ErrorCode.CONFLICT, 'Voice is not running', { status: 409 })
      if (
        deps.busy(request.agent.id) ||
        [...pending.values()].some((p) => p.agentId === request.agent.id && p.phase !== 'failed')
      )
        throw userError(ErrorCode.CONFLICT, 'You are on a call already', { status: 409 })
      const found = await target(request)
      if (found.conversationId && pending.has(found.conversationId))
        throw userError(ErrorCode.CONFLICT, 'That conversation is being called already', { status: 409 })
      const conversationId = await conversationFor(request.agent.id, found)
      pending.set(conversationId, {
        conversationId,
        agentId: request.agent.id,
        phase: 'ringing-agent',
        to: maskNumber(found.number),
        outcome: null,
      })
      void run(request, conversationId, found.number, found.callbackId).catch((error: unknown) => {
        logger.error({ err: error, conversationId }, 'the outgoing call failed')
        const entry = pending.get(conversationId)
        if (entry) Object.assign(entry, { phase: 'failed', outcome: 'failed' })
      })
      return { conversationId, to: maskNumber(found.number) }
    },
  }
}

export type OutboundCalls = ReturnType<typeof createOutboundCalls>
